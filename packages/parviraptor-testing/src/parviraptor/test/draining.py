"""Draining a queue in a test: every eligible job, with one or more workers.

One worker runs in the calling thread, so it works inside a ``TestCase``'s
wrapping transaction. Several workers run in threads of their own, each with
its own database connection (closed when the thread ends); they need data
that other connections can see, i.e. a ``TransactionTestCase`` or
pytest-django's ``transactional_db``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from django.db import connections

from parviraptor.models import AbstractJob
from parviraptor.test.crew import Crew
from parviraptor.test.summary import QueueSummary, summarize_queue
from parviraptor.test.worker import InfinityLoopFreeQueueWorker
from parviraptor.worker.heartbeat import Heartbeat
from parviraptor.worker.identity import slot_ids
from parviraptor.worker.transitions import database_for

__all__ = ["ParallelWorkersUnavailable", "drain"]


class ParallelWorkersUnavailable(RuntimeError):
    """Parallel workers were asked for inside a transaction they cannot see."""


def drain(
    job_class: type[AbstractJob],
    workers: int = 1,
    *,
    pks: Iterable[Any] | None = None,
    **options: Any,
) -> QueueSummary:
    """Process every eligible job of ``job_class`` with ``workers`` workers.

    Returns a summary of the queue's jobs afterwards (only of ``pks`` if
    given). ``options`` go to each ``InfinityLoopFreeQueueWorker``
    (``temporary_failure_threshold``, ``batch_size``, ``poll_interval``).
    Raises what a worker raised, after all of them ended.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers!r}")
    if workers == 1:
        worker = InfinityLoopFreeQueueWorker(job_class, **options)
        worker.run()
        attempts = worker.processed
    else:
        attempts = _drain_in_parallel(job_class, workers, options)
    return summarize_queue(job_class, pks=pks, attempts=attempts)


def _drain_in_parallel(
    job_class: type[AbstractJob], workers: int, options: dict[str, Any]
) -> int:
    using = database_for(job_class)
    if connections[using].in_atomic_block:
        raise ParallelWorkersUnavailable(
            f"{workers} parallel workers cannot see the jobs of this test: it "
            f"runs in a transaction on {using!r} that other connections don't "
            "see. Use a TransactionTestCase (pytest-django: transactional_db "
            "or @pytest.mark.django_db(transaction=True)), or one worker."
        )
    crew = Crew()
    stop = threading.Event()
    members = [
        InfinityLoopFreeQueueWorker(
            job_class, crew=crew, stop_event=stop, worker_id=worker_id, **options
        )
        for worker_id in slot_ids(workers)
    ]
    members[0].prepare()
    heartbeat = Heartbeat(
        job_class, [m.worker_id for m in members], members[0].threshold
    )
    heartbeat.start(stop)
    errors: list[BaseException] = []
    threads = [
        threading.Thread(
            target=_run_member, args=(member, errors), name=member.worker_id
        )
        for member in members
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop.set()
        heartbeat.stop()
    if errors:
        raise errors[0]
    return sum(member.processed for member in members)


def _run_member(
    worker: InfinityLoopFreeQueueWorker, errors: list[BaseException]
) -> None:
    try:
        worker.run()
    except BaseException as exc:  # reported to the caller after the join
        errors.append(exc)
        worker.stop_event.set()
    finally:
        connections.close_all()
