"""InfinityLoopFreeQueueWorker: drains what is eligible now, then returns."""

from __future__ import annotations

import logging
import signal
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


@pytest.mark.parametrize(
    "args",
    [
        (timedelta(minutes=1),),
        (timedelta(minutes=1), 0),
        (False, 0),
    ],
)
@pytest.mark.django_db
def test_takes_the_original_positional_arguments(args) -> None:
    """``(Job, pause_if_queue_empty, temporary_failure_threshold)``: the pause
    is no wait (it returns when idle), the threshold counts."""
    job = IndependentJob.objects.create(behaviour="temporary_always")
    worker = InfinityLoopFreeQueueWorker(IndependentJob, *args)
    worker.run()
    threshold = args[1] if len(args) > 1 else 19
    assert (worker.Job, worker.temporary_failure_threshold) == (
        IndependentJob,
        threshold,
    )
    job.refresh_from_db()
    assert job.status == (JobStatus.FAILED if threshold == 0 else JobStatus.NEW)


def test_refuses_a_pause_of_another_type() -> None:
    with pytest.raises(TypeError, match="must be a bool or a timedelta, got 19"):
        InfinityLoopFreeQueueWorker(IndependentJob, 19)


@pytest.mark.django_db
def test_leaves_stop_signals_alone(monkeypatch) -> None:
    """Ctrl-C in a test run interrupts the test, as with the original."""
    before = signal.getsignal(signal.SIGINT)
    seen = []
    IndependentJob.objects.create()
    monkeypatch.setattr(
        IndependentJob, "process", lambda job: seen.append(signal.getsignal(2))
    )
    InfinityLoopFreeQueueWorker(IndependentJob).run()
    assert seen == [before]


@pytest.mark.django_db
def test_drains_with_fewer_queries_than_the_originals_three_per_job() -> None:
    """Claims come in batches: about one query per job (the result), where
    the original needed three (find, claim, save)."""
    IndependentJob.objects.bulk_create(
        IndependentJob(behaviour="noop") for _ in range(300)
    )
    with CaptureQueriesContext(connection) as queries:
        InfinityLoopFreeQueueWorker(IndependentJob).run()
    assert set(_statuses(IndependentJob).values()) == {JobStatus.PROCESSED}
    assert len(queries) < 1.5 * 300, len(queries)
