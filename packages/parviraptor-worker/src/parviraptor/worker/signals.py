"""Stopping gracefully on SIGTERM/SIGINT while a worker runs in the main thread."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

logger = logging.getLogger("parviraptor.worker")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """While the block runs, SIGTERM and SIGINT call ``stop()``; afterwards
    the previous handlers are back.

    Python runs signal handlers in the main thread only; elsewhere nothing is
    installed (whoever owns the main thread handles the signals).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        logger.warning("%s: finishing the running jobs, then exiting", name)
        stop()

    previous = {signum: signal.signal(signum, handle) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            # None: a handler not installed from Python; the default is closest.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
