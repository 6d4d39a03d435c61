"""The job mix of a chaos run: independent, strict FIFO and per-key FIFO jobs.

Most jobs succeed at once; some fail temporarily one to three times, some
fail for good, and some sleep long enough to be killed mid-job. The strict
FIFO queue fails for good only once, near its end: everything after that
failure must end FAILED as "dependent jobs failed".
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from chaos.jobs.models import ChaosFifoJob, ChaosIndependentJob, ChaosKeyedJob


@dataclass(frozen=True)
class Mix:
    """Sizes and shares of one run."""

    jobs: int
    keys: int
    fail_share: float = 0.01
    temporary_share: float = 0.08
    sleep_share: float = 0.015
    sleep_range: tuple[float, float] = (0.8, 2.5)

    @property
    def sizes(self) -> dict[str, int]:
        fifo = max(10, self.jobs // 10)
        keyed = self.jobs // 2
        return {
            "ChaosIndependentJob": self.jobs - fifo - keyed,
            "ChaosKeyedJob": keyed,
            "ChaosFifoJob": fifo,
        }


def _behaviour(rng: random.Random, mix: Mix, may_fail: bool) -> dict[str, Any]:
    roll = rng.random()
    fields: dict[str, Any] = {"kind": "ok"}
    if may_fail and roll < mix.fail_share:
        fields["kind"] = "fail"
    elif roll < mix.fail_share + mix.temporary_share:
        fields.update(kind="temporary", fail_times=rng.randint(1, 3))
    if rng.random() < mix.sleep_share:
        fields["sleep_seconds"] = round(rng.uniform(*mix.sleep_range), 2)
    return fields


def build(mix: Mix, seed: int) -> dict[str, list[Any]]:
    """Unsaved jobs per model name."""
    rng = random.Random(seed)
    sizes = mix.sizes
    independent = [
        ChaosIndependentJob(**_behaviour(rng, mix, True))
        for _ in range(sizes["ChaosIndependentJob"])
    ]
    keyed = [
        ChaosKeyedJob(key_no=rng.randrange(mix.keys), **_behaviour(rng, mix, True))
        for _ in range(sizes["ChaosKeyedJob"])
    ]
    fifo_size = sizes["ChaosFifoJob"]
    fifo = [ChaosFifoJob(**_behaviour(rng, mix, False)) for _ in range(fifo_size)]
    fifo[int(fifo_size * 0.95)].kind = "fail"
    for job in fifo:  # the FIFO runs one job at a time: keep its sleeps short
        job.sleep_seconds = min(job.sleep_seconds, 1.0)
    return {
        "ChaosIndependentJob": independent,
        "ChaosKeyedJob": keyed,
        "ChaosFifoJob": fifo,
    }


def enqueue(mix: Mix, seed: int) -> dict[str, int]:
    """Insert the run's jobs; how many per model."""
    models = {
        "ChaosIndependentJob": ChaosIndependentJob,
        "ChaosKeyedJob": ChaosKeyedJob,
        "ChaosFifoJob": ChaosFifoJob,
    }
    counts = {}
    for name, jobs in build(mix, seed).items():
        models[name].objects.bulk_create(jobs, batch_size=1000)
        counts[name] = models[name].objects.count()
    return counts
