"""Helpers for testing parviraptor job queues.

``QueueTestCase`` and ``make_test_case_for_all_queues`` for Django's test
runner and pytest-django alike, ``JobEntryFactory`` for the jobs they
process, ``drain`` (the ``drain_queue`` fixture's function),
``wait_for_jobs`` and ``measure_stats`` (to profile a block). The names are
imported on first use, so importing this package (as the pytest plugin
does) needs no configured Django. The original's modules ``case``,
``factory`` and ``utils`` are kept (``parviraptor.test.compat``).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "AllQueuesTestCase",
    "InfinityLoopFreeQueueWorker",
    "JobEntryFactory",
    "JobReport",
    "ParallelWorkersUnavailable",
    "QueueSummary",
    "QueueTestCase",
    "QueueTestMixin",
    "WorkerProcess",
    "drain",
    "find_order_violations",
    "make_test_case_for_all_queues",
    "measure_stats",
    "summarize_queue",
    "wait_for_jobs",
    "wait_until",
]

_HOMES = {
    "AllQueuesTestCase": "all_queues",
    "InfinityLoopFreeQueueWorker": "worker",
    "JobEntryFactory": "factories",
    "JobReport": "summary",
    "ParallelWorkersUnavailable": "draining",
    "QueueSummary": "summary",
    "QueueTestCase": "cases",
    "QueueTestMixin": "cases",
    "WorkerProcess": "processes",
    "drain": "draining",
    "find_order_violations": "ordering",
    "make_test_case_for_all_queues": "all_queues",
    "measure_stats": "profiling",
    "summarize_queue": "summary",
    "wait_for_jobs": "waiting",
    "wait_until": "waiting",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
