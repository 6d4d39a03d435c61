"""Deleting old PROCESSED jobs in chunks, per queue."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from parviraptor.dbtime import db_now
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.transitions import database_for

logger = logging.getLogger("parviraptor.worker")


@dataclass(frozen=True)
class CleanupResult:
    job_class: type[AbstractJob]
    deleted: int
    skipped: bool = False

    def describe(self, dry_run: bool) -> str:
        name = self.job_class._meta.label
        if self.skipped:
            return f"{name}: kept (MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS is None)"
        verb = "would delete" if dry_run else "deleted"
        return f"{name}: {verb} {self.deleted} processed jobs"


def clean_old_processed_jobs(
    job_class: type[AbstractJob],
    dry_run: bool = False,
    chunk_size: int = 1000,
    max_age_days: int | None = None,
) -> CleanupResult:
    """Delete PROCESSED jobs older than the class's maximum age, chunk by chunk.

    ``max_age_days`` replaces the class's age for this run; a class whose
    age is None (never cleaned up) is kept all the same. Chunks keep each
    transaction (and its locks) short on a busy table.
    """
    if job_class.MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS is None:
        return CleanupResult(job_class, 0, skipped=True)
    max_age = job_class.MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS
    if max_age_days is not None:
        max_age = max_age_days
    using = database_for(job_class)
    cutoff = db_now(using) - timedelta(days=max_age)
    old = job_class._default_manager.db_manager(using).filter(
        status=JobStatus.PROCESSED, modification_date__lt=cutoff
    )
    if dry_run:
        return CleanupResult(job_class, old.count())
    deleted = 0
    while True:
        pks = list(old.order_by("pk").values_list("pk", flat=True)[:chunk_size])
        if not pks:
            break
        deleted += (
            job_class._default_manager.db_manager(using).filter(pk__in=pks).delete()[0]
        )
        logger.info("%s: deleted %d old processed jobs", job_class._meta.label, deleted)
    return CleanupResult(job_class, deleted)
