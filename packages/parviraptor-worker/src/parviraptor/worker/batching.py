"""How many jobs to claim at once, and when to write finished jobs' results.

Claiming and writing in batches is what lets a worker outrun one commit per
state change; keeping batches short in time keeps the queue fair to other
workers and the written state fresh.
"""

from __future__ import annotations

import time

from parviraptor.worker.transitions import Finished


class AdaptiveBatchSize:
    """Claim about ``target_seconds`` of work: many fast jobs, or one slow one."""

    def __init__(self, maximum: int, target_seconds: float = 0.5) -> None:
        self.maximum = max(1, maximum)
        self.target_seconds = target_seconds
        self.average: float | None = None  # seconds per job, moving average

    def size(self) -> int:
        if self.average is None:
            return min(self.maximum, 4)
        wanted = int(self.target_seconds / max(self.average, 1e-6))
        return max(1, min(self.maximum, wanted))

    def observe(self, seconds_per_job: float) -> None:
        if self.average is None:
            self.average = seconds_per_job
        else:
            self.average = 0.7 * self.average + 0.3 * seconds_per_job


class CompletionBuffer:
    """Finished jobs waiting to be written, at most ``max_age`` seconds."""

    def __init__(self, max_age: float = 0.2) -> None:
        self.max_age = max_age
        self.items: list[Finished] = []

    def add(self, item: Finished) -> None:
        self.items.append(item)

    def due(self) -> bool:
        return (
            bool(self.items)
            and time.monotonic() - self.items[0].finished_at >= self.max_age
        )

    def take(self) -> list[Finished]:
        items, self.items = self.items, []
        return items
