"""How many jobs to claim at once.

Claiming in batches saves a transaction per job; keeping a batch short in
time keeps the queue fair to other workers.
"""

from __future__ import annotations


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
