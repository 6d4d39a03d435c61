"""What a queue's jobs ended as: counts per status and the jobs that did not
succeed, in a form that reads well in an assertion message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from parviraptor.models import AbstractJob, JobStatus

__all__ = ["JobReport", "QueueSummary", "describe_jobs", "summarize_queue"]

#: How many unsuccessful jobs a message lists before it says "... and N more".
LISTED_JOBS = 20


@dataclass(frozen=True)
class JobReport:
    """One job as a failure message shows it."""

    pk: Any
    status: str
    error_message: str
    error_count: int = 0

    def __str__(self) -> str:
        text = f"#{self.pk} {self.status}"
        if self.error_count:
            text += f" (errors: {self.error_count})"
        if self.error_message:
            text += f": {self.error_message}"
        return text


@dataclass(frozen=True)
class QueueSummary:
    """The state of a queue's jobs after processing.

    ``counts`` maps every status present to its number of jobs; ``unsuccessful``
    lists the jobs that did not end PROCESSED (in id order); ``attempts`` is
    how many times the workers ran ``process()``.
    """

    queue: str
    counts: dict[str, int] = field(default_factory=dict)
    unsuccessful: list[JobReport] = field(default_factory=list)
    attempts: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def processed(self) -> int:
        return self.counts.get(JobStatus.PROCESSED, 0)

    @property
    def failed(self) -> list[JobReport]:
        """The FAILED jobs with their error messages."""
        return [job for job in self.unsuccessful if job.status == JobStatus.FAILED]

    @property
    def all_processed(self) -> bool:
        return self.processed == self.total

    def count(self, status: str) -> int:
        return self.counts.get(str(status), 0)

    def describe(self) -> str:
        """A multi-line text: the counts, then every unsuccessful job."""
        counts = ", ".join(f"{n} {status}" for status, n in self.counts.items())
        lines = [f"{self.queue}: {self.total} jobs ({counts or 'none'})"]
        lines.extend(describe_jobs(self.unsuccessful))
        return "\n".join(lines)

    def __repr__(self) -> str:
        counts = ", ".join(f"{status}={n}" for status, n in self.counts.items())
        failed = ", ".join(str(job) for job in self.failed[:LISTED_JOBS])
        text = f"<QueueSummary {self.queue}: {counts or 'no jobs'}"
        if failed:
            text += f"; failed: {failed}"
        return text + ">"


def describe_jobs(jobs: Iterable[JobReport], indent: str = "  ") -> list[str]:
    """One line per job, at most ``LISTED_JOBS`` of them."""
    jobs = list(jobs)
    lines = [f"{indent}{job}" for job in jobs[:LISTED_JOBS]]
    if len(jobs) > LISTED_JOBS:
        lines.append(f"{indent}... and {len(jobs) - LISTED_JOBS} more")
    return lines


def _status_order(status: str) -> int:
    values = list(JobStatus.values)
    return values.index(status) if status in values else len(values)


def summarize_queue(
    job_class: type[AbstractJob],
    pks: Iterable[Any] | None = None,
    attempts: int = 0,
) -> QueueSummary:
    """Summarize the jobs of ``job_class`` (only those in ``pks`` if given)."""
    jobs = job_class._default_manager.all()
    if pks is not None:
        jobs = jobs.filter(pk__in=list(pks))
    rows = jobs.order_by("pk").values_list(
        "pk", "status", "error_message", "error_count"
    )
    counts: dict[str, int] = {}
    unsuccessful = []
    for pk, status, message, errors in rows:
        counts[status] = counts.get(status, 0) + 1
        if status != JobStatus.PROCESSED:
            unsuccessful.append(JobReport(pk, status, message or "", errors))
    ordered = dict(sorted(counts.items(), key=lambda item: _status_order(item[0])))
    return QueueSummary(job_class._meta.label, ordered, unsuccessful, attempts)
