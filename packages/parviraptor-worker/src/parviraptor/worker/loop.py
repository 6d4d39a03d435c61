"""``QueueWorker``: the loop of one worker slot over one queue."""

from __future__ import annotations

import logging
import threading

from django.db import connections

from parviraptor import conf
from parviraptor.models import AbstractJob
from parviraptor.worker.claims import Claimer
from parviraptor.worker.execution import run_job
from parviraptor.worker.heartbeat import Heartbeat
from parviraptor.worker.identity import slot_ids
from parviraptor.worker.locking import ensure_queue_lock
from parviraptor.worker.resilience import retry_on_outage
from parviraptor.worker.transitions import record_outcome, release_jobs

logger = logging.getLogger("parviraptor.worker")


class QueueWorker:
    """Claims and processes jobs of ``job_class`` until stopped.

    ``pause_if_queue_empty``: wait ``poll_interval`` seconds when nothing is
    eligible (False polls again at once). ``stop_when_empty``: return once
    nothing is eligible (``--until-empty``). ``temporary_failure_threshold``:
    retries before a job becomes FAILED. Pass ``heartbeat=None`` when a pool
    beats for this slot; by default ``run()`` beats for itself.
    """

    def __init__(
        self,
        job_class: type[AbstractJob],
        pause_if_queue_empty: bool = True,
        temporary_failure_threshold: int = 19,
        *,
        poll_interval: float | None = None,
        batch_size: int = 10,
        stop_when_empty: bool = False,
        stop_event: threading.Event | None = None,
        worker_id: str | None = None,
        own_heartbeat: bool = True,
    ) -> None:
        self.job_class = job_class
        self.pause_if_queue_empty = pause_if_queue_empty
        self.threshold = temporary_failure_threshold
        self.poll_interval = poll_interval or conf.poll_interval()
        self.stop_when_empty = stop_when_empty
        self.stop_event = stop_event or threading.Event()
        self.worker_id = worker_id or slot_ids(1)[0]
        self.own_heartbeat = own_heartbeat
        self.claimer = Claimer(job_class, self.worker_id, batch_size)
        self.current_job: AbstractJob | None = None
        self.processed = 0
        self.crashed = False

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
        """Set up what claims need (the queue lock row of an ordered queue)."""
        if self.job_class.is_keyed():
            using = self.claimer.using
            retry_on_outage(
                lambda: ensure_queue_lock(self.job_class, using),
                "prepare",
                self.stop_event,
            )

    def run(self) -> None:
        self.prepare()
        heartbeat = None
        if self.own_heartbeat:
            heartbeat = Heartbeat(self.job_class, [self.worker_id], self.threshold)
            heartbeat.start(self.stop_event)
        try:
            self._loop()
        finally:
            if heartbeat is not None:
                heartbeat.stop()

    def _loop(self) -> None:
        while not self.stop_event.is_set():
            worked = retry_on_outage(self.run_once, "claim", self.stop_event)
            if worked:
                continue
            if self.stop_when_empty or self.stop_event.is_set():
                return
            if self.pause_if_queue_empty:
                self.stop_event.wait(self.poll_interval)

    def run_once(self) -> bool:
        """Claim one batch and process it; False when nothing was eligible."""
        if not self.claimer.has_work():
            return False
        jobs = self.claimer.claim()
        for index, job in enumerate(jobs):
            if self.stop_event.is_set() or not self._start(job):
                self._release(jobs[index:])
                return True
            self._process(job)
        return bool(jobs) or self.claimer.sequenced > 0

    def _start(self, job: AbstractJob) -> bool:
        if job.is_processable():
            return True
        logger.info("%s is not processable now; waiting", job)
        self.stop_event.wait(self.poll_interval)
        return False

    def _process(self, job: AbstractJob) -> None:
        self.current_job = job
        try:
            outcome = run_job(job, self.threshold)
        finally:
            self.current_job = None
        _discard_failed_connection_state()
        retry_on_outage(
            lambda: record_outcome(job, outcome, self.worker_id), "record outcome"
        )
        self.processed += 1

    def _release(self, jobs: list[AbstractJob]) -> None:
        pks = [job.pk for job in jobs]
        retry_on_outage(
            lambda: release_jobs(self.job_class, pks, self.worker_id), "release"
        )


def _discard_failed_connection_state() -> None:
    """After a job: close connections the job left broken, keep healthy ones."""
    for connection in connections.all():
        if connection.in_atomic_block:
            logger.error("a job left a transaction open on %r", connection.alias)
            continue
        if getattr(connection, "errors_occurred", False):
            connection.close_if_unusable_or_obsolete()
