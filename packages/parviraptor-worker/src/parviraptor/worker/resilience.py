"""Riding out database outages: reconnect and retry with a capped backoff."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

from parviraptor.worker.db import is_transient_error

logger = logging.getLogger("parviraptor.worker")

T = TypeVar("T")


class CappedBackoff:
    """Delays 0.5 s, 1 s, 2 s, ... up to ``cap`` seconds; ``reset()`` after success."""

    def __init__(self, initial: float = 0.5, cap: float = 30.0) -> None:
        self.initial = initial
        self.cap = cap
        self.attempt = 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.initial * (2**self.attempt))
        self.attempt += 1
        return delay

    def reset(self) -> None:
        self.attempt = 0


def drop_broken_connections() -> None:
    """Close this thread's connections so the next query reconnects."""
    for connection in connections.all():
        if not connection.in_atomic_block:
            try:
                connection.close()
            except Exception:  # a dead connection may fail to close
                logger.debug("closing a broken connection failed", exc_info=True)


def retry_on_outage(
    action: Callable[[], T],
    what: str,
    stop: threading.Event | None = None,
    backoff: CappedBackoff | None = None,
) -> T | None:
    """Run ``action`` until it gets through a transient database error.

    Returns ``None`` without retrying further once ``stop`` is set.
    """
    backoff = backoff or CappedBackoff()
    while True:
        try:
            result = action()
        except Exception as exc:
            if not is_transient_error(exc):
                raise
            drop_broken_connections()
            delay = backoff.next_delay()
            logger.warning(
                "%s: database error (%s); retrying in %.1fs", what, exc, delay
            )
            waiter = stop or threading.Event()
            if waiter.wait(delay):
                return None
            continue
        backoff.reset()
        return result
