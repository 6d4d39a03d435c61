"""``measure_stats``: profile a block of code and print where its time went."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from cProfile import Profile
from pstats import SortKey, Stats
from typing import TextIO

__all__ = ["measure_stats"]


@contextmanager
def measure_stats(
    stream: TextIO | None = None,
    sort_by: str = SortKey.CUMULATIVE,
    limit: int | None = None,
) -> Iterator[Profile]:
    """Profile the ``with`` block with cProfile, then print its statistics.

    As in the original parviraptor: to standard output, sorted by cumulative
    time. ``stream``, ``sort_by`` and ``limit`` (the number of rows) change
    that. The statistics are printed even when the block raises.
    """
    profile = Profile()
    profile.enable()
    try:
        yield profile
    finally:
        profile.disable()
        stats = Stats(profile, stream=stream or sys.stdout).sort_stats(sort_by)
        stats.print_stats(*([] if limit is None else [limit]))
