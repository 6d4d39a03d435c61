"""One job outside a worker's loop: the original's ``fetch_next_job`` and
``JobWorker``, on the worker's own claims and outcomes.

``claim_next_job`` claims like a worker slot (``Claimer``), under a claim
name of its own for each call and without a heartbeat: should a worker of
the queue run meanwhile, it takes the job back as a lost worker's once the
claim is older than ``PARVIRAPTOR_HEARTBEAT_TIMEOUT``. Process a fetched job
at once: ``JobWorker(job).process()``.
"""

from __future__ import annotations

import logging
from typing import Any

from parviraptor.exceptions import TemporaryJobFailure
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.claims import Claimer
from parviraptor.worker.execution import run_job
from parviraptor.worker.identity import slot_ids
from parviraptor.worker.locking import ensure_queue_lock
from parviraptor.worker.loop import DEFAULT_TEMPORARY_FAILURE_THRESHOLD
from parviraptor.worker.outcomes import Outcome
from parviraptor.worker.transitions import record_outcome

logger = logging.getLogger("parviraptor.worker")

#: The statuses ``fetch_next_job`` can fetch, and the one each leaves out.
_OTHER_WAITING = {JobStatus.NEW: JobStatus.DEFERRED, JobStatus.DEFERRED: JobStatus.NEW}


class _NextJobClaimer(Claimer):
    """A ``Claimer`` of one job that sees only jobs of one waiting status
    (NEW or DEFERRED) and, with ``id_gt``, only ids above it."""

    def __init__(self, job_class: type[AbstractJob], status: str, id_gt: Any) -> None:
        super().__init__(job_class, slot_ids(1)[0], batch_size=1)
        self.left_out = _OTHER_WAITING[JobStatus(status)]
        self.id_gt = id_gt

    @property
    def jobs(self) -> Any:
        jobs = super().jobs.exclude(status=self.left_out)
        return jobs if self.id_gt is None else jobs.filter(pk__gt=self.id_gt)


def claim_next_job(
    job_class: type[AbstractJob], id_gt: Any = None, status: str = JobStatus.NEW
) -> AbstractJob | None:
    """Claim the next eligible job of ``status``; it is PROCESSING. None: none.

    Eligible as for a worker: due (its backoff passed) and, in an ordered
    queue, its key's head. ``id_gt``: only jobs with a greater id.
    """
    if status not in _OTHER_WAITING:
        raise ValueError(f"status must be NEW or DEFERRED, got {status!r}")
    claimer = _NextJobClaimer(job_class, status, id_gt)
    if job_class.is_keyed():
        ensure_queue_lock(job_class, claimer.using)
    jobs = claimer.claim(1)
    return jobs[0] if jobs else None


class JobWorker:
    """Processes one PROCESSING job (e.g. from ``fetch_next_job``) and saves
    its outcome, as the original's ``JobWorker`` did.

    The outcome is the worker's (see ``outcomes``), written compare-and-set
    on the job's claim; the job's ``status``, ``error_count`` and
    ``error_message`` are updated in memory. A temporary failure to be
    retried is raised again once saved, as the original did (its caller
    waited for the backoff; ours is kept by the job itself). Deferrals count
    against the same threshold (4.1 had a second one, 19 by default).
    """

    def __init__(
        self,
        job: AbstractJob,
        temporary_failure_threshold: int = DEFAULT_TEMPORARY_FAILURE_THRESHOLD,
        deferred_retry_threshold: int | None = None,
    ) -> None:
        if job.status != JobStatus.PROCESSING:
            raise ValueError(f"expected job to be PROCESSING, got {job.status}")
        if deferred_retry_threshold not in (None, temporary_failure_threshold):
            raise ValueError(
                "deferred_retry_threshold must equal temporary_failure_threshold: "
                "one threshold counts both kinds of retries"
            )
        self.job = job
        self.temporary_failure_threshold = temporary_failure_threshold
        self.deferred_retry_threshold = temporary_failure_threshold

    def process(self) -> Outcome:
        """Run the job, save its outcome; the outcome. A lost claim (the job
        was taken back meanwhile) saves nothing and is logged."""
        job = self.job
        errors_before = job.error_count
        outcome = run_job(job, self.temporary_failure_threshold)
        record_outcome(job, outcome, job.claimed_by)
        job.refresh_from_db(fields=["status", "error_count", "error_message"])
        if outcome.status == JobStatus.NEW:
            raise TemporaryJobFailure(outcome.error_message, errors_before)
        return outcome
