"""The demo's database: Django set up on it, emptied and migrated.

The example project picks the database kind from ``PARVIRAPTOR_TEST_DB``;
``shop_project.demo_settings`` gives the demo a database of its own: a
SQLite file under ``.demo/`` or the MySQL/MariaDB database
``parviraptor_demo``. Both are dropped and created again on every run.
"""

from __future__ import annotations

import os
import sys

from demo import EXAMPLE_DIR, STATE_DIR

# ``--db`` -> the example settings' ``PARVIRAPTOR_TEST_DB``.
SETTINGS_KIND = {"sqlite": "sqlite", "mysql": "mysql8"}
SETTINGS_MODULE = "shop_project.demo_settings"


def configure(db: str) -> None:
    """Point this process (and the workers it starts) at the demo settings."""
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    (STATE_DIR / ".gitignore").write_text("*\n")  # keep it out of git
    os.environ["PARVIRAPTOR_TEST_DB"] = SETTINGS_KIND[db]
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["SHOP_DEMO_SQLITE"] = str(STATE_DIR / "shop-demo.sqlite3")
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    if str(EXAMPLE_DIR) not in sys.path:
        sys.path.insert(0, str(EXAMPLE_DIR))

    import django

    django.setup()


def describe() -> str:
    """The database in words, for the user."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite file {settings['NAME']}"
    return (
        f"{connection.display_name} at {settings['HOST']}:{settings['PORT']}, "
        f"database {settings['NAME']}"
    )


def reset() -> None:
    """Drop the demo database (file) and create it empty."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    connection.close()
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.remove(f"{name}{suffix}")
            except FileNotFoundError:
                pass
        return
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted} CHARACTER SET utf8mb4")
    connection.close()


def exists() -> bool:
    """Whether the demo database is there and migrated (a demo ran on it)."""
    from django.db import connection
    from django.db.utils import DatabaseError

    if connection.vendor == "sqlite" and not os.path.exists(
        connection.settings_dict["NAME"]
    ):
        return False
    try:
        return "shop_mailjob" in connection.introspection.table_names()
    except DatabaseError:
        return False
    finally:
        connection.close()


def migrate() -> None:
    """Create the tables: the shop's, parviraptor's worker tables, auth, admin."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
