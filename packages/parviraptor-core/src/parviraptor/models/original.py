"""``fetch_next_job`` and ``update_job_for_being_resumed``: methods of the
original's ``AbstractJob`` for code that drives jobs itself.

``fetch_next_job`` claims with the worker's machinery, so it needs
parviraptor-worker (imported when called: core does not depend on it).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models.sql import UpdateQuery

from parviraptor.dbtime import DatabaseNow
from parviraptor.models.statuses import JobStatus

__all__ = ["fetch_next_job", "update_job_for_being_resumed"]

# Plain functions that ``AbstractJob`` binds as its methods. Not a mixin: a
# base class of the model would be written into every job model's
# migrations (``bases=``), pinning this module's path forever.


def fetch_next_job(cls: Any, id_gt: Any = None, status: str = JobStatus.NEW) -> Any:
    """Claim the next eligible job of ``status`` (NEW, or DEFERRED) and
    return it PROCESSING; None when no job is eligible (as 4.1; 2.2.2
    raised ``DoesNotExist``). ``id_gt``: only jobs with a greater id.

    Eligible as for a worker (its backoff passed, its key's turn). Process
    it at once, ``parviraptor.worker.JobWorker(job).process()``: a
    worker of the queue running meanwhile takes a claim older than
    ``PARVIRAPTOR_HEARTBEAT_TIMEOUT`` back, as a lost worker's.
    """
    try:
        from parviraptor.worker.single import claim_next_job
    except ImportError:
        raise ImproperlyConfigured(
            "fetch_next_job() needs parviraptor-worker installed"
        ) from None
    return claim_next_job(cls, id_gt=id_gt, status=status)  # type: ignore[arg-type]


def update_job_for_being_resumed(self: Any, db_alias: str = "default") -> None:
    """Give this PROCESSING job back: NEW, its claim cleared, so that a
    worker started later runs it again. A job no longer PROCESSING under
    the claim it was loaded with is left alone.

    Meant for ``on_job_terminated()`` of long jobs during rolling
    restarts. The update commits at once on a connection of its own
    (the job may be inside a transaction, or interrupted in a query).
    The worker running the job then finds its claim gone and saves
    nothing when the job ends; meanwhile another worker may start it:
    make such jobs safe to run twice. An ordered queue's job keeps its
    key's place: no later job of its key overtakes it.
    """
    sql, params = _resume_sql(self, db_alias)
    connection = connections.create_connection(db_alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        connection.close()


def _resume_sql(self: Any, db_alias: str) -> tuple[str, tuple[Any, ...]]:
    """The compare-and-set UPDATE that gives this job's claim back."""
    manager = type(self)._default_manager.db_manager(db_alias)  # type: ignore[attr-defined]
    claimed = manager.filter(
        pk=self.pk, status=JobStatus.PROCESSING, claimed_by=self.claimed_by
    )
    query = claimed.query.chain(UpdateQuery)
    query.add_update_values(
        {
            "status": JobStatus.NEW,
            "claimed_by": None,
            "claimed_at": None,
            "modification_date": DatabaseNow(),
        }
    )
    return query.get_compiler(db_alias).as_sql()
