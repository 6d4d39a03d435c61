"""Fixtures for tests of whole projects run as subprocesses.

``scratch_database(suffix)`` makes an empty database next to the test
database (same server, its name plus ``_<suffix>``; a file for SQLite) and
drops it at teardown, for subprocesses that ``migrate`` a project of their own.
``run_project(apps, *args)`` runs ``manage.py`` with ``testproject.app_settings``
and only ``apps`` installed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import MANAGE_PY, REPO_ROOT, _base_env


@pytest.fixture
def scratch_database(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    made: list[str] = []

    def make(suffix: str) -> str:
        with django_db_blocker.unblock():
            name = _create(suffix)
        made.append(name)
        return name

    yield make
    with django_db_blocker.unblock():
        for name in made:
            _drop(name)


def _create(suffix: str) -> str:
    from django.db import connection

    test_name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        path = Path(test_name).with_name(f"{Path(test_name).stem}_{suffix}.sqlite3")
        path.unlink(missing_ok=True)
        return str(path)
    name = f"{test_name}_{suffix}"
    _drop(name)
    charset = " CHARACTER SET utf8mb4" if connection.vendor == "mysql" else ""
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}{charset}")
    return name


def _drop(name: str) -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        for path in Path(name).parent.glob(Path(name).name + "*"):
            path.unlink(missing_ok=True)
        return
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


@pytest.fixture
def run_project(django_db_setup: None) -> Any:
    """``run_project(apps, *args, db=None, env=None, pythonpath=())``.

    ``db`` defaults to the test database (for commands that write nothing).
    """
    from django.db import connection

    test_db = str(connection.settings_dict["NAME"])

    def run(
        apps: list[str],
        *args: str,
        db: str | None = None,
        env: dict[str, str] | None = None,
        pythonpath: tuple[str, ...] = (),
    ) -> subprocess.CompletedProcess[str]:
        full_env = _base_env(db or test_db, **(env or {}))
        full_env["DJANGO_SETTINGS_MODULE"] = "testproject.app_settings"
        full_env["PARVIRAPTOR_TEST_APPS"] = ",".join(apps)
        full_env["PYTHONPATH"] = ":".join([str(REPO_ROOT), *pythonpath])
        return subprocess.run(
            [sys.executable, str(MANAGE_PY), *args],
            cwd=REPO_ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run
