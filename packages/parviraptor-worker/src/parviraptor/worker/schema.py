"""Refusing to work on a database that ``migrate`` has not brought up to date.

A worker started before ``manage.py migrate`` (an upgrade from the original
parviraptor adds columns to every job table; the worker app adds two
tables) would fail on every claim, and a missing column is no outage to
ride out. ``check_schema`` reads one row of each table the worker uses, with
every column of its model, and turns a missing table or column into
``SchemaNotMigrated``: one line naming the migrations not applied yet.
``process_queue`` prints it and exits 1.
"""

from __future__ import annotations

from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from parviraptor.models import AbstractJob
from parviraptor.worker.db import is_schema_error
from parviraptor.worker.models import QueueLock, WorkerHeartbeat

SHOWN_MIGRATIONS = 5


class SchemaNotMigrated(Exception):
    """The database lacks a table or column the worker needs."""


def check_schema(job_class: type[AbstractJob], using: str) -> None:
    """Raise ``SchemaNotMigrated`` unless every table and column is there."""
    try:
        for model in (job_class, WorkerHeartbeat, QueueLock):
            list(model._default_manager.db_manager(using).order_by()[:1])
    except DatabaseError as exc:
        if not is_schema_error(exc):
            raise
        raise SchemaNotMigrated(_explain(job_class, using, exc)) from exc


def _explain(job_class: type[AbstractJob], using: str, exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    reason = lines[0] if lines else type(exc).__name__
    pending = unapplied_migrations(using)
    if pending is None:
        todo = "run `manage.py migrate`"
    elif pending:
        more = len(pending) - SHOWN_MIGRATIONS
        shown = ", ".join(pending[:SHOWN_MIGRATIONS])
        shown += f" and {more} more" if more > 0 else ""
        todo = f"not applied yet: {shown}; run `manage.py migrate`"
    else:
        todo = "no migration is pending: run `manage.py makemigrations`, then `migrate`"
    return f"{job_class._meta.label}: the database is not migrated ({reason}); {todo}"


def unapplied_migrations(using: str) -> list[str] | None:
    """``app_label.name`` of each migration ``migrate`` would apply; None if
    that cannot be told."""
    try:
        executor = MigrationExecutor(connections[using])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return None
    return [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]
