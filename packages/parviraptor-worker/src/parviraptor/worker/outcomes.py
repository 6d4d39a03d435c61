"""What becomes of a job: a pure mapping from how ``process()`` ended.

Kept free of database access so that the contract's table of outcomes is
tested on its own; ``transitions.record_outcome`` writes the result.

Error messages are cut to ``MAX_ERROR_MESSAGE_BYTES`` (64 KiB of UTF-8)
before they are written or logged: a message of many megabytes would exceed
the database's packet size (MariaDB's ``max_allowed_packet``) and fill the
log. A cleared message is ``None`` (NULL), as the original wrote it.
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
OLD_WORKER = "a worker of the original parviraptor"

MAX_ERROR_MESSAGE_BYTES = 64 * 1024
TRUNCATED = " [... truncated]"

# Outcomes after which the next job of an ordered key may run: a DEFERRED
# job steps out of its key's order (see ``sequencing``).
KEY_GOES_ON = frozenset(
    {JobStatus.PROCESSED, JobStatus.IGNORED, JobStatus.SQUASHED, JobStatus.DEFERRED}
)


@dataclass(frozen=True)
class Outcome:
    """The state a job moves to, and what changes with it."""

    status: JobStatus
    error_message: str | None = None  # None: cleared
    error_increment: int = 0
    retry_after: timedelta | None = None

    @property
    def is_final(self) -> bool:
        return self.status not in JobStatus.open_statuses()

    @property
    def leaves_its_place(self) -> bool:
        """Whether a job that held its key's place gives it up (to the next
        job of its key, or failing them): final or DEFERRED."""
        return self.is_final or self.status == JobStatus.DEFERRED


def outcome_for(job: AbstractJob, exc: BaseException | None, threshold: int) -> Outcome:
    """The outcome of a ``process()`` that returned (``None``) or raised ``exc``.

    A transient database error raised by the job (a lost connection, a
    deadlock) counts as a temporary failure: it is not the job's fault and
    must not fail it for good.
    """
    if exc is None:
        return Outcome(JobStatus.PROCESSED)
    if isinstance(exc, (TemporaryJobFailure, DeferJob)) or is_transient_error(exc):
        return _retry_outcome(job, exc, threshold)
    if isinstance(exc, IgnoreJob):
        return Outcome(JobStatus.IGNORED, truncated(describe(exc)))
    return Outcome(JobStatus.FAILED, truncated(describe(exc) or type(exc).__name__))


def _retry_outcome(job: AbstractJob, exc: BaseException, threshold: int) -> Outcome:
    errors = job.error_count + 1
    message = describe(exc) or type(exc).__name__
    if isinstance(exc, DeferJob):
        if errors > threshold:
            failed = truncated(DEFERRED_THRESHOLD.format(message))
            return Outcome(JobStatus.FAILED, failed, 1)
        return Outcome(JobStatus.DEFERRED, truncated(message), 1)
    if errors > threshold:
        return Outcome(JobStatus.FAILED, THRESHOLD_REACHED, 1)
    delay = type(job).backoff_delay(_failures_before(job, exc))
    return Outcome(JobStatus.NEW, truncated(message), 1, delay)


def _failures_before(job: AbstractJob, exc: BaseException) -> int:
    """The ``n`` of the backoff: the count a ``TemporaryJobFailure`` carries
    (``raise_temporary_failure`` passes the job's), else the job's own."""
    count = getattr(exc, "error_count", None)
    if isinstance(exc, TemporaryJobFailure) and isinstance(count, int):
        return count
    return job.error_count


def outcome_for_lost_worker(job: AbstractJob, threshold: int) -> Outcome:
    """A job whose worker died: retried at once, or FAILED if the class says so."""
    message = WORKER_LOST.format(job.claimed_by or OLD_WORKER)
    if not type(job).RETRY_ON_WORKER_LOSS:
        return Outcome(JobStatus.FAILED, message, 1)
    if job.error_count + 1 > threshold:
        return Outcome(JobStatus.FAILED, THRESHOLD_REACHED, 1)
    return Outcome(JobStatus.NEW, message, 1)


def describe(exc: BaseException) -> str:
    """``str(exc)``, or a note when the exception cannot even say that."""
    try:
        return str(exc)
    except Exception:
        return f"{type(exc).__name__} (its message could not be read)"


def truncated(message: str) -> str:
    """``message``, cut to at most ``MAX_ERROR_MESSAGE_BYTES`` of UTF-8."""
    if len(message) * 4 <= MAX_ERROR_MESSAGE_BYTES:  # short: no need to encode
        return message
    data = message.encode("utf-8", "surrogatepass")
    if len(data) <= MAX_ERROR_MESSAGE_BYTES:
        return message
    head = data[: MAX_ERROR_MESSAGE_BYTES - len(TRUNCATED)]
    return head.decode("utf-8", "ignore") + TRUNCATED
