"""Health counts of job queues: failed, long processing, long unprocessed.

``QueueMonitoringResult`` has the original's fields (``queue_name`` and the
three ``*_jobs_count``), so a result built by hand compares equal to one
``monitor_queue_entries`` returns. ``job_class`` rides along uncompared (a
hand-built result has none); ``failed``, ``long_processing`` and
``long_unprocessed`` are short names for the counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from parviraptor.models.abstract import AbstractJob, JobStatus

__all__ = ["QueueMonitoringResult", "count_queue_problems", "monitor_queue_entries"]


@dataclass(frozen=True)
class QueueMonitoringResult:
    """What is wrong with one queue; all zeros means nothing is."""

    queue_name: str
    failed_jobs_count: int
    long_processing_jobs_count: int
    long_unprocessed_jobs_count: int
    job_class: type[AbstractJob] | None = field(default=None, compare=False)

    @property
    def failed(self) -> int:
        return self.failed_jobs_count

    @property
    def long_processing(self) -> int:
        return self.long_processing_jobs_count

    @property
    def long_unprocessed(self) -> int:
        return self.long_unprocessed_jobs_count

    @property
    def is_ok(self) -> bool:
        return not (self.failed or self.long_processing or self.long_unprocessed)

    def message(self) -> str:
        return (
            f"There are {self.failed} failed, {self.long_processing} long "
            f"processing and {self.long_unprocessed} long unprocessed "
            f"{self.queue_name}s."
        )


def count_queue_problems(job_class: type[AbstractJob]) -> QueueMonitoringResult:
    """The three counts of one queue in a single query."""
    failed = Q(status=JobStatus.FAILED)
    processing = job_class.long_processing_q()
    unprocessed = job_class.long_unprocessed_q()
    counts = job_class._default_manager.filter(
        failed | processing | unprocessed
    ).aggregate(
        failed_jobs_count=Count("pk", filter=failed),
        long_processing_jobs_count=Count("pk", filter=processing),
        long_unprocessed_jobs_count=Count("pk", filter=unprocessed),
    )
    return QueueMonitoringResult(job_class.__name__, **counts, job_class=job_class)


def monitor_queue_entries(
    job_classes: Iterable[type[AbstractJob]],
) -> list[QueueMonitoringResult]:
    """The queues among ``job_classes`` that have a problem, in the given order.

    ``TypeError`` (listing them) if some are no job classes, as in the original.
    """
    job_classes = list(job_classes)
    mistyped = [cls for cls in job_classes if not _is_job_class(cls)]
    if mistyped:
        raise TypeError(mistyped)
    results = (count_queue_problems(job_class) for job_class in job_classes)
    return [result for result in results if not result.is_ok]


def _is_job_class(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, AbstractJob)
