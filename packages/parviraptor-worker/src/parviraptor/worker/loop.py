"""``QueueWorker``: the loop of one worker slot over one queue."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

from django.db import connections

from parviraptor import conf
from parviraptor.models import AbstractJob
from parviraptor.worker.batching import AdaptiveBatchSize
from parviraptor.worker.claims import Claimer
from parviraptor.worker.execution import run_job
from parviraptor.worker.heartbeat import Heartbeat, Lease
from parviraptor.worker.identity import slot_ids
from parviraptor.worker.locking import ensure_queue_lock
from parviraptor.worker.outcomes import KEY_GOES_ON, Outcome
from parviraptor.worker.recovery import recover_old_workers_rows
from parviraptor.worker.resilience import retry_on_outage
from parviraptor.worker.result_row import holds_its_place
from parviraptor.worker.schema import check_schema
from parviraptor.worker.signals import stop_on_signals
from parviraptor.worker.transitions import (
    Finished,
    hand_on_after,
    record_outcomes,
    release_all_claims,
    release_jobs,
)

logger = logging.getLogger("parviraptor.worker")

#: Retries of a temporary failure before a job becomes FAILED (the original's).
DEFAULT_TEMPORARY_FAILURE_THRESHOLD = 19


class QueueWorker:
    """Claims and processes jobs of ``job_class`` until stopped.

    The positional arguments are the original's: ``QueueWorker(Job,
    pause_if_queue_empty, temporary_failure_threshold)``.

    ``pause_if_queue_empty``: how long to wait when nothing is eligible (or
    the next job is not processable). A ``timedelta`` is that wait, as in the
    original (``timedelta(0)``: look again at once); ``True`` waits
    ``poll_interval`` seconds (``PARVIRAPTOR_POLL_INTERVAL``), ``False`` looks
    again at once. An explicit ``poll_interval`` wins over a ``timedelta``.
    ``stop_when_empty``: return once nothing is eligible (``--until-empty``).
    ``temporary_failure_threshold``: retries before a job becomes FAILED.
    Pass ``heartbeat=None`` when a pool beats for this slot; by default
    ``run()`` beats for itself. ``handle_signals``: whether ``run()``, called
    in the main thread, stops gracefully on SIGTERM/SIGINT (see ``run``).
    """

    def __init__(
        self,
        job_class: type[AbstractJob],
        pause_if_queue_empty: bool | timedelta = True,
        temporary_failure_threshold: int = DEFAULT_TEMPORARY_FAILURE_THRESHOLD,
        *,
        poll_interval: float | None = None,
        batch_size: int = 100,
        stop_when_empty: bool = False,
        stop_event: threading.Event | None = None,
        worker_id: str | None = None,
        own_heartbeat: bool = True,
        handle_signals: bool = True,
    ) -> None:
        pause = pause_seconds(pause_if_queue_empty)
        self.job_class = job_class
        self.threshold = temporary_failure_threshold
        self.poll_interval = poll_interval or pause or conf.poll_interval()
        #: The idle wait, a ``timedelta`` as in the original (0: none).
        self.pause_if_queue_empty = (
            timedelta(seconds=self.poll_interval)
            if pause_if_queue_empty
            else timedelta(0)
        )
        self.stop_when_empty = stop_when_empty
        self.stop_event = stop_event or threading.Event()
        self.worker_id = worker_id or slot_ids(1)[0]
        self.own_heartbeat = own_heartbeat
        self.handle_signals = handle_signals
        self.claimer = Claimer(job_class, self.worker_id, batch_size)
        self.lease: Lease | None = None  # None: nobody beats (tests)
        self.batch = AdaptiveBatchSize(batch_size)
        self._baseline: dict[str, int] = {}
        self._claims_in_doubt = False
        self._terminating: threading.Thread | None = None
        self.current_job: AbstractJob | None = None
        self.processed = 0
        self.crashed = False

    @property
    def Job(self) -> type[AbstractJob]:
        """The job class (the original's name for ``job_class``)."""
        return self.job_class

    @property
    def temporary_failure_threshold(self) -> int:
        """Retries before FAILED (the original's name for ``threshold``)."""
        return self.threshold

    @temporary_failure_threshold.setter
    def temporary_failure_threshold(self, value: int) -> None:
        self.threshold = value

    def stop(self) -> None:
        """Finish the running job, start nothing new, end ``run()``."""
        self.stop_event.set()

    def terminate_current_job(self) -> None:
        """Tell the running job (if any) that the worker is stopping."""
        job = self.current_job
        if job is not None:
            try:
                job.on_job_terminated()
            except Exception:
                logger.exception("%s.on_job_terminated() failed", job)

    def prepare(self) -> None:
        """Check the schema, set up what claims need (the queue lock row of
        an ordered queue), take in rows an old worker left (``legacy``:
        heads of their keys, recovered once older than ``legacy_timeout``).
        Raises ``SchemaNotMigrated`` on a database not migrated yet."""
        retry_on_outage(self._prepare_database, "prepare", self.stop_event)

    def _prepare_database(self) -> None:
        using = self.claimer.using
        check_schema(self.job_class, using)
        if self.job_class.is_keyed():
            ensure_queue_lock(self.job_class, using)
        recover_old_workers_rows(self.job_class, self.threshold)

    def run(self) -> None:
        """Process jobs until stopped (or, with ``stop_when_empty``, idle).

        Called in the main thread, SIGTERM and SIGINT stop it as they stop
        ``process_queue``: the running job is told (``on_job_terminated()``,
        from a thread of its own) and finishes, nothing new starts, an idle
        wait ends at once, and ``run()`` returns. The previous handlers are
        back afterwards. Elsewhere (a pool's thread) the owner handles signals.
        """
        handling = self.handle_signals
        with stop_on_signals(self._stop_on_signal) if handling else nullcontext():
            try:
                self._run()
            finally:
                if self._terminating is not None:
                    self._terminating.join()

    def _run(self) -> None:
        self.prepare()
        heartbeat = None
        if self.own_heartbeat:
            heartbeat = Heartbeat(self.job_class, [self.worker_id], self.threshold)
            heartbeat.start(self.stop_event)
            self.lease = heartbeat
        try:
            self._loop()
            if self._claims_in_doubt:  # stopped while riding out an outage
                self._give_back_claims_in_doubt()
        finally:
            if heartbeat is not None:
                heartbeat.stop()

    def _stop_on_signal(self) -> None:
        """In a signal handler, which interrupts the running job (and maybe
        its query): stop, and tell the job from another thread, which has a
        database connection of its own."""
        self.stop()
        if self.current_job is not None and self._terminating is None:
            self._terminating = threading.Thread(
                target=self._terminate, name=f"{self.worker_id}-terminate"
            )
            self._terminating.start()

    def _terminate(self) -> None:
        try:
            self.terminate_current_job()
        finally:
            connections.close_all()

    def _loop(self) -> None:
        self._baseline = _atomic_depths()
        while not self.stop_event.is_set():
            if not self.holds_lease():  # claims now could be recovered any time
                self.stop_event.wait(self.poll_interval)
                continue
            worked = retry_on_outage(self._attempt, "claim", self.stop_event)
            if worked:
                continue
            if self.stop_when_empty or self.stop_event.is_set():
                return
            if self.pause_if_queue_empty:
                self.stop_event.wait(self.poll_interval)

    def _attempt(self) -> bool:
        """``run_once``, after giving back claims an error left in doubt.

        Between two batches a slot holds no claim, unless a batch ended in a
        database error: a claim may have committed while the connection died,
        or jobs of the batch were never started. Left alone, such jobs would
        stay claimed by a live worker, neither processed nor recovered.
        """
        if self._claims_in_doubt:
            self._give_back_claims_in_doubt()
        self._claims_in_doubt = True
        worked = self.run_once()
        self._claims_in_doubt = False
        return worked

    def _give_back_claims_in_doubt(self) -> None:
        released = retry_on_outage(
            lambda: release_all_claims(self.job_class, self.worker_id),
            "release",
            self.stop_event,
        )
        if released:
            logger.warning(
                "%s: gave back %d jobs left claimed by a database error",
                self.worker_id,
                released,
            )
        self._claims_in_doubt = False

    def holds_lease(self) -> bool:
        """May this slot claim and start jobs? Not while its heartbeat lapses."""
        return self.lease is None or self.lease.holds_lease()

    def run_once(self) -> bool:
        """Claim one batch and process it; False when nothing was eligible.

        A batch none of whose jobs was processable now counts as nothing
        eligible: ``--until-empty`` ends, a running worker waits.
        """
        if not self.claimer.has_work():
            return False
        jobs = self.claimer.claim(self.batch.size())
        started = time.monotonic()
        processed = self._process_batch(jobs)
        if processed:
            self.batch.observe((time.monotonic() - started) / processed)
        elif jobs and not self.stop_event.is_set():
            return False
        return bool(jobs) or self.claimer.sequenced > 0

    def _process_batch(self, jobs: list[AbstractJob]) -> int:
        """Run ``jobs`` in id order; how many were processed.

        Each result is written before the next job starts, so a lost
        worker's claims are exactly its one running job and jobs it never
        started: recovery charges the first and gives the others back
        untouched. A key whose job did not let it go on (FAILED, or NEW
        again) ends its run at once; a lapsed lease or a lost claim ends the
        batch.
        """
        remaining = [(job, _key(job)) for job in jobs]
        processed = 0
        while remaining:
            job, key = remaining.pop(0)
            if not self._may_start(job):
                self._release([job, *(other for other, _ in remaining)])
                break
            outcome = self._process(job)
            processed += 1
            run = [o for o, k in remaining if k == key] if key is not None else []
            ends_run = bool(run) and outcome.status not in KEY_GOES_ON
            if ends_run:  # back first: once written, the job can be claimed
                remaining = self._give_back(run, remaining)
            if not self._write(job, outcome, hand_on=ends_run or not run):
                self._claim_lost(job, [other for other, _ in remaining])
                break
            if run and not ends_run and job.status not in KEY_GOES_ON:
                # Written FAILED after all (the fields it set were refused).
                remaining = self._give_back(run, remaining)
                self._hand_on(job)
        return processed

    def _give_back(
        self, run: list[AbstractJob], remaining: list[tuple[AbstractJob, Any]]
    ) -> list[tuple[AbstractJob, Any]]:
        """Release the rest of a key's run; what remains of the batch."""
        self._release(run)
        return [(job, key) for job, key in remaining if job not in run]

    def _may_start(self, job: AbstractJob) -> bool:
        if self.stop_event.is_set():
            return False
        if not self.holds_lease():
            logger.warning("%s: heartbeat lapsing; starting nothing", self.worker_id)
            return False
        return self._start(job)

    def _claim_lost(self, job: AbstractJob, unstarted: list[AbstractJob]) -> None:
        """``job``'s claim was taken (recovered as if this slot had died), or
        its result could not be written before a stop: the rest of the batch
        may be someone else's by now; start none of it."""
        if self.stop_event.is_set():
            logger.warning(
                "%s: stopped before the result of %s could be written; it is "
                "recovered like a lost worker's job",
                self.worker_id,
                job,
            )
        else:
            logger.warning(
                "%s: claim of %s was lost; abandoning %d claimed jobs",
                self.worker_id,
                job,
                len(unstarted),
            )
        self._release(unstarted)

    def _start(self, job: AbstractJob) -> bool:
        if job.is_processable():
            return True
        logger.info("%s is not processable now; waiting", job)
        self.stop_event.wait(self.poll_interval)
        return False

    def _process(self, job: AbstractJob) -> Outcome:
        self.current_job = job
        try:
            outcome = run_job(job, self.threshold)
        finally:
            self.current_job = None
        _discard_failed_connection_state(self._baseline)
        self.processed += 1
        return outcome

    def _write(self, job: AbstractJob, outcome: Outcome, hand_on: bool) -> bool:
        """Write one result; False when its claim was lost, or when stopped
        while riding out an outage (the claim is recovered like a lost
        worker's). ``hand_on=False`` while the rest of its key's run follows
        (no key to pass on yet: one plain UPDATE)."""
        finished = [Finished(job, outcome)]
        written = retry_on_outage(
            lambda: record_outcomes(self.job_class, finished, self.worker_id, hand_on),
            "record outcome",
            self.stop_event,
        )
        return bool(written)

    def _hand_on(self, job: AbstractJob) -> None:
        retry_on_outage(
            lambda: hand_on_after(self.job_class, [job]), "hand on", self.stop_event
        )

    def _release(self, jobs: list[AbstractJob]) -> None:
        pks = [job.pk for job in jobs]
        if pks:
            retry_on_outage(
                lambda: release_jobs(self.job_class, pks, self.worker_id),
                "release",
                self.stop_event,
            )


def _key(job: AbstractJob) -> tuple[Any, ...] | None:
    """The job's ordering key; None for jobs run out of any key's order
    (independent jobs, a DEFERRED job's retry)."""
    if not holds_its_place(job):
        return None
    return tuple(job.key_filter().values())


def _atomic_depths() -> dict[str, int]:
    """How deep each of this thread's connections is in ``atomic`` blocks."""
    return {c.alias: len(getattr(c, "atomic_blocks", ())) for c in connections.all()}


def _discard_failed_connection_state(baseline: dict[str, int]) -> None:
    """After a job: close connections the job left broken, keep healthy ones.

    ``baseline`` holds the depths at which the worker started (a Django
    ``TestCase`` runs the worker inside its own transaction).
    """
    for connection in connections.all():
        depth = len(getattr(connection, "atomic_blocks", ()))
        if depth > baseline.get(connection.alias, 0):
            logger.error("a job left a transaction open on %r", connection.alias)
            continue
        if connection.in_atomic_block:
            continue
        if getattr(connection, "errors_occurred", False):
            connection.close_if_unusable_or_obsolete()


def pause_seconds(pause: bool | timedelta) -> float | None:
    """The idle wait a ``pause_if_queue_empty`` asks for; None: the default
    (``True``) or none at all (``False``, a zero ``timedelta``)."""
    if isinstance(pause, bool):
        return None
    if not isinstance(pause, timedelta):
        raise TypeError(
            f"pause_if_queue_empty must be a bool or a timedelta, got {pause!r}"
        )
    if pause < timedelta(0):
        raise ValueError(f"pause_if_queue_empty must not be negative, got {pause!r}")
    return pause.total_seconds() or None
