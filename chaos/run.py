"""One chaos run from start to end: database, jobs, workers, faults, verdict."""

from __future__ import annotations

import logging
import os
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from chaos.faults import Injector, Schedule
from chaos.fleet import Fleet, Seat
from chaos.server import Database, PostgresDatabase, PrivateMariaDB

logger = logging.getLogger("chaos")

MODELS = ("ChaosIndependentJob", "ChaosKeyedJob", "ChaosFifoJob")
SEATS = [  # 8 processes, 12 slots
    Seat("ChaosIndependentJob", 1),
    Seat("ChaosIndependentJob", 3),
    Seat("ChaosIndependentJob", 2),
    Seat("ChaosKeyedJob", 1),
    Seat("ChaosKeyedJob", 2),
    Seat("ChaosKeyedJob", 1),
    Seat("ChaosFifoJob", 1),
    Seat("ChaosFifoJob", 1),
]
WORKER_SETTINGS = {
    "PARVIRAPTOR_HEARTBEAT_TIMEOUT": "3",
    "PARVIRAPTOR_HEARTBEAT_INTERVAL": "0.3",
    "PARVIRAPTOR_POLL_INTERVAL": "0.1",
    "PARVIRAPTOR_LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "chaos.settings",
    "PARVIRAPTOR_CHAOS": "1",
}


@dataclass
class Config:
    db: str = "mariadb"
    jobs: int = 5000
    keys: int = 300
    seed: int = 1
    deadline: float = 170.0
    schedule: Schedule = field(default_factory=Schedule)
    keep: bool = False


def open_database(kind: str) -> Database:
    if kind == "mariadb":
        return PrivateMariaDB()
    if kind == "postgres":
        return PostgresDatabase()
    raise ValueError(f"unknown database {kind!r}")


def setup_django(database: Database) -> None:
    os.environ.update(database.env())
    os.environ.update(WORKER_SETTINGS)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def count_open() -> int | None:
    """Jobs not yet final, or None while the database is unreachable."""
    from django.db import DatabaseError, connection

    from chaos.jobs import models
    from parviraptor.models import JobStatus

    try:
        return sum(
            getattr(models, name)
            .objects.filter(status__in=JobStatus.open_statuses())
            .count()
            for name in MODELS
        )
    except DatabaseError:
        connection.close()
        return None


def drive(injector: Injector, total: int, deadline: float) -> float:
    """Inject faults until every job is final (or the deadline); seconds taken."""
    started = time.monotonic()
    last_report, remaining, progress = 0.0, None, 0.0
    while time.monotonic() - started < deadline:
        injector.tick(progress)
        remaining = count_open()
        if remaining == 0:
            break
        if remaining is not None:
            progress = 1 - remaining / total
        if time.monotonic() - last_report > 10:
            last_report = time.monotonic()
            logger.warning(
                "t=%5.1fs open jobs: %s", time.monotonic() - started, remaining
            )
        time.sleep(0.25)
    return time.monotonic() - started


def execute(config: Config) -> int:
    """Run the whole thing; 0 when every invariant held."""
    total_started = time.monotonic()
    database = open_database(config.db)
    logs = Path(tempfile.mkdtemp(prefix="parviraptor-chaos-logs-"))
    try:
        database.start()
        database.create_database()
        setup_django(database)
        from chaos.report import report
        from chaos.workload import Mix, enqueue

        enqueue_started = time.monotonic()
        before = enqueue(Mix(config.jobs, config.keys), config.seed)
        enqueue_seconds = time.monotonic() - enqueue_started
        fleet = Fleet(SEATS, dict(os.environ), logs)
        fleet.start_all()
        injector = Injector(
            fleet, database, config.schedule, random.Random(config.seed)
        )
        seconds = drive(injector, sum(before.values()), config.deadline)
        fleet.stop_all()
        ok = report(
            config,
            before,
            fleet,
            injector,
            {
                "enqueue": enqueue_seconds,
                "until every job final": seconds,
                "setup (server, migrate)": enqueue_started - total_started,
            },
            logs,
        )
        logger.warning(
            "total %.1fs; worker logs in %s", time.monotonic() - total_started, logs
        )
        return 0 if ok else 1
    finally:
        if not config.keep:
            _close_django()
            database.cleanup()


def _close_django() -> None:
    try:
        from django.db import connections

        connections.close_all()
    except Exception:
        pass


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
