"""A database outage does not kill a worker: it reconnects and goes on.

- Every server database: the worker's connections are terminated again and
  again while it works (``pg_terminate_backend`` / ``KILL CONNECTION``).
- MySQL cells: a private MariaDB server is stopped and started again under
  a running worker.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections import Counter as Tally
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection

from parviraptor.models import JobStatus

from testproject.jobs.models import Counter, IndependentJob, JobEvent

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

needs_server = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite has no server to lose"
)
needs_mysql = pytest.mark.skipif(
    connection.vendor != "mysql",
    reason="the restart runs a private MariaDB server: MySQL cells only",
)

OUTAGE_LOGGED = ("retrying in", "heartbeat failed")


def kill_other_connections() -> int:
    """Terminate every other connection to the test database; how many."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return sum(1 for (done,) in cursor.fetchall() if done)
        cursor.execute(
            "SELECT id FROM information_schema.processlist "
            "WHERE db = DATABASE() AND id <> CONNECTION_ID()"
        )
        killed = 0
        for (thread_id,) in cursor.fetchall():
            try:
                cursor.execute(f"KILL CONNECTION {int(thread_id)}")
                killed += 1
            except DatabaseError:  # gone meanwhile
                pass
        return killed


@needs_server
def test_worker_survives_its_connections_being_killed(start_worker, wait_until):
    Counter.objects.create(name="outage")
    jobs = [
        IndependentJob(counter="outage" if index % 5 == 0 else "", behaviour="ok")
        if index % 5 == 0
        else IndependentJob(behaviour="noop")
        for index in range(400)
    ]
    IndependentJob.objects.bulk_create(jobs)
    worker = start_worker(
        "IndependentJob", "--concurrency", "2", "--poll-interval", "0.05"
    )
    wait_until(
        lambda: IndependentJob.objects.filter(status=JobStatus.PROCESSED).exists(),
        message=lambda: worker.describe(),
    )

    kills = []

    def killing_until_settled() -> bool:
        assert worker.is_running(), worker.describe()
        if len(kills) < 15:
            kills.append(kill_other_connections())
            return False
        # Settled: nothing claimed, and whatever is still NEW failed
        # temporarily (its backoff delay has not passed).
        return (
            not IndependentJob.objects.filter(
                status__in=[JobStatus.PROCESSING, JobStatus.DEFERRED]
            ).exists()
            and not IndependentJob.objects.filter(
                status=JobStatus.NEW, error_count=0
            ).exists()
        )

    wait_until(
        killing_until_settled,
        interval=0.2,
        message=lambda: (
            "the queue to settle: "
            + str(Tally(IndependentJob.objects.values_list("status", flat=True)))
            + "\n"
            + worker.describe()
        ),
    )
    worker.send_signal(signal.SIGTERM)
    assert worker.wait() == 0, worker.describe()

    assert sum(kills) > 0
    assert any(text in worker.stderr for text in OUTAGE_LOGGED), worker.describe()
    assert "crashed" not in worker.stderr  # no worker slot died
    assert not IndependentJob.objects.filter(status=JobStatus.FAILED).exists()
    # Jobs that touch no database cannot be hurt by the outage.
    assert set(
        IndependentJob.objects.filter(behaviour="noop").values_list("status", flat=True)
    ) == {JobStatus.PROCESSED}
    # A job whose own query hit the outage failed temporarily, not for good.
    for job in IndependentJob.objects.exclude(status=JobStatus.PROCESSED):
        assert job.status == JobStatus.NEW
        assert job.error_count >= 1
        assert job.error_message
        assert job.not_before is not None
    # No job ran twice unless an attempt failed.
    starts = Tally(
        JobEvent.objects.filter(event="start").values_list("job_id", flat=True)
    )
    for pk in IndependentJob.objects.filter(behaviour="ok", error_count=0).values_list(
        "pk", flat=True
    ):
        assert starts[pk] == 1


@needs_server
def test_a_job_losing_its_connection_fails_for_now():
    """Backing off by the error count before this failure, as for a
    ``TemporaryJobFailure``: an outage is not the job's fault."""
    from datetime import timedelta

    from parviraptor.dbtime import db_now
    from parviraptor.worker import QueueWorker

    job = IndependentJob.objects.create(behaviour="lose_connection", error_count=2)
    later = IndependentJob.objects.create()
    before = db_now()
    QueueWorker(IndependentJob, own_heartbeat=False, stop_when_empty=True).run()
    after = db_now()
    job.refresh_from_db()
    assert (job.status, job.error_count) == (JobStatus.NEW, 3)
    delay = timedelta(minutes=4)  # 2 ** 2
    tolerance = timedelta(seconds=1)
    assert before + delay - tolerance <= job.not_before <= after + delay + tolerance
    later.refresh_from_db()
    assert later.status == JobStatus.PROCESSED


# --- a private MariaDB server, stopped and started under a running worker ------


