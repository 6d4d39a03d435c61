"""Settings of the Django project that parviraptor's test-suites run in.

The database is chosen by the environment variable ``PARVIRAPTOR_TEST_DB``:

``mysql8`` (default)
    MySQL 8 (or MariaDB) at ``MYSQL8_HOST``/``MYSQL8_PORT`` as
    ``MYSQL8_USER``/``MYSQL8_PASSWORD``.
``mysql5``
    The same with ``MYSQL5_*``, and ``PARVIRAPTOR_USE_SKIP_LOCKED = False``:
    MySQL 5.7 has no ``SKIP LOCKED``, so the compare-and-set claim is forced.
``postgres``
    PostgreSQL at ``PG_HOST``/``PG_PORT`` as ``PG_USER``/``PG_PASSWORD``.
``sqlite``
    A database file (never in-memory: worker subprocesses must see it).

The test database is named ``test_parviraptor_<suffix>`` with the suffix from
``PARVIRAPTOR_TEST_DB_SUFFIX`` (tox sets the environment's name), so that
test runs in parallel on one server never share a database.

Worker subprocesses started by the tests get the test database's name in
``PARVIRAPTOR_DB_NAME``, which, when set, is used as ``NAME`` as it is.

Each parviraptor app is installed only where its distribution is, so that a
test environment with only some of the four packages still starts.
"""

import hashlib
import importlib.util
import os
import re
from pathlib import Path

import django
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # a parent package is missing
        return False


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None


SECRET_KEY = "parviraptor-tests-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
USE_I18N = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
INSTALLED_APPS += [
    app
    for app in ("parviraptor", "parviraptor.worker", "parviraptor.web")
    if _importable(app)
]
INSTALLED_APPS += ["testproject.jobs"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "testproject.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Fast hashing: the tests create users, they don't test passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- database -----------------------------------------------------------------

DB_KINDS = ("mysql8", "mysql5", "postgres", "sqlite")
DB_KIND = os.environ.get("PARVIRAPTOR_TEST_DB", "mysql8").strip().lower() or "mysql8"
if DB_KIND not in DB_KINDS:
    raise ImproperlyConfigured(
        f"PARVIRAPTOR_TEST_DB={DB_KIND!r}: expected one of {', '.join(DB_KINDS)}"
    )


def _test_db_name() -> str:
    """``test_parviraptor_<suffix>``, a valid identifier on every database
    (MySQL allows 64 characters, PostgreSQL 63)."""
    raw = os.environ.get("PARVIRAPTOR_TEST_DB_SUFFIX", "").strip() or DB_KIND
    suffix = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_") or DB_KIND
    if len(suffix) > 40:
        digest = hashlib.sha1(raw.encode()).hexdigest()[:8]
        suffix = f"{suffix[:31]}_{digest}"
    return f"test_parviraptor_{suffix}"


DB_NAME_FROM_ENV = os.environ.get("PARVIRAPTOR_DB_NAME", "").strip()
TEST_DB_NAME = _test_db_name()


def _server_database(engine: str, prefix: str, port: int, user: str) -> dict:
    database = {
        "ENGINE": engine,
        "HOST": os.environ.get(f"{prefix}_HOST", "127.0.0.1"),
        "PORT": int(os.environ.get(f"{prefix}_PORT", "") or port),
        "USER": os.environ.get(f"{prefix}_USER", user),
        "PASSWORD": os.environ.get(f"{prefix}_PASSWORD", ""),
        "NAME": DB_NAME_FROM_ENV or "parviraptor",
        "OPTIONS": {},
        "TEST": {"NAME": TEST_DB_NAME},
    }
    if engine == "django.db.backends.mysql":
        database["OPTIONS"]["charset"] = "utf8mb4"
        database["TEST"]["CHARSET"] = "utf8mb4"
    return database


if DB_KIND == "mysql8":
    default_database = _server_database(
        "django.db.backends.mysql", "MYSQL8", 3306, "root"
    )
elif DB_KIND == "mysql5":
    default_database = _server_database(
        "django.db.backends.mysql", "MYSQL5", 3306, "root"
    )
    # MySQL 5.7 knows no SKIP LOCKED: force the compare-and-set claim.
    PARVIRAPTOR_USE_SKIP_LOCKED = False
elif DB_KIND == "postgres":
    default_database = _server_database(
        "django.db.backends.postgresql", "PG", 5432, "postgres"
    )
else:
    sqlite_dir = BASE_DIR / ".sqlite"
    sqlite_dir.mkdir(exist_ok=True)
    sqlite_options: dict = {"timeout": 30}
    if django.VERSION >= (5, 1):
        sqlite_options["transaction_mode"] = "IMMEDIATE"
        sqlite_options["init_command"] = "PRAGMA journal_mode=WAL;"
    default_database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DB_NAME_FROM_ENV or str(sqlite_dir / "parviraptor.sqlite3"),
        "OPTIONS": sqlite_options,
        # A file, never in-memory: worker subprocesses must see it.
        "TEST": {"NAME": str(sqlite_dir / f"{TEST_DB_NAME}.sqlite3")},
    }

DATABASES = {"default": default_database}


# --- parviraptor --------------------------------------------------------------

PARVIRAPTOR_POLL_INTERVAL = _env_float("PARVIRAPTOR_POLL_INTERVAL", 0.05)
PARVIRAPTOR_HEARTBEAT_INTERVAL = _env_float("PARVIRAPTOR_HEARTBEAT_INTERVAL", 0.5)
PARVIRAPTOR_HEARTBEAT_TIMEOUT = _env_float("PARVIRAPTOR_HEARTBEAT_TIMEOUT", 5)


# --- logging ------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "loggers": {
        "parviraptor": {
            "handlers": ["console"],
            "level": os.environ.get("PARVIRAPTOR_LOG_LEVEL", "WARNING").upper(),
            "propagate": True,
        },
    },
}
