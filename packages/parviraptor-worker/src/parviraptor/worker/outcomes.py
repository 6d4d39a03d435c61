"""What becomes of a job: a pure mapping from how ``process()`` ended.

Kept free of database access so that the contract's table of outcomes is
tested on its own; ``transitions.record_outcome`` writes the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from parviraptor.exceptions import DeferJob, IgnoreJob, TemporaryJobFailure
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.db import is_transient_error

THRESHOLD_REACHED = "error count reached threshold"
DEFERRED_THRESHOLD = "deferred retry threshold exceeded: {}"
WORKER_LOST = "worker lost while processing (claimed by {})"


@dataclass(frozen=True)
class Outcome:
    """The state a job moves to, and what changes with it."""

    status: JobStatus
    error_message: str = ""
    error_increment: int = 0
    retry_after: timedelta | None = None

    @property
    def is_final(self) -> bool:
        return self.status not in JobStatus.open_statuses()


def outcome_for(job: AbstractJob, exc: BaseException | None, threshold: int) -> Outcome:
    """The outcome of a ``process()`` that returned (``None``) or raised ``exc``.

    A database connection error raised by the job counts as a temporary
    failure: an outage is not the job's fault and must not fail it for good.
    """
    if exc is None:
        return Outcome(JobStatus.PROCESSED)
    if isinstance(exc, (TemporaryJobFailure, DeferJob)) or is_transient_error(exc):
        return _retry_outcome(job, exc, threshold)
    if isinstance(exc, IgnoreJob):
        return Outcome(JobStatus.IGNORED, str(exc))
    return Outcome(JobStatus.FAILED, str(exc) or type(exc).__name__)


def _retry_outcome(job: AbstractJob, exc: BaseException, threshold: int) -> Outcome:
    errors = job.error_count + 1
    message = str(exc) or type(exc).__name__
    if isinstance(exc, DeferJob):
        if errors > threshold:
            return Outcome(JobStatus.FAILED, DEFERRED_THRESHOLD.format(message), 1)
        return Outcome(JobStatus.DEFERRED, message, 1)
    if errors > threshold:
        return Outcome(JobStatus.FAILED, THRESHOLD_REACHED, 1)
    return Outcome(JobStatus.NEW, message, 1, type(job).backoff_delay(errors))


def outcome_for_lost_worker(job: AbstractJob, threshold: int) -> Outcome:
    """A job whose worker died: retried at once, or FAILED if the class says so."""
    message = WORKER_LOST.format(job.claimed_by)
    if not type(job).RETRY_ON_WORKER_LOSS:
        return Outcome(JobStatus.FAILED, message, 1)
    if job.error_count + 1 > threshold:
        return Outcome(JobStatus.FAILED, THRESHOLD_REACHED, 1)
    return Outcome(JobStatus.NEW, message, 1)
