"""The test project with only the apps named in ``PARVIRAPTOR_TEST_APPS``.

For tests of projects set up unlike the test project, run as subprocesses:
without ``django.contrib.auth`` (core and worker must not need it), without
``"parviraptor.worker"`` (an upgraded project that lists only
``"parviraptor"``), or with an app of job models made by the original
parviraptor (the upgrade test). ``PARVIRAPTOR_TEST_APPS`` is a comma-separated
list; ``PARVIRAPTOR_TEST_MIGRATION_MODULES`` optionally maps app labels to
migration modules (``label=module,...``). The database settings are the test
project's (``PARVIRAPTOR_TEST_DB``, ``PARVIRAPTOR_DB_NAME``).
"""

import os

from testproject.settings import *  # noqa: F403

INSTALLED_APPS = [
    app.strip() for app in os.environ["PARVIRAPTOR_TEST_APPS"].split(",") if app
]
MIGRATION_MODULES = dict(
    entry.split("=", 1)
    for entry in os.environ.get("PARVIRAPTOR_TEST_MIGRATION_MODULES", "").split(",")
    if entry
)
MIDDLEWARE: list[str] = []
TEMPLATES: list[dict] = []
ROOT_URLCONF = "testproject.urls"
