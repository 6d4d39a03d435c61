"""Running several worker slots of one queue in one process, with signals.

SIGTERM/SIGINT: every running job is told (``on_job_terminated()``) and
finishes, nothing new starts, idle waits end at once, and the pool returns.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import connections

from parviraptor.models import AbstractJob
from parviraptor.worker.heartbeat import Heartbeat
from parviraptor.worker.identity import slot_ids
from parviraptor.worker.loop import QueueWorker
from parviraptor.worker.signals import stop_on_signals

logger = logging.getLogger("parviraptor.worker")


class WorkerPool:
    """``concurrency`` QueueWorker slots sharing one heartbeat and one stop event."""

    def __init__(
        self, job_class: type[AbstractJob], concurrency: int = 1, **options: Any
    ) -> None:
        self.job_class = job_class
        self.stop_event = threading.Event()
        self.workers = [
            QueueWorker(
                job_class,
                stop_event=self.stop_event,
                worker_id=worker_id,
                own_heartbeat=False,
                **options,
            )
            for worker_id in slot_ids(concurrency)
        ]
        threshold = self.workers[0].threshold
        ids = [worker.worker_id for worker in self.workers]
        self.heartbeat = Heartbeat(job_class, ids, threshold)
        for worker in self.workers:
            worker.lease = self.heartbeat

    def stop(self) -> None:
        self.stop_event.set()
        for worker in self.workers:
            worker.terminate_current_job()

    def run(self) -> int:
        """Run until stopped (or, with ``stop_when_empty``, until idle); jobs done."""
        self.workers[0].prepare()
        self.heartbeat.start(self.stop_event)
        threads = [
            threading.Thread(target=_run_slot, args=(worker,), name=worker.worker_id)
            for worker in self.workers
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():
                    thread.join(timeout=0.5)
        finally:
            self.stop_event.set()
            self.heartbeat.stop()
        return sum(worker.processed for worker in self.workers)

    @property
    def crashed(self) -> bool:
        return any(worker.crashed for worker in self.workers)


def _run_slot(worker: QueueWorker) -> None:
    try:
        worker.run()
    except Exception:
        logger.exception("worker slot %s crashed", worker.worker_id)
        worker.crashed = True
        worker.stop_event.set()
    finally:
        connections.close_all()


def run_worker_pool(
    job_class: type[AbstractJob], concurrency: int = 1, **options: Any
) -> int:
    """Process ``job_class`` with ``concurrency`` slots until a stop signal."""
    pool = WorkerPool(job_class, concurrency, **options)
    with stop_on_signals(pool.stop):
        return pool.run()


class PoolResult:
    """What a command needs to know after the pool ended."""

    def __init__(self, processed: int, crashed: bool) -> None:
        self.processed = processed
        self.crashed = crashed


def run_worker_pool_for_command(
    job_class: type[AbstractJob], concurrency: int = 1, **options: Any
) -> PoolResult:
    options = {name: value for name, value in options.items() if value is not None}
    pool = WorkerPool(job_class, concurrency, **options)
    with stop_on_signals(pool.stop):
        processed = pool.run()
    return PoolResult(processed, pool.crashed)
