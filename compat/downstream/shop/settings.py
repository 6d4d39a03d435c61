"""Settings of the downstream project the compat scenarios run in.

Written as a project using the original parviraptor would be, plus what the
README's upgrade steps add: the apps ``parviraptor.worker`` and
``parviraptor.web`` where their distributions are installed. The
environment chooses the database and a variant of the apps:

``COMPAT_DB``         ``mariadb`` or ``postgres``
``COMPAT_DB_NAME``    the database (the runner names it ``<prefix>compat_...``)
``COMPAT_APPS``       ``upgraded`` (default), ``unchanged`` (the apps as
                      before the upgrade: no parviraptor.worker/.web),
                      ``no-auth`` (no django.contrib.auth, as the original's
                      own test settings), ``zero-backoff`` (plus an app whose
                      job has ``BACKOFF_STEP_MINUTES = 0``)
"""

import os
from importlib import metadata
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "compat-downstream-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost"]
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "shop.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _installed(distribution: str) -> bool:
    try:
        metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return False
    return True


APPS_VARIANT = os.environ.get("COMPAT_APPS", "upgraded")
CONTRIB = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
if APPS_VARIANT == "no-auth":
    CONTRIB = []
# The upgrade step: add the apps of the packages that replaced parviraptor.
UPGRADE_APPS = [
    app
    for app, distribution in (
        ("parviraptor.worker", "parviraptor-worker"),
        ("parviraptor.web", "parviraptor-web"),
    )
    if APPS_VARIANT != "unchanged" and _installed(distribution)
]
INSTALLED_APPS = [*CONTRIB, "parviraptor", *UPGRADE_APPS, "jobs"]
if APPS_VARIANT == "zero-backoff":
    INSTALLED_APPS.append("zero_backoff")

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
if APPS_VARIANT == "no-auth":
    MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    }
]

_ENGINES = {
    "mariadb": {
        "ENGINE": "django.db.backends.mysql",
        "HOST": os.environ.get("MYSQL8_HOST", "127.0.0.1"),
        "PORT": os.environ.get("MYSQL8_PORT", "3306"),
        "USER": os.environ.get("MYSQL8_USER", "root"),
        "PASSWORD": os.environ.get("MYSQL8_PASSWORD", ""),
        "OPTIONS": {"charset": "utf8mb4"},
    },
    "postgres": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("PG_PORT", "5432"),
        "USER": os.environ.get("PG_USER", "postgres"),
        "PASSWORD": os.environ.get("PG_PASSWORD", ""),
    },
}
DATABASES = {
    "default": {
        **_ENGINES[os.environ.get("COMPAT_DB", "mariadb")],
        "NAME": os.environ.get("COMPAT_DB_NAME", "compat_downstream"),
    }
}

# Ours only (the originals ignore them): a lost worker is found within seconds.
PARVIRAPTOR_HEARTBEAT_INTERVAL = 0.5
PARVIRAPTOR_HEARTBEAT_TIMEOUT = 2.0
PARVIRAPTOR_POLL_INTERVAL = 0.1

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "CRITICAL"},
}
