"""Order and exclusivity with 8 parallel workers (threads and processes)."""

from __future__ import annotations

import threading
from collections import Counter as Tally

import pytest
from django.db import connections

from parviraptor.models import JobStatus
from parviraptor.worker.pool import WorkerPool

from testproject.jobs.models import Counter, FifoJob, IndependentJob, JobEvent, KeyedJob

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

KEYS = [(shop, product) for shop in range(4) for product in range(2)]  # 8 keys
PER_KEY = 10


def make_keyed_jobs(sleep_seconds=0.002):
    jobs = [
        KeyedJob(shop=shop, product=product, sleep_seconds=sleep_seconds)
        for _ in range(PER_KEY)
        for shop, product in KEYS
    ]
    KeyedJob.objects.bulk_create(jobs)
    return len(jobs)


def run_pool_in_thread(job_class, concurrency, timeout=240, **options):
    """Run a WorkerPool from a non-main thread until the queue is empty."""
    result: dict[str, object] = {}

    def target():
        try:
            pool = WorkerPool(
                job_class, concurrency=concurrency, stop_when_empty=True, **options
            )
            result["processed"] = pool.run()
            result["crashed"] = pool.crashed
        except BaseException as exc:
            result["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=target, name="test-pool")
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "the worker pool did not finish"
    assert "error" not in result, result.get("error")
    assert result["crashed"] is False
    return result["processed"]


def assert_all_processed(job_class, count):
    tally = Tally(job_class.objects.values_list("status", flat=True))
    assert tally == {JobStatus.PROCESSED: count}


def starts_per_job(job_class):
    return Tally(
        JobEvent.objects.filter(queue=job_class.__name__, event="start").values_list(
            "job_id", flat=True
        )
    )


def test_per_key_order_with_8_threads(ordering_problems):
    count = make_keyed_jobs()
    processed = run_pool_in_thread(KeyedJob, concurrency=8)
    assert processed == count
    assert_all_processed(KeyedJob, count)
    assert ordering_problems(KeyedJob) == []
    assert set(starts_per_job(KeyedJob).values()) == {1}


def test_fifo_order_with_8_threads(ordering_problems):
    FifoJob.objects.bulk_create(FifoJob(sleep_seconds=0.001) for _ in range(60))
    run_pool_in_thread(FifoJob, concurrency=8)
    assert_all_processed(FifoJob, 60)
    assert ordering_problems(FifoJob) == []


def test_per_key_order_with_4_processes_of_2(start_worker, ordering_problems):
    count = make_keyed_jobs()
    workers = [
        start_worker("KeyedJob", "--until-empty", "--concurrency", "2")
        for _ in range(4)
    ]
    for worker in workers:
        assert worker.wait() == 0, worker.describe()
    assert_all_processed(KeyedJob, count)
    assert ordering_problems(KeyedJob) == []
    assert set(starts_per_job(KeyedJob).values()) == {1}


def test_exactly_once_with_8_workers(start_worker):
    jobs = 400
    Counter.objects.create(name="once")
    # The first jobs wait until a second process has started one: more than
    # one process takes part whatever the order the processes start in.
    IndependentJob.objects.bulk_create(
        IndependentJob(counter="once", behaviour="rendezvous" if n < 20 else "ok")
        for n in range(jobs)
    )
    workers = [
        start_worker(
            "IndependentJob", "--until-empty", "--concurrency", "2", "--batch-size", "5"
        )
        for _ in range(4)
    ]
    for worker in workers:
        assert worker.wait() == 0, worker.describe()
    assert_all_processed(IndependentJob, jobs)
    assert Counter.objects.get(name="once").value == jobs
    starts = starts_per_job(IndependentJob)
    assert len(starts) == jobs
    assert set(starts.values()) == {1}
    # More than one worker process took part.
    pids = set(JobEvent.objects.values_list("pid", flat=True))
    assert len(pids) >= 2


def test_exactly_once_with_8_threads():
    jobs = 400
    Counter.objects.create(name="threads")
    IndependentJob.objects.bulk_create(
        IndependentJob(counter="threads") for _ in range(jobs)
    )
    assert run_pool_in_thread(IndependentJob, concurrency=8, batch_size=5) == jobs
    assert_all_processed(IndependentJob, jobs)
    assert Counter.objects.get(name="threads").value == jobs
    assert set(starts_per_job(IndependentJob).values()) == {1}
    assert len(starts_per_job(IndependentJob)) == jobs


def test_fifo_backlog_of_3000_jobs_with_3_workers(start_worker, ordering_problems):
    jobs = 3000
    FifoJob.objects.bulk_create(FifoJob(behaviour="noop") for _ in range(jobs))
    workers = [start_worker("FifoJob", "--until-empty") for _ in range(3)]
    for worker in workers:
        assert worker.wait(timeout=240) == 0, worker.describe()
        assert "Traceback" not in worker.stderr, worker.describe()
    assert_all_processed(FifoJob, jobs)
    assert ordering_problems(FifoJob, events=False) == []
