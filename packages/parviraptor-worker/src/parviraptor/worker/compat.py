"""Names of the original parviraptor's ``parviraptor.worker`` (2.x, 4.x).

Re-exported by ``parviraptor.worker``; each stands for something of ours.
"""

from __future__ import annotations

import logging
from typing import Any

from parviraptor.worker.loop import DEFAULT_TEMPORARY_FAILURE_THRESHOLD, QueueWorker
from parviraptor.worker.single import JobWorker

__all__ = [
    "DEFAULT_DEFERRED_RETRY_THRESHOLD",
    "DEFAULT_TEMPORARY_FAILURE_THRESHOLD",
    "JobWorker",
    "QueueWorker",
    "QueueWorkerLogger",
]

#: Since 4.0: retries of ``DeferJob`` before FAILED; ours counts them with the
#: temporary failures' threshold, so it is the same number.
DEFAULT_DEFERRED_RETRY_THRESHOLD = DEFAULT_TEMPORARY_FAILURE_THRESHOLD

logger = logging.getLogger("parviraptor.worker")


class QueueWorkerLogger:
    """Since 2.x: the original ``QueueWorker``'s progress log ("processing
    jobs...", "processed N jobs. awaiting new jobs."), for code that used it;
    our worker does not. It logs to ``parviraptor.worker``."""

    def __init__(self) -> None:
        self._counter = 0
        self._is_idle = False
        self._is_processable = True

    def info(self, *args: Any, **kwargs: Any) -> None:
        logger.info(*args, **kwargs)

    def debug(self, *args: Any, **kwargs: Any) -> None:
        logger.debug(*args, **kwargs)

    def mutate_to_processing_state(self) -> None:
        """A job starts: the first after idling is announced."""
        self._is_idle = False
        self._is_processable = True
        if self._counter == 0:
            self.info("processing jobs...")
        self._counter += 1

    def mutate_to_idle_state(self) -> None:
        """Nothing eligible: how many jobs ran since the last report."""
        if self._counter > 0 or not self._is_idle:
            self.info(f"processed {self._counter} jobs. awaiting new jobs.")
        self._is_idle = True
        self._counter = 0

    def mutate_to_unprocessable_state(self) -> None:
        """``is_processable()`` said no: reported once until it says yes."""
        if self._counter > 0 or self._is_processable:
            self.info(f"processed {self._counter} jobs so far.")
            self.info(
                "queue turned unprocessable right now. "
                "waiting until queue is processable again."
            )
        self._is_processable = False
        self._counter = 0
