"""Failed jobs worth a look: the latest failures, and the keys they block.

In an ordered queue a FAILED job blocks every later job of its key: the
worker fails those with "dependent jobs failed" (see the worker's
``sequencing``). A key is blocked as long as it has a FAILED job; the
earliest one is what blocks it, and retrying it re-opens the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import router
from django.db.models import Count, Min, QuerySet

from parviraptor.models import AbstractJob, JobStatus

__all__ = [
    "DEPENDENT_JOBS_FAILED",
    "BlockedKey",
    "FailedJob",
    "blocked_keys",
    "recent_failures",
]

# The message the worker writes on jobs failed because of an earlier one.
DEPENDENT_JOBS_FAILED = "dependent jobs failed"


@dataclass(frozen=True)
class FailedJob:
    """One FAILED job as the dashboard shows it."""

    pk: Any
    failed_at: datetime
    created_at: datetime
    error_count: int
    error_message: str
    key: dict[str, Any] = field(default_factory=dict)

    @property
    def is_dependent(self) -> bool:
        """Failed only because an earlier job of its key had failed."""
        return self.error_message == DEPENDENT_JOBS_FAILED

    @property
    def key_label(self) -> str:
        return ", ".join(f"{name}={value}" for name, value in self.key.items())


@dataclass(frozen=True)
class BlockedKey:
    """A key of an ordered queue held up by its earliest FAILED job."""

    blocker: FailedJob
    failed_jobs: int

    @property
    def key_label(self) -> str:
        return self.blocker.key_label or "the whole queue"


def _failed(job_class: type[AbstractJob]) -> QuerySet[AbstractJob]:
    using = router.db_for_read(job_class) or "default"
    return job_class._default_manager.db_manager(using).filter(status=JobStatus.FAILED)


def _as_failed_job(job: AbstractJob, names: list[str]) -> FailedJob:
    return FailedJob(
        pk=job.pk,
        failed_at=job.modification_date,
        created_at=job.creation_date,
        error_count=job.error_count,
        error_message=job.error_message,
        key={name: getattr(job, name) for name in names},
    )


def _columns(names: list[str]) -> list[str]:
    fields = ["pk", "modification_date", "creation_date", "error_count"]
    return [*fields, "error_message", *names]


def recent_failures(job_class: type[AbstractJob], limit: int = 10) -> list[FailedJob]:
    """The latest ``limit`` failures of their own (not "dependent jobs failed").

    One query.
    """
    names = job_class.key_attnames()
    jobs = (
        _failed(job_class)
        .exclude(error_message=DEPENDENT_JOBS_FAILED)
        .only(*_columns(names))
        .order_by("-modification_date", "-pk")[:limit]
    )
    return [_as_failed_job(job, names) for job in jobs]


def blocked_keys(
    job_class: type[AbstractJob], limit: int = 20
) -> tuple[list[BlockedKey], int]:
    """The first ``limit`` blocked keys (by blocker id) and how many there are.

    Independent queues have none. A strict FIFO queue has at most one, the
    whole queue. At most three queries (none when nothing failed).
    """
    if not job_class.is_keyed():
        return [], 0
    names = job_class.key_attnames()
    failed = _failed(job_class).order_by()
    if names:
        groups = failed.values(*names).annotate(blocker=Min("pk"), n=Count("pk"))
        rows = list(groups.order_by("blocker")[:limit])
        total = len(rows) if len(rows) < limit else groups.count()
    else:
        row = failed.aggregate(blocker=Min("pk"), n=Count("pk"))
        rows = [row] if row["blocker"] is not None else []
        total = len(rows)
    if not rows:
        return [], 0
    blockers = failed.filter(pk__in=[row["blocker"] for row in rows])
    by_pk = {job.pk: job for job in blockers.only(*_columns(names))}
    keys = [
        BlockedKey(
            blocker=_as_failed_job(by_pk[row["blocker"]], names), failed_jobs=row["n"]
        )
        for row in rows
        if row["blocker"] in by_pk  # retried meanwhile
    ]
    return keys, total
