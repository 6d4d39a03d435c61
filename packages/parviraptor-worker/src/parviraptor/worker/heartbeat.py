"""Heartbeats: each worker process tells the database that its slots live.

One thread per process updates ``last_seen`` of all its slots every
``PARVIRAPTOR_HEARTBEAT_INTERVAL`` seconds and, on the same tick, recovers
the jobs of lost workers of its queue. Long-running jobs are safe as long
as this thread keeps beating.

The heartbeat is also each slot's lease: a slot claims and starts jobs only
while ``holds_lease()``, i.e. its last successful beat is younger than half
the timeout. Recovery waits for the whole timeout by the database's clock,
so a slot that cannot beat (a partition, an outage) stops starting jobs
long before anybody may take its claims away.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Protocol

from django.db import connections

from parviraptor import conf
from parviraptor.dbtime import DatabaseNow
from parviraptor.models import AbstractJob
from parviraptor.worker.db import is_transient_error
from parviraptor.worker.locking import queue_label
from parviraptor.worker.models import WorkerHeartbeat
from parviraptor.worker.recovery import recover_lost_jobs
from parviraptor.worker.resilience import drop_broken_connections, retry_on_outage
from parviraptor.worker.transitions import database_for

logger = logging.getLogger("parviraptor.worker")


class Lease(Protocol):
    """What a slot asks before it claims or starts a job."""

    def holds_lease(self) -> bool: ...


class Heartbeat:
    """Registers ``worker_ids`` and keeps them alive from a daemon thread."""

    def __init__(
        self,
        job_class: type[AbstractJob],
        worker_ids: list[str],
        threshold: int = 19,
        interval: float | None = None,
    ) -> None:
        self.job_class = job_class
        self.worker_ids = list(worker_ids)
        self.threshold = threshold
        self.interval = interval or conf.heartbeat_interval()
        self.using = database_for(job_class)
        self._stopped = threading.Event()
        self._healthy_since: float | None = None
        self._last_beat: float | None = None
        self._thread = threading.Thread(
            target=self._run, name="parviraptor-heartbeat", daemon=True
        )

    def start(self, stop: threading.Event | None = None) -> None:
        """Write the first heartbeat (before any claim), then beat in the background."""
        retry_on_outage(self.beat, "heartbeat", stop)
        self._thread.start()

    def stop(self) -> None:
        """Stop beating and remove this process's rows: a clean exit."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()
        try:
            self._rows().delete()
        except Exception:
            logger.warning("could not remove heartbeat rows", exc_info=True)

    def _rows(self):  # type: ignore[no-untyped-def]
        return WorkerHeartbeat.objects.using(self.using).filter(
            worker_id__in=self.worker_ids
        )

    def beat(self) -> None:
        sent = time.monotonic()
        now = DatabaseNow()
        if self._rows().update(last_seen=now) < len(self.worker_ids):
            self._register_missing()
        self._last_beat = sent

    def holds_lease(self) -> bool:
        """True while the last successful beat is younger than half the timeout."""
        last = self._last_beat
        if last is None:
            return False
        return time.monotonic() - last < conf.heartbeat_timeout() / 2

    def _register_missing(self) -> None:
        present = set(self._rows().values_list("worker_id", flat=True))
        rows = WorkerHeartbeat.objects.using(self.using)
        for worker_id in self.worker_ids:
            if worker_id not in present:
                rows.create(
                    worker_id=worker_id,
                    queue=queue_label(self.job_class),
                    hostname=socket.gethostname()[:255],
                    pid=os.getpid(),
                    started_at=DatabaseNow(),
                    last_seen=DatabaseNow(),
                )

    def _run(self) -> None:
        try:
            while not self._stopped.wait(self.interval):
                self._tick()
        finally:
            connections.close_all()

    def _tick(self) -> None:
        """Beat; recover lost workers' jobs only after beating well for a
        whole timeout: after an outage, live workers need that long to beat
        again, and must not be taken for dead. A failed recovery (a
        deadlock, say) is tried again next tick and does not count as a
        failed beat."""
        try:
            self.beat()
        except Exception as exc:
            self._healthy_since = None
            self._log_failure("heartbeat", exc)
            drop_broken_connections()
            return
        if self._healthy_since is None:
            self._healthy_since = time.monotonic()
        if time.monotonic() - self._healthy_since < conf.heartbeat_timeout():
            return
        try:
            recover_lost_jobs(self.job_class, self.threshold)
        except Exception as exc:
            self._log_failure("recovery", exc)
            drop_broken_connections()

    def _log_failure(self, what: str, exc: Exception) -> None:
        """Database trouble in one line; anything else with its traceback."""
        if is_transient_error(exc):
            logger.warning("%s failed (%s); trying again", what, exc)
        else:
            logger.warning("%s failed; trying again", what, exc_info=True)
