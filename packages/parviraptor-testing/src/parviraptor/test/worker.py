"""``InfinityLoopFreeQueueWorker``: a worker that returns once nothing is
eligible, for tests.

It is a ``QueueWorker`` with ``stop_when_empty=True`` that runs everything in
the calling thread and starts no heartbeat thread, so it works inside a
Django ``TestCase`` (one wrapping transaction, invisible to other threads) as
well as in a ``TransactionTestCase``. Jobs that are not eligible now (a
backoff delay not yet passed, ``is_processable()`` False, waiting behind an
unfinished job of their key) are left as they are.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

from django.db import connections

from parviraptor.models import AbstractJob
from parviraptor.test.crew import Crew
from parviraptor.worker.loop import DEFAULT_TEMPORARY_FAILURE_THRESHOLD, QueueWorker

__all__ = ["InfinityLoopFreeQueueWorker"]

#: Idle waits of test workers (seconds): short, tests should not dawdle.
TEST_POLL_INTERVAL = 0.02

_OPEN_TRANSACTION_WARNING = "a job left a transaction open"


class _WrappingTransactionFilter(logging.Filter):
    """Drops the worker's "a job left a transaction open" errors of one thread.

    Inside a ``TestCase`` the test's own transaction is open around every
    job; that is expected, not the job's doing.
    """

    def __init__(self, thread_id: int) -> None:
        super().__init__()
        self.thread_id = thread_id

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.thread == self.thread_id
            and str(record.msg).startswith(_OPEN_TRANSACTION_WARNING)
        )


class InfinityLoopFreeQueueWorker(QueueWorker):
    """Processes every job of ``job_class`` that is eligible now, then returns.

    The positional arguments are the original's (those of ``QueueWorker``):
    ``InfinityLoopFreeQueueWorker(Job, pause_if_queue_empty,
    temporary_failure_threshold)``. The pause is never waited: this worker
    returns when idle (a job that is not processable now waits
    ``poll_interval``, 0.02 s, before it is left). It claims in batches, as
    ``process_queue`` does (``batch_size``, 100 at most). ``crew``: several
    workers draining the same queue from parallel threads share one ``Crew``
    so that none leaves while another may still hand a key on; they claim
    one job at a time by default, so that they interleave. Other keyword
    arguments are those of ``QueueWorker``. SIGINT/SIGTERM are left alone
    (Ctrl-C ends a test run as usual).
    """

    def __init__(
        self,
        job_class: type[AbstractJob],
        pause_if_queue_empty: bool | timedelta = True,
        temporary_failure_threshold: int = DEFAULT_TEMPORARY_FAILURE_THRESHOLD,
        *,
        crew: Crew | None = None,
        **options: Any,
    ) -> None:
        options.setdefault("poll_interval", TEST_POLL_INTERVAL)
        if crew is not None:
            options.setdefault("batch_size", 1)
        options.setdefault("own_heartbeat", False)
        options["stop_when_empty"] = True
        options["handle_signals"] = False
        super().__init__(
            job_class, pause_if_queue_empty, temporary_failure_threshold, **options
        )
        self.crew = crew

    def run(self) -> None:
        """Process until nothing is eligible; inside a transaction if one is open."""
        log_filter = None
        if connections[self.claimer.using].in_atomic_block:
            log_filter = _WrappingTransactionFilter(threading.get_ident())
            logging.getLogger("parviraptor.worker").addFilter(log_filter)
        try:
            super().run()
        finally:
            if log_filter is not None:
                logging.getLogger("parviraptor.worker").removeFilter(log_filter)

    def run_once(self) -> bool:
        """One claim and its jobs; False once there is nothing left to do.

        A round that only gave back jobs that are not processable now
        counts as nothing to do: retrying them at once would never end.
        """
        if self.crew is not None:
            self.crew.start_round()
        try:
            processed_before = self.processed
            worked = super().run_once()
            progressed = self.processed > processed_before or (
                worked and self.claimer.sequenced > 0
            )
        finally:
            if self.crew is not None:
                self.crew.end_round()
        if progressed or self.stop_event.is_set():
            return progressed
        return self._wait_for_crew()

    def _wait_for_crew(self) -> bool:
        """Nothing to do: go on (after a short wait) while crew mates work."""
        if self.crew is None or not self.crew.others_busy():
            return False
        self.stop_event.wait(self.crew.idle_wait)
        return True
