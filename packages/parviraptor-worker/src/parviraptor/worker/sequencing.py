"""Per-key FIFO bookkeeping: which job is its key's head.

Every open job of an ordered queue is in one of three ``key_head`` states:
``None`` (inserted, not yet looked at), ``True`` (the one job of its key that
may run) or ``False`` (waiting behind its key's head). Finding work is then
one index range scan over heads, whatever the backlog behind them.

All functions here run inside a transaction holding the queue lock.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from parviraptor.dbtime import DatabaseNow
from parviraptor.models import AbstractJob, JobStatus

DEPENDENT_JOBS_FAILED = "dependent jobs failed"


def _jobs(job_class: type[AbstractJob], using: str) -> Any:
    return job_class._default_manager.db_manager(using)


def _key_of(job: Model, names: list[str]) -> tuple[Any, ...]:
    return tuple(getattr(job, name) for name in names)


def sequence_new_jobs(job_class: type[AbstractJob], using: str, limit: int) -> int:
    """Decide the ``key_head`` state of up to ``limit`` unsequenced jobs.

    In id order: a job whose key has an earlier FAILED job fails; one whose
    key already has a head waits; otherwise it becomes its key's head.
    Returns how many jobs were sequenced.
    """
    names = job_class.key_attnames()
    jobs = _jobs(job_class, using)
    batch = list(
        jobs.filter(status=JobStatus.NEW, key_head__isnull=True)
        .order_by("pk")
        .only("pk", *names)[:limit]
    )
    decided: dict[tuple[Any, ...], bool] = {}  # key -> has a head now
    heads, waiting, failed = [], [], []
    for job in batch:
        key = _key_of(job, names)
        key_filter = dict(zip(names, key, strict=True))
        if _has_failed_predecessor(jobs, key_filter, job.pk):
            failed.append(job.pk)
        elif decided.get(key) or _has_head(jobs, key_filter):
            waiting.append(job.pk)
            decided[key] = True
        else:
            heads.append(job.pk)
            decided[key] = True
    jobs.filter(pk__in=heads).update(key_head=True)
    jobs.filter(pk__in=waiting).update(key_head=False)
    _fail_dependents(jobs.filter(pk__in=failed))
    return len(batch)


def _has_failed_predecessor(jobs: Any, key_filter: dict[str, Any], pk: Any) -> bool:
    return jobs.filter(
        **key_filter, key_head__isnull=True, status=JobStatus.FAILED, pk__lt=pk
    ).exists()


def _has_head(jobs: Any, key_filter: dict[str, Any]) -> bool:
    return jobs.filter(
        **key_filter, key_head=True, status__in=JobStatus.open_statuses()
    ).exists()


def _fail_dependents(queryset: Any) -> int:
    now = DatabaseNow()
    return queryset.update(
        status=JobStatus.FAILED,
        error_message=DEPENDENT_JOBS_FAILED,
        key_head=None,
        modification_date=now,
    )


def hand_on_key(job_class: type[AbstractJob], using: str, job: AbstractJob) -> None:
    """After ``job`` (its key's head) finished: pass the key on, or fail it.

    ``job.status`` is its final state. FAILED fails every job waiting behind
    it; any other final state makes the earliest waiting job the head.
    """
    jobs = _jobs(job_class, using)
    waiting = jobs.filter(**job.key_filter(), key_head=False, status=JobStatus.NEW)
    if job.status == JobStatus.FAILED:
        _fail_dependents(waiting)
        return
    successor = waiting.order_by("pk").values_list("pk", flat=True).first()
    if successor is not None:
        jobs.filter(pk=successor).update(key_head=True)
