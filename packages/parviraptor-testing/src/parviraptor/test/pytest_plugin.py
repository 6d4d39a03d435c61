"""pytest plugin of parviraptor-testing, registered under the ``pytest11``
entry point as ``parviraptor``: installing the package is enough.

Fixtures:

``drain_queue``
    ``drain_queue(JobClass, workers=1)`` processes every eligible job and
    returns a ``QueueSummary``. One worker works with ``db``; more need
    ``transactional_db``.
``queue_worker_process``
    ``queue_worker_process(JobClass, concurrency=1, ...)`` starts a live
    ``manage.py process_queue`` process, ready when it returns; at the end of
    the test it gets SIGTERM and must exit 0. Uses ``transactional_db``.
``wait_for_jobs``
    ``wait_for_jobs(JobClass, status="PROCESSED", count=None, timeout=10)``
    waits for jobs to reach a status, with a deadline.

Nothing here imports Django at import time: a pytest session without Django
(or without pytest-django) is not affected until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from parviraptor.models import AbstractJob
    from parviraptor.test.processes import WorkerProcess
    from parviraptor.test.summary import QueueSummary


def _enable_database(request: pytest.FixtureRequest) -> None:
    """Database access for the test, transactional if the test asked for it."""
    name = "transactional_db" if "transactional_db" in request.fixturenames else "db"
    try:
        request.getfixturevalue(name)
    except pytest.FixtureLookupError:
        raise pytest.UsageError(
            "the parviraptor fixtures need pytest-django (pip install "
            '"parviraptor-testing[pytest]")'
        ) from None


@pytest.fixture
def drain_queue(request: pytest.FixtureRequest) -> Callable[..., QueueSummary]:
    """``drain_queue(JobClass, workers=1, **worker_options) -> QueueSummary``."""
    _enable_database(request)
    from parviraptor.test.draining import drain

    def drain_queue(
        job_class: type[AbstractJob], workers: int = 1, **options: Any
    ) -> QueueSummary:
        return drain(job_class, workers, **options)

    return drain_queue


@pytest.fixture
def wait_for_jobs(request: pytest.FixtureRequest) -> Callable[..., list[Any]]:
    """``wait_for_jobs(JobClass, status="PROCESSED", *, count=None, timeout=10, **filters)``."""
    _enable_database(request)
    from parviraptor.test.waiting import wait_for_jobs

    return wait_for_jobs


@pytest.fixture
def queue_worker_process(
    transactional_db: None,
) -> Iterator[Callable[..., WorkerProcess]]:
    """``queue_worker_process(JobClass, concurrency=1, *, poll_interval=0.05,
    until_empty=False, args=(), env=None) -> WorkerProcess``, started and ready.

    Every process still running at the end of the test is stopped with
    SIGTERM; the test fails unless each exited 0.
    """
    from parviraptor.test.processes import WorkerProcess

    started: list[WorkerProcess] = []

    def start(
        job_class: type[AbstractJob], concurrency: int = 1, **options: Any
    ) -> WorkerProcess:
        process = WorkerProcess(job_class, concurrency, **options)
        started.append(process)
        return process.start()

    yield start
    problems = []
    for process in started:
        try:
            code = process.stop()
        except AssertionError as exc:
            problems.append(str(exc))
            continue
        finally:
            output = process.output
            process.close()
        if code != 0:
            problems.append(
                f"worker process {process.pid} exited with {code}:\n{output}"
            )
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
