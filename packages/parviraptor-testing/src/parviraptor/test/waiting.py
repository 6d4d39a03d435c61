"""Waiting, with a deadline, for jobs processed elsewhere (a worker process).

Use it with data other connections can see (``TransactionTestCase``,
``transactional_db``): every poll is a fresh query in autocommit mode.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from parviraptor.models import AbstractJob, JobStatus
from parviraptor.test.summary import summarize_queue

__all__ = ["wait_for_jobs", "wait_until"]

T = TypeVar("T")


def wait_until(
    condition: Callable[[], T],
    timeout: float = 10.0,
    interval: float = 0.05,
    message: str | Callable[[], str] = "condition not met",
) -> T:
    """Call ``condition`` until it returns something true; return that.

    Raises ``AssertionError`` with ``message`` (a text, or a callable making
    one at the deadline) once ``timeout`` seconds have passed.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            raise AssertionError(f"after {timeout:g}s: {text}")
        time.sleep(interval)


def _statuses(status: str | Iterable[str]) -> list[str]:
    return [str(status)] if isinstance(status, str) else [str(s) for s in status]


def wait_for_jobs(
    job_class: type[AbstractJob],
    status: str | Iterable[str] = JobStatus.PROCESSED,
    *,
    count: int | None = None,
    timeout: float = 10.0,
    interval: float = 0.05,
    **filters: Any,
) -> list[AbstractJob]:
    """Wait until jobs of ``job_class`` (matching ``filters``) reach ``status``.

    Without ``count``: until every matching job (at least one) has one of
    the statuses. With ``count``: until at least ``count`` of them have.
    Returns the jobs in that state, by id. On timeout an ``AssertionError``
    lists what state the jobs are in and why.
    """
    statuses = _statuses(status)
    jobs = job_class._default_manager.filter(**filters)

    def reached() -> list[AbstractJob]:
        done = list(jobs.filter(status__in=statuses).order_by("pk"))
        if count is not None:
            return done if len(done) >= count else []
        return done if done and len(done) == jobs.count() else []

    def explain() -> str:
        wanted = f"{count} jobs" if count is not None else "all jobs"
        summary = summarize_queue(job_class, pks=jobs.values_list("pk", flat=True))
        return f"expected {wanted} {'/'.join(statuses)}; now\n{summary.describe()}"

    return wait_until(reached, timeout, interval, explain)
