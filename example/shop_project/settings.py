"""Settings of the example shop.

The database comes from the environment, as in parviraptor's own test
project: ``PARVIRAPTOR_TEST_DB`` = ``sqlite`` (default, a file under
``.sqlite/``), ``mysql8`` (``MYSQL8_HOST``/``_PORT``/``_USER``/``_PASSWORD``)
or ``postgres`` (``PG_*``). Test databases are called
``test_shop_<PARVIRAPTOR_TEST_DB_SUFFIX>`` so that parallel runs never share one.

``parviraptor.web`` (the dashboard) is used only where parviraptor-web is
installed: the shop runs with just parviraptor-core and parviraptor-worker.
"""

import importlib.util
import os
import re
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


SECRET_KEY = "example-shop-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True
TIME_ZONE = "UTC"

WEB_INSTALLED = _importable("parviraptor.web")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "parviraptor",
    "parviraptor.worker",
    *(["parviraptor.web"] if WEB_INSTALLED else []),
    "shop",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "shop_project.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# E-mail goes out through Django's default backend; Django's test runner and
# pytest-django switch to the locmem backend (mail.outbox) in tests.
SHOP_MAIL_SENDER = "shop@example.com"

# --- database -----------------------------------------------------------------

DB_KIND = os.environ.get("PARVIRAPTOR_TEST_DB", "sqlite").strip().lower() or "sqlite"
_suffix = os.environ.get("PARVIRAPTOR_TEST_DB_SUFFIX", "").strip() or DB_KIND
TEST_DB_NAME = "test_shop_" + re.sub(r"[^a-z0-9_]+", "_", _suffix.lower())[:40]


def _server(engine: str, prefix: str, port: int, user: str) -> dict:
    env = os.environ.get
    return {
        "ENGINE": engine,
        "HOST": env(f"{prefix}_HOST", "127.0.0.1"),
        "PORT": int(env(f"{prefix}_PORT", "") or port),
        "USER": env(f"{prefix}_USER", user),
        "PASSWORD": env(f"{prefix}_PASSWORD", ""),
        "NAME": "shop",
        "TEST": {"NAME": TEST_DB_NAME},
    }


if DB_KIND in ("mysql8", "mysql5"):
    default = _server("django.db.backends.mysql", DB_KIND.upper(), 3306, "root")
    default["OPTIONS"] = {"charset": "utf8mb4"}
    default["TEST"]["CHARSET"] = "utf8mb4"
    if DB_KIND == "mysql5":
        PARVIRAPTOR_USE_SKIP_LOCKED = False
elif DB_KIND == "postgres":
    default = _server("django.db.backends.postgresql", "PG", 5432, "postgres")
else:
    sqlite_dir = BASE_DIR / ".sqlite"
    sqlite_dir.mkdir(exist_ok=True)
    sqlite_options: dict = {"timeout": 30}
    if django.VERSION >= (5, 1):  # concurrent writers: WAL, no lock upgrades
        sqlite_options["transaction_mode"] = "IMMEDIATE"
        sqlite_options["init_command"] = "PRAGMA journal_mode=WAL;"
    default = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(sqlite_dir / "shop.sqlite3"),
        "OPTIONS": sqlite_options,
        # A file, not in-memory: parallel workers and worker processes open it.
        "TEST": {"NAME": str(sqlite_dir / f"{TEST_DB_NAME}.sqlite3")},
    }

DATABASES = {"default": default}

# --- parviraptor --------------------------------------------------------------

PARVIRAPTOR_POLL_INTERVAL = 0.1
PARVIRAPTOR_HEARTBEAT_INTERVAL = 1
PARVIRAPTOR_HEARTBEAT_TIMEOUT = 10