def _find(program: str) -> str | None:
    path = os.pathsep.join(
        [os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin", "/sbin"]
    )
    return shutil.which(program, path=path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateMariaDB:
    """A throwaway MariaDB server on its own datadir and port."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.datadir = workdir / "data"
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def install(self) -> None:
        args = [
            _find("mariadb-install-db"),
            "--no-defaults",
            f"--datadir={self.datadir}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ]
        if os.geteuid() == 0:
            args.append("--user=root")
        subprocess.run(args, check=True, capture_output=True, timeout=120)

    def start(self, wait_until) -> None:  # type: ignore[no-untyped-def]
        args = [
            _find("mariadbd"),
            "--no-defaults",
            f"--datadir={self.datadir}",
            f"--port={self.port}",
            "--bind-address=127.0.0.1",
            f"--socket={self.workdir / 'mariadb.sock'}",
            f"--pid-file={self.workdir / 'mariadb.pid'}",
            f"--log-error={self.workdir / 'mariadb.err'}",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=32M",
            "--innodb-flush-log-at-trx-commit=2",
        ]
        if os.geteuid() == 0:
            args.append("--user=root")
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.accepts_connections, timeout=60, message=self.log)

    def log(self) -> str:
        path = self.workdir / "mariadb.err"
        return "the private MariaDB server:\n" + (
            path.read_text(errors="replace")[-3000:] if path.exists() else "(no log)"
        )

    def connect(self):  # type: ignore[no-untyped-def]
        import MySQLdb

        return MySQLdb.connect(
            host="127.0.0.1", port=self.port, user="root", passwd="", autocommit=True
        )

    def accepts_connections(self) -> bool:
        assert self.process is not None and self.process.poll() is None, self.log()
        try:
            self.connect().close()
        except Exception:
            return False
        return True

    def query(self, sql: str, database: str) -> list[tuple]:
        db = self.connect()
        try:
            db.select_db(database)
            cursor = db.cursor()
            cursor.execute(sql)
            return list(cursor.fetchall())
        finally:
            db.close()

    def stop(self, timeout: float = 60) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.process = None


@pytest.fixture
def private_mariadb(wait_until):
    if not (_find("mariadbd") and _find("mariadb-install-db")):
        pytest.skip("mariadbd/mariadb-install-db not installed")
    workdir = Path(tempfile.mkdtemp(prefix="pvr-mdb-"))
    server = PrivateMariaDB(workdir)
    try:
        server.install()
        server.start(wait_until)
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def migrated_database(server: PrivateMariaDB, run_manage, database: str) -> dict:
    """Create and migrate ``database`` on ``server``; the env to reach it."""
    prefix = "MYSQL5" if getattr(settings, "DB_KIND", "") == "mysql5" else "MYSQL8"
    env = {
        f"{prefix}_HOST": "127.0.0.1",
        f"{prefix}_PORT": str(server.port),
        f"{prefix}_USER": "root",
        f"{prefix}_PASSWORD": "",
        "PARVIRAPTOR_DB_NAME": database,
    }
    server.query(f"CREATE DATABASE {database} CHARACTER SET utf8mb4", "mysql")
    migrated = run_manage("migrate", "-v0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    return env


@needs_mysql
def test_sigterm_ends_a_worker_riding_out_an_outage(
    private_mariadb, run_manage, start_worker, wait_until
):
    """The server goes away while a job runs; its result cannot be written.
    SIGTERM ends the worker (the result write used to be retried forever);
    the job is left to recovery like a lost worker's."""
    server = private_mariadb
    env = migrated_database(server, run_manage, "parviraptor_sigterm")
    code = (
        "from testproject.jobs.models import IndependentJob\n"
        "IndependentJob.objects.create(sleep_seconds=2)\n"
    )
    created = run_manage("shell", "-c", code, env=env)
    assert created.returncode == 0, created.stderr
    worker = start_worker("IndependentJob", "--poll-interval", "0.05", env=env)
    wait_until(
        lambda: server.query(
            f"SELECT COUNT(*) FROM {JobEvent._meta.db_table}", "parviraptor_sigterm"
        )[0][0],
        message=lambda: "the job to start\n" + worker.describe(),
    )
    server.stop()
    wait_until(
        lambda: "record outcome: database error" in worker.stderr,
        message=lambda: "the result write to fail\n" + worker.describe(),
    )
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0, worker.describe()
    assert "stopped before the result of" in worker.stderr


@needs_mysql
def test_worker_survives_a_database_restart(
    private_mariadb, run_manage, start_worker, wait_until
):
    server = private_mariadb
    database = "parviraptor_restart"
    env = migrated_database(server, run_manage, database)

    def enqueue(count: int) -> None:
        code = (
            "from testproject.jobs.models import Counter, IndependentJob\n"
            "Counter.objects.get_or_create(name='restart')\n"
            f"IndependentJob.objects.bulk_create(IndependentJob(counter='restart') "
            f"for _ in range({count}))\n"
        )
        result = run_manage("shell", "-c", code, env=env)
        assert result.returncode == 0, result.stderr

    jobs_table = IndependentJob._meta.db_table
    counters_table = Counter._meta.db_table

    def processed() -> int:
        rows = server.query(
            f"SELECT COUNT(*) FROM {jobs_table} WHERE status = 'PROCESSED'", database
        )
        return rows[0][0]

    enqueue(20)
    worker = start_worker(
        "IndependentJob", "--concurrency", "2", "--poll-interval", "0.05", env=env
    )
    wait_until(lambda: processed() == 20, message=lambda: worker.describe())

    server.stop()
    wait_until(
        lambda: any(text in worker.stderr for text in OUTAGE_LOGGED),
        timeout=60,
        message=lambda: "the worker to notice the outage\n" + worker.describe(),
    )
    assert worker.is_running(), worker.describe()
    server.start(wait_until)

    enqueue(30)
    wait_until(
        lambda: processed() == 50,
        timeout=120,
        message=lambda: "the jobs after the restart\n" + worker.describe(),
    )
    worker.send_signal(signal.SIGTERM)
    assert worker.wait() == 0, worker.describe()
    assert "crashed" not in worker.stderr

    (total,) = server.query(f"SELECT COUNT(*) FROM {jobs_table}", database)[0]
    assert total == 50
    ((value,),) = server.query(
        f"SELECT value FROM {counters_table} WHERE name = 'restart'", database
    )
    assert value == 50  # exactly once
