"""QueueWorker as code written against the original parviraptor builds it."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from parviraptor.models import JobStatus
from parviraptor.worker import DEFAULT_TEMPORARY_FAILURE_THRESHOLD, QueueWorker

from testproject.jobs.models import IndependentJob


def test_the_original_positional_arguments() -> None:
    worker = QueueWorker(IndependentJob, timedelta(seconds=7), 5)
    assert worker.Job is IndependentJob
    assert worker.job_class is IndependentJob
    assert worker.pause_if_queue_empty == timedelta(seconds=7)
    assert worker.poll_interval == 7
    assert worker.temporary_failure_threshold == 5
    assert worker.threshold == 5


def test_the_original_keyword_arguments_and_defaults(settings) -> None:
    settings.PARVIRAPTOR_POLL_INTERVAL = 0.3
    worker = QueueWorker(
        IndependentJob,
        pause_if_queue_empty=timedelta(minutes=1),
        temporary_failure_threshold=DEFAULT_TEMPORARY_FAILURE_THRESHOLD,
    )
    assert (worker.poll_interval, worker.temporary_failure_threshold) == (60, 19)
    assert QueueWorker(IndependentJob).poll_interval == 0.3
    # The idle wait reads back as a timedelta, as the original's did.
    assert QueueWorker(IndependentJob).pause_if_queue_empty == timedelta(seconds=0.3)
    assert QueueWorker(IndependentJob).temporary_failure_threshold == 19


def test_an_explicit_poll_interval_wins_over_the_pause() -> None:
    worker = QueueWorker(IndependentJob, timedelta(minutes=1), poll_interval=0.5)
    assert worker.poll_interval == 0.5


def test_the_threshold_can_be_changed_by_its_original_name() -> None:
    worker = QueueWorker(IndependentJob)
    worker.temporary_failure_threshold = 3
    assert worker.threshold == 3


@pytest.mark.parametrize(
    ("pause", "error"),
    [
        (60, "pause_if_queue_empty must be a bool or a timedelta, got 60"),
        ("1m", "pause_if_queue_empty must be a bool or a timedelta, got '1m'"),
        (timedelta(seconds=-1), "must not be negative"),
    ],
)
def test_a_pause_of_another_type_is_refused(pause, error) -> None:
    with pytest.raises((TypeError, ValueError), match=error):
        QueueWorker(IndependentJob, pause)


@pytest.mark.django_db
@pytest.mark.parametrize("pause", [timedelta(0), False])
def test_a_zero_pause_looks_again_at_once(pause) -> None:
    """No idle wait: with a 10-minute poll interval, a wait would hang the test."""
    worker = QueueWorker(IndependentJob, pause, poll_interval=600, own_heartbeat=False)
    assert not worker.pause_if_queue_empty
    rounds = []

    def run_once() -> bool:
        rounds.append(1)
        if len(rounds) == 3:
            IndependentJob.objects.create()
            worker.stop_when_empty = True
        return QueueWorker.run_once(worker)

    worker.run_once = run_once
    worker.run()
    assert len(rounds) >= 4
    assert set(IndependentJob.objects.values_list("status", flat=True)) == {
        JobStatus.PROCESSED
    }


def test_the_original_module_names(caplog) -> None:
    import parviraptor.worker as worker

    assert worker.JobWorker.__name__ == "JobWorker"
    assert worker.DEFAULT_TEMPORARY_FAILURE_THRESHOLD == 19
    assert worker.DEFAULT_DEFERRED_RETRY_THRESHOLD == 19
    assert set(worker.__all__) <= set(dir(worker))
    progress = worker.QueueWorkerLogger()
    with caplog.at_level(logging.INFO, logger="parviraptor.worker"):
        progress.mutate_to_processing_state()
        progress.mutate_to_processing_state()
        progress.mutate_to_idle_state()
        progress.mutate_to_idle_state()  # idle already, nothing processed
    assert caplog.messages == [
        "processing jobs...",
        "processed 2 jobs. awaiting new jobs.",
    ]
