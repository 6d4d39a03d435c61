"""The chaos run, small enough for CI: 5,000 jobs against a private MariaDB.

It runs ``python -m chaos`` in a subprocess (the chaos job models live in a
settings module of their own) and passes when every invariant held. Skipped
where no MariaDB server binary is installed or the source tree (with
``chaos`` and ``manage.py``) is not at hand. The run brings its own server,
so one cell of the tox matrix is enough: it runs where ``PARVIRAPTOR_TEST_DB``
is ``mysql8`` on Django 5.2, or anywhere with ``PARVIRAPTOR_RUN_CHAOS=1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARIADBD = "/usr/sbin/mariadbd"
INSTALL_DB = "/usr/bin/mariadb-install-db"

pytestmark = pytest.mark.slow


def _skip_reason() -> str | None:
    import django

    in_its_cell = os.environ.get("PARVIRAPTOR_TEST_DB") == "mysql8" and (
        django.VERSION[:2] == (5, 2)
    )
    if not in_its_cell and os.environ.get("PARVIRAPTOR_RUN_CHAOS") != "1":
        return "chaos run: in the django52-mysql8 cell (or PARVIRAPTOR_RUN_CHAOS=1)"
    if not (os.access(MARIADBD, os.X_OK) and os.access(INSTALL_DB, os.X_OK)):
        return f"chaos run needs a private MariaDB: {MARIADBD} is not installed"
    if (
        not (ROOT / "chaos" / "__main__.py").exists()
        or not (ROOT / "manage.py").exists()
    ):
        return "chaos run needs the source tree (chaos/, manage.py)"
    try:
        import MySQLdb  # noqa: F401
    except ImportError:
        return "chaos run needs mysqlclient"
    return None


@pytest.mark.timeout(300)
def test_chaos_run_keeps_every_invariant() -> None:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "chaos", "--db", "mariadb", "--jobs", "5000"]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=290
    )
    report = result.stdout + result.stderr[-4000:]
    assert "### invariants" in result.stdout, report
    assert result.returncode == 0, report
