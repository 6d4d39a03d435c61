"""queue_worker_process and wait_for_jobs: a live worker process per test."""

from __future__ import annotations

import pytest

from parviraptor.models import JobStatus
from parviraptor.test import WorkerProcess, wait_until
from parviraptor.test.processes import WorkerProcessError

from testproject.jobs.models import IndependentJob, KeyedJob

pytestmark = pytest.mark.slow


def test_live_worker_processes_jobs_and_stops_cleanly(
    queue_worker_process, wait_for_jobs
) -> None:
    worker = queue_worker_process(KeyedJob, concurrency=2)
    for index in range(6):
        KeyedJob.objects.create(shop=index % 2, product=1)
    KeyedJob.objects.create(shop=9, product=9, behaviour="ignore", message="skip")

    done = wait_for_jobs(KeyedJob, timeout=20, shop__lt=9)
    assert len(done) == 6
    ignored = wait_for_jobs(KeyedJob, JobStatus.IGNORED, count=1, timeout=20)
    assert [job.error_message for job in ignored] == ["skip"]
    assert worker.running
    assert worker.stop() == 0  # SIGTERM: exit 0 (the fixture checks it too)


def test_until_empty_exits_on_its_own(transactional_db) -> None:
    IndependentJob.objects.create()
    with WorkerProcess(IndependentJob, until_empty=True) as worker:
        assert worker.wait(timeout=30) == 0
    assert IndependentJob.objects.get().status == JobStatus.PROCESSED


def test_a_worker_that_cannot_start_says_why(transactional_db) -> None:
    process = WorkerProcess(IndependentJob, args=["--concurrency", "0"])
    with pytest.raises(WorkerProcessError) as raised:
        process.start(timeout=30)
    process.close()
    assert "exited with 2 before it was ready" in str(raised.value)
    assert "'0' must be at least 1" in str(raised.value)


def test_wait_for_jobs_times_out_listing_the_jobs(
    transactional_db, wait_for_jobs
) -> None:
    job = IndependentJob.objects.create()
    with pytest.raises(AssertionError) as raised:
        wait_for_jobs(IndependentJob, timeout=0.2)
    assert str(raised.value).splitlines() == [
        "after 0.2s: expected all jobs PROCESSED; now",
        "jobs.IndependentJob: 1 jobs (1 NEW)",
        f"  #{job.pk} NEW",
    ]


def test_wait_until_returns_the_first_true_result() -> None:
    answers = iter([0, [], "yes"])
    assert wait_until(lambda: next(answers), timeout=5, interval=0) == "yes"
    with pytest.raises(AssertionError, match=r"after 0\.05s: never"):
        wait_until(lambda: None, timeout=0.05, interval=0.01, message=lambda: "never")
