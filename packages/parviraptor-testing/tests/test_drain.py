"""The drain_queue fixture: one worker in a TestCase, several in parallel."""

from __future__ import annotations

import pytest

from parviraptor.models import JobStatus
from parviraptor.test import ParallelWorkersUnavailable, find_order_violations

from testproject.jobs.models import Counter, FifoJob, IndependentJob, KeyedJob


@pytest.mark.django_db
def test_one_worker_summarizes_the_outcome(drain_queue) -> None:
    IndependentJob.objects.create()
    failed = IndependentJob.objects.create(behaviour="invalid", message="no price")
    IndependentJob.objects.create(behaviour="ignore", message="gone")

    summary = drain_queue(IndependentJob)

    assert summary.counts == {"PROCESSED": 1, "FAILED": 1, "IGNORED": 1}
    assert [(job.pk, job.error_message) for job in summary.failed] == [
        (failed.pk, "no price")
    ]
    assert summary.attempts == 3
    assert f"failed: #{failed.pk} FAILED: no price" in repr(summary)


@pytest.mark.django_db
def test_parallel_workers_refuse_a_wrapping_transaction(drain_queue) -> None:
    with pytest.raises(ParallelWorkersUnavailable, match="transactional_db"):
        drain_queue(IndependentJob, workers=2)


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_keep_each_keys_order(drain_queue) -> None:
    Counter.objects.create(name="runs")
    for index in range(24):
        KeyedJob.objects.create(shop=index % 2, product=index % 3, counter="runs")

    summary = drain_queue(KeyedJob, workers=4)

    assert summary.counts == {JobStatus.PROCESSED: 24}
    assert summary.attempts == 24
    assert Counter.objects.get(name="runs").value == 24  # each job ran once
    assert find_order_violations(KeyedJob) == []


def test_parallel_workers_with_transactional_db(transactional_db, drain_queue) -> None:
    for _ in range(6):
        FifoJob.objects.create(sleep_seconds=0.01)
    FifoJob.objects.create(behaviour="crash", message="broken")
    FifoJob.objects.create()

    summary = drain_queue(FifoJob, workers=3)

    assert summary.counts == {"PROCESSED": 6, "FAILED": 2}
    assert [job.error_message for job in summary.failed] == [
        "broken",
        "dependent jobs failed",
    ]
    assert find_order_violations(FifoJob) == []
