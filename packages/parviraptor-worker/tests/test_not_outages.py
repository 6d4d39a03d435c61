"""Database errors that are no outage end a worker or a job, never a retry loop.

- A worker started before ``migrate`` prints one line naming the migrations
  to apply and exits 1 (it used to retry forever, deaf to SIGTERM and to
  ``--until-empty``).
- A job's huge error message is cut to 64 KiB (on MariaDB it exceeded
  ``max_allowed_packet`` and the result write was retried forever).
"""

from __future__ import annotations

import pytest
from django.db import connection

from parviraptor.models import JobStatus

from testproject.jobs.models import IndependentJob

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MIGRATE_HINT = "run `manage.py migrate`"


def _create_database(name: str) -> None:
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        charset = " CHARACTER SET utf8mb4" if connection.vendor == "mysql" else ""
        cursor.execute(f"CREATE DATABASE {quoted}{charset}")


def _drop_database(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


@pytest.fixture
def scratch_db(tmp_path, run_manage):
    """A database of its own, migrated: ``(env, manage)`` for subprocesses."""
    if connection.vendor == "sqlite":
        name = str(tmp_path / "scratch.sqlite3")
    else:
        name = f"{connection.settings_dict['NAME']}_scratch"
        _create_database(name)
    env = {"PARVIRAPTOR_DB_NAME": name}

    def manage(*args: str) -> str:
        result = run_manage(*args, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "-v0")
    yield env, manage
    if connection.vendor != "sqlite":
        _drop_database(name)


def _one_line_error(worker) -> str:
    lines = [line for line in worker.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, worker.describe()
    return lines[0]


@pytest.mark.parametrize("until_empty", [True, False], ids=["until-empty", "forever"])
def test_a_worker_before_migrate_exits_1_naming_the_migration(
    scratch_db, start_worker, until_empty
):
    env, manage = scratch_db
    manage(
        "shell",
        "-c",
        "from testproject.jobs.models import IndependentJob as J; J.objects.create()",
    )
    manage("migrate", "jobs", "0001", "-v0")  # the job table lacks new columns
    args = ["--until-empty"] if until_empty else []
    worker = start_worker("IndependentJob", *args, "--poll-interval", "0.05", env=env)
    assert worker.wait(timeout=90) == 1, worker.describe()
    line = _one_line_error(worker)
    assert "jobs.IndependentJob: the database is not migrated" in line
    assert "jobs.0002_job_fields_and_effects" in line
    assert MIGRATE_HINT in line


def test_a_worker_without_its_tables_exits_1_naming_the_migration(
    scratch_db, start_worker
):
    env, manage = scratch_db
    manage("migrate", "parviraptor_worker", "zero", "-v0")
    worker = start_worker("KeyedJob", "--until-empty", env=env)
    assert worker.wait(timeout=90) == 1, worker.describe()
    line = _one_line_error(worker)
    assert "parviraptor_worker.0001_initial" in line
    assert MIGRATE_HINT in line


def test_a_20_mb_error_message_is_cut_and_the_run_ends(start_worker):
    job = IndependentJob.objects.create(behaviour="huge", fail_times=10_000_000)
    after = IndependentJob.objects.create()
    worker = start_worker("IndependentJob", "--until-empty")
    assert worker.wait(timeout=120) == 0, worker.describe()[-3000:]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert len(job.error_message.encode()) <= 64 * 1024
    after.refresh_from_db()
    assert after.status == JobStatus.PROCESSED
    assert len(worker.stderr) < 1_000_000  # the log stays small too
