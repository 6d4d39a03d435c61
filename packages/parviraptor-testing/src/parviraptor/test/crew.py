"""A crew of test workers draining one queue together.

A worker of a crew that finds nothing eligible does not leave while another
member is still busy: the job that member is finishing may hand its key on
to a successor. The last member to find nothing ends the drain.
"""

from __future__ import annotations

import threading

__all__ = ["Crew"]


class Crew:
    """Counts the members that are busy claiming or processing."""

    def __init__(self, idle_wait: float = 0.02) -> None:
        self.idle_wait = idle_wait
        self._busy = 0
        self._lock = threading.Lock()

    def start_round(self) -> None:
        with self._lock:
            self._busy += 1

    def end_round(self) -> None:
        with self._lock:
            self._busy -= 1

    def others_busy(self) -> bool:
        """True while any member but the caller (already idle) is busy."""
        with self._lock:
            return self._busy > 0
