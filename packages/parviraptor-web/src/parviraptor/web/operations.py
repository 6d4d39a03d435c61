"""What an operator does to failed jobs: retry them or mark them IGNORED.

Shared by the dashboard's actions and the admin's. Each operation runs in
one transaction and logs who did what to the ``parviraptor.web`` logger.

Retrying a job makes it NEW again as if it had just been inserted: its
``error_count`` is kept, ``not_before``, ``key_head`` and the claim are
cleared. In an ordered queue the later jobs of its key that failed only
because of it ("dependent jobs failed") are re-opened the same way, up to the
next job of the key that failed on its own; the worker then runs them in
order again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import router, transaction
from django.db.models import QuerySet

from parviraptor.dbtime import DatabaseNow
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.web.locking import lock_queue_if_possible
from parviraptor.web.queries.failures import DEPENDENT_JOBS_FAILED

__all__ = [
    "OperationResult",
    "ignore_job",
    "ignore_jobs",
    "retry_failed_jobs",
    "retry_job",
]

logger = logging.getLogger("parviraptor.web")


@dataclass(frozen=True)
class OperationResult:
    """How many jobs changed, and a sentence saying so."""

    changed: int
    message: str

    @property
    def ok(self) -> bool:
        return self.changed > 0


def _using(job_class: type[AbstractJob]) -> str:
    return router.db_for_write(job_class) or "default"


def _jobs(job_class: type[AbstractJob], using: str) -> QuerySet[AbstractJob]:
    return job_class._default_manager.db_manager(using).all()


def _reopen(queryset: QuerySet[AbstractJob]) -> int:
    return queryset.update(
        status=JobStatus.NEW,
        not_before=None,
        key_head=None,
        claimed_by=None,
        claimed_at=None,
        modification_date=DatabaseNow(),
    )


def _dependents(jobs: QuerySet[AbstractJob], job: AbstractJob) -> QuerySet[AbstractJob]:
    """Later same-key jobs failed because of ``job``, up to the next own failure."""
    failed_later = jobs.filter(
        **job.key_filter(), status=JobStatus.FAILED, pk__gt=job.pk
    )
    next_own_failure = (
        failed_later.exclude(error_message=DEPENDENT_JOBS_FAILED)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    dependents = failed_later.filter(error_message=DEPENDENT_JOBS_FAILED)
    if next_own_failure is not None:
        dependents = dependents.filter(pk__lt=next_own_failure)
    return dependents


def retry_job(job_class: type[AbstractJob], pk: Any, actor: str) -> OperationResult:
    """Make the FAILED job ``pk`` NEW again (and the jobs it held up)."""
    using = _using(job_class)
    name = job_class.__name__
    with transaction.atomic(using=using):
        if job_class.is_keyed():
            lock_queue_if_possible(job_class, using)
        jobs = _jobs(job_class, using)
        job = jobs.select_for_update().filter(pk=pk, status=JobStatus.FAILED).first()
        if job is None:
            return OperationResult(0, f"{name} #{pk} is not a failed job.")
        _reopen(jobs.filter(pk=job.pk))
        dependents = _reopen(_dependents(jobs, job)) if job_class.is_keyed() else 0
    logger.info(
        "%s retried %s #%s (and %d dependent jobs)", actor, name, pk, dependents
    )
    message = f"{name} #{pk} will be retried"
    if dependents:
        message += f", with {dependents} later job(s) of its key"
    return OperationResult(1 + dependents, message + ".")


def retry_failed_jobs(
    job_class: type[AbstractJob], actor: str, pks: list[Any] | None = None
) -> OperationResult:
    """Make every FAILED job of the queue (or those of ``pks``) NEW again.

    With ``pks`` in an ordered queue, each one's dependent jobs are re-opened
    too (as ``retry_job`` does).
    """
    using = _using(job_class)
    name = job_class.__name__
    with transaction.atomic(using=using):
        if job_class.is_keyed():
            lock_queue_if_possible(job_class, using)
        jobs = _jobs(job_class, using)
        failed = jobs.filter(status=JobStatus.FAILED)
        if pks is None:
            changed = _reopen(failed)
        else:
            selected = list(failed.filter(pk__in=pks).order_by("pk"))
            changed = _reopen(failed.filter(pk__in=[job.pk for job in selected]))
            if job_class.is_keyed():
                for job in selected:
                    changed += _reopen(_dependents(jobs, job))
    scope = "all" if pks is None else f"{len(pks)} selected"
    logger.info(
        "%s retried %s failed %s jobs (%d changed)", actor, scope, name, changed
    )
    return OperationResult(changed, f"{changed} failed {name} job(s) will be retried.")


def ignore_job(job_class: type[AbstractJob], pk: Any, actor: str) -> OperationResult:
    """Mark the FAILED job ``pk`` IGNORED: nobody needs to look at it again.

    In an ordered queue the jobs that failed because of it stay FAILED; the
    next of them then blocks the key (retry it to go on).
    """
    using = _using(job_class)
    name = job_class.__name__
    with transaction.atomic(using=using):
        changed = (
            _jobs(job_class, using)
            .filter(pk=pk, status=JobStatus.FAILED)
            .update(
                status=JobStatus.IGNORED,
                key_head=None,
                claimed_by=None,
                claimed_at=None,
                modification_date=DatabaseNow(),
            )
        )
    if not changed:
        return OperationResult(0, f"{name} #{pk} is not a failed job.")
    logger.info("%s ignored %s #%s", actor, name, pk)
    return OperationResult(1, f"{name} #{pk} is ignored.")


def ignore_jobs(
    job_class: type[AbstractJob], pks: list[Any], actor: str
) -> OperationResult:
    """Mark the FAILED jobs among ``pks`` IGNORED."""
    using = _using(job_class)
    name = job_class.__name__
    with transaction.atomic(using=using):
        changed = (
            _jobs(job_class, using)
            .filter(pk__in=pks, status=JobStatus.FAILED)
            .update(status=JobStatus.IGNORED, modification_date=DatabaseNow())
        )
    logger.info("%s ignored %d %s jobs", actor, changed, name)
    return OperationResult(changed, f"{changed} failed {name} job(s) ignored.")
