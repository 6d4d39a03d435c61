"""Settings of the upgrade scenario's project.

``UPGRADE_PHASE`` says which code runs: ``old`` (parviraptor 2.2.2, the
settings such a project had) or ``new`` (our packages, with the apps the
upgrade adds: "parviraptor.worker", "parviraptor.web"). The database comes
from ``UPGRADE_DB`` (``mysql`` or ``postgres``) and ``UPGRADE_DB_NAME``, the
server from the ``MYSQL8_*`` / ``PG_*`` variables the test-suites use.
"""

import os

SECRET_KEY = "parviraptor-upgrade-scenario-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost"]
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "upgradeproject.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PHASE = os.environ.get("UPGRADE_PHASE", "old")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "parviraptor",
]
if PHASE == "new":
    INSTALLED_APPS += ["parviraptor.worker", "parviraptor.web"]
INSTALLED_APPS += ["upgradejobs"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
    }
]

# Short, so that a job left PROCESSING by the killed old worker counts as
# lost within seconds (the scenario waits this long before our worker runs).
PARVIRAPTOR_HEARTBEAT_INTERVAL = 0.5
PARVIRAPTOR_HEARTBEAT_TIMEOUT = 2
PARVIRAPTOR_POLL_INTERVAL = 0.2

_KIND = os.environ.get("UPGRADE_DB", "mysql")
if _KIND == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ.get("PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("PG_PORT", "5432"),
            "USER": os.environ.get("PG_USER", "postgres"),
            "PASSWORD": os.environ.get("PG_PASSWORD", ""),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "HOST": os.environ.get("MYSQL8_HOST", "127.0.0.1"),
            "PORT": os.environ.get("MYSQL8_PORT", "3306"),
            "USER": os.environ.get("MYSQL8_USER", "root"),
            "PASSWORD": os.environ.get("MYSQL8_PASSWORD", ""),
            "OPTIONS": {"charset": "utf8mb4"},
        }
    }
DATABASES["default"]["NAME"] = os.environ.get("UPGRADE_DB_NAME", "compat_upgrade")
