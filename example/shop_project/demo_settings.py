"""Settings of ``python -m demo`` (``just demo``): the shop's, plus demo knobs.

On top of ``shop_project.settings`` (which picks the database kind from
``PARVIRAPTOR_TEST_DB``) this adds the admin (for the dashboard's login),
the ``shop_demo`` app (short backoff, flaky supplier, greylisting mail
server) and a database of the demo's own:

``SHOP_DEMO_SQLITE``      the SQLite file (default ``<repo>/.demo/shop-demo.sqlite3``)
``SHOP_DEMO_DB_NAME``     the MySQL/MariaDB database (default ``parviraptor_demo``)
``SHOP_DEMO_BACKOFF``     seconds before a temporary failure is retried (1)
``SHOP_DEMO_LOG_LEVEL``   level of the ``parviraptor`` loggers (WARNING)
"""

import os

from shop_project.settings import *  # noqa: F403
from shop_project.settings import BASE_DIR, DATABASES, INSTALLED_APPS

_env = os.environ.get

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "shop_demo",
]
ROOT_URLCONF = "shop_project.demo_urls"
STATIC_URL = "static/"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = _env(
        "SHOP_DEMO_SQLITE", str(BASE_DIR.parent / ".demo" / "shop-demo.sqlite3")
    )
else:
    DATABASES["default"]["NAME"] = _env("SHOP_DEMO_DB_NAME", "parviraptor_demo")

# Mail goes to a simulated server that greylists one domain.
EMAIL_BACKEND = "shop_demo.mail.GreylistingBackend"
SHOP_DEMO_GREYLISTED_DOMAINS = ["greylisted.example"]

# The example's test settings poll and beat fast (0.1 s, 1 s) and declare a
# worker lost after 10 s of silence. Under the demo's load a SQLite writer
# can wait longer than that for the database lock: keep the default timeout.
PARVIRAPTOR_HEARTBEAT_TIMEOUT = 60

SHOP_DEMO_BACKOFF_SECONDS = float(_env("SHOP_DEMO_BACKOFF", "") or 1.0)
SHOP_DEMO_FLAKY_SKU_PREFIX = "acme-"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "worker": {"format": "%(asctime)s %(process)d %(levelname)s %(message)s"}
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "worker"}},
    "loggers": {
        "parviraptor": {
            "handlers": ["stderr"],
            "level": _env("SHOP_DEMO_LOG_LEVEL", "WARNING"),
            "propagate": False,
        }
    },
}
