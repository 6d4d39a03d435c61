"""Settings of a project with parviraptor.web but without django.contrib.auth.

Used by ``test_without_auth.py`` in a subprocess of its own: no auth, no
sessions, no admin, no contenttypes; the database is a SQLite file named by
``NOAUTH_DB``.
"""

import os

SECRET_KEY = "parviraptor-tests-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True
INSTALLED_APPS = [
    "parviraptor",
    "parviraptor.worker",
    "parviraptor.web",
    "testproject.jobs",
]
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "parviraptor.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["django.template.context_processors.request"]
        },
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["NOAUTH_DB"]}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
