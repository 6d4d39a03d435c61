"""Counts and times of one queue, in two queries however many jobs it holds.

1. ``GROUP BY status``: jobs per status (an index-only scan).
2. One aggregate over the open jobs and the jobs finished in the last hour:
   oldest waiting job, long processing / long unprocessed jobs, jobs
   waiting for a retry and when the next is due, throughput.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import router
from django.db.models import Count, Min, Q, QuerySet

from parviraptor.dbtime import db_now
from parviraptor.models import AbstractJob, JobStatus

__all__ = ["QueueStats", "collect_queue_stats", "count_open_jobs", "database_now"]

THROUGHPUT_WINDOW = timedelta(hours=1)
WAITING = (JobStatus.NEW, JobStatus.DEFERRED)
OK, WARNING, ERROR = "ok", "warning", "error"


def _jobs(job_class: type[AbstractJob]) -> QuerySet[AbstractJob]:
    using = router.db_for_read(job_class) or "default"
    return job_class._default_manager.db_manager(using).all()


def database_now(job_class: type[AbstractJob] | None = None) -> datetime:
    """The database's clock (the one the workers schedule retries with)."""
    using = (router.db_for_read(job_class) if job_class else None) or "default"
    return db_now(using)


@dataclass(frozen=True)
class QueueStats:
    """The state of one queue at ``now`` (the database's clock)."""

    job_class: type[AbstractJob]
    now: datetime
    counts: dict[str, int]
    oldest_waiting_since: datetime | None
    oldest_processing_since: datetime | None
    long_processing: int
    long_unprocessed: int
    retry_waiting: int
    next_retry_at: datetime | None
    finished_last_hour: int

    @property
    def name(self) -> str:
        return self.job_class.__name__

    @property
    def failed(self) -> int:
        return self.counts[JobStatus.FAILED]

    @property
    def open_count(self) -> int:
        """NEW + PROCESSING, as on the open-queue-entries page."""
        return self.counts[JobStatus.NEW] + self.counts[JobStatus.PROCESSING]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def oldest_waiting_age(self) -> timedelta | None:
        return _age(self.now, self.oldest_waiting_since)

    @property
    def oldest_processing_age(self) -> timedelta | None:
        return _age(self.now, self.oldest_processing_since)

    @property
    def next_retry_in(self) -> timedelta | None:
        if self.next_retry_at is None:
            return None
        return max(self.next_retry_at - self.now, timedelta(0))

    @property
    def throughput_per_minute(self) -> float:
        minutes = THROUGHPUT_WINDOW.total_seconds() / 60
        return self.finished_last_hour / minutes

    @property
    def state(self) -> str:
        """``error`` (failed or stuck jobs), ``warning`` (slow or retrying), ``ok``."""
        if self.failed or self.long_processing:
            return ERROR
        if self.long_unprocessed or self.retry_waiting:
            return WARNING
        return OK

    @property
    def problems(self) -> list[str]:
        """What is wrong, in a few words each (empty when nothing is)."""
        found = [
            (self.failed, "failed"),
            (self.long_processing, "processing too long"),
            (self.long_unprocessed, "waiting too long"),
            (self.retry_waiting, "waiting for a retry"),
        ]
        return [f"{count} {words}" for count, words in found if count]


def _age(now: datetime, since: datetime | None) -> timedelta | None:
    if since is None:
        return None
    return max(now - since, timedelta(0))


def count_by_status(job_class: type[AbstractJob]) -> dict[str, int]:
    """Jobs per status, every status present (zeros included). One query."""
    counts = dict.fromkeys(JobStatus.values, 0)
    rows = (
        _jobs(job_class)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    for status, n in rows:
        counts[status] = n
    return counts


def collect_queue_stats(job_class: type[AbstractJob], now: datetime) -> QueueStats:
    """The ``QueueStats`` of ``job_class``; two queries."""
    hour_ago = now - THROUGHPUT_WINDOW
    waiting = Q(status__in=WAITING)
    processing = Q(status=JobStatus.PROCESSING)
    retrying = Q(status=JobStatus.NEW, not_before__gt=now)
    finished = Q(
        status__in=JobStatus.finished_statuses(), modification_date__gte=hour_ago
    )
    long_processing = job_class.long_processing_q()
    long_unprocessed = job_class.long_unprocessed_q()
    row = (
        _jobs(job_class)
        .filter(waiting | processing | finished)
        .aggregate(
            oldest_waiting_since=Min("creation_date", filter=waiting),
            oldest_processing_since=Min("claimed_at", filter=processing),
            long_processing=Count("pk", filter=long_processing),
            long_unprocessed=Count("pk", filter=long_unprocessed),
            retry_waiting=Count("pk", filter=retrying),
            next_retry_at=Min("not_before", filter=retrying),
            finished_last_hour=Count("pk", filter=finished),
        )
    )
    return QueueStats(
        job_class=job_class, now=now, counts=count_by_status(job_class), **row
    )


def count_open_jobs(job_class: type[AbstractJob]) -> int:
    """NEW + PROCESSING jobs of the queue. One query."""
    open_statuses = [JobStatus.NEW, JobStatus.PROCESSING]
    return _jobs(job_class).filter(status__in=open_statuses).count()
