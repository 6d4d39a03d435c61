"""InfinityLoopFreeQueueWorker: drains what is eligible now, then returns."""

from __future__ import annotations

import logging

import pytest

from parviraptor.models import JobStatus
from parviraptor.test.worker import InfinityLoopFreeQueueWorker

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob


def _statuses(job_class):
    return dict(job_class.objects.order_by("pk").values_list("pk", "status"))


@pytest.mark.django_db
def test_processes_every_outcome_inside_a_wrapping_transaction(caplog) -> None:
    ok = IndependentJob.objects.create()
    crash = IndependentJob.objects.create(behaviour="crash", message="boom")
    ignore = IndependentJob.objects.create(behaviour="ignore", message="nothing")
    temporary = IndependentJob.objects.create(behaviour="temporary", fail_times=1)
    with caplog.at_level(logging.INFO, logger="parviraptor"):
        worker = InfinityLoopFreeQueueWorker(IndependentJob)
        worker.run()

    assert _statuses(IndependentJob) == {
        ok.pk: JobStatus.PROCESSED,
        crash.pk: JobStatus.FAILED,
        ignore.pk: JobStatus.IGNORED,
        # retried only after its backoff delay: not eligible now
        temporary.pk: JobStatus.NEW,
    }
    temporary.refresh_from_db()
    assert (temporary.error_count, temporary.error_message) == (1, "temporary")
    assert worker.processed == 4
    assert "transaction open" not in caplog.text


@pytest.mark.django_db
def test_fifo_order_and_dependent_failures() -> None:
    first = FifoJob.objects.create()
    failing = FifoJob.objects.create(behaviour="invalid", message="bad data")
    behind = FifoJob.objects.create()
    InfinityLoopFreeQueueWorker(FifoJob).run()
    behind.refresh_from_db()
    assert _statuses(FifoJob)[first.pk] == JobStatus.PROCESSED
    assert _statuses(FifoJob)[failing.pk] == JobStatus.FAILED
    assert (behind.status, behind.error_message) == (
        JobStatus.FAILED,
        "dependent jobs failed",
    )


@pytest.mark.django_db
def test_returns_when_a_job_is_not_processable(monkeypatch) -> None:
    monkeypatch.setattr(FifoJob, "is_processable", lambda job: job.message != "wait")
    waiting = FifoJob.objects.create(message="wait")
    FifoJob.objects.create()
    worker = InfinityLoopFreeQueueWorker(FifoJob)
    worker.run()
    assert worker.processed == 0
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.NEW


@pytest.mark.django_db(transaction=True)
def test_works_without_a_wrapping_transaction() -> None:
    for shop in range(3):
        for product in range(2):
            KeyedJob.objects.create(shop=shop, product=product)
    InfinityLoopFreeQueueWorker(KeyedJob).run()
    assert set(_statuses(KeyedJob).values()) == {JobStatus.PROCESSED}
