"""What becomes of a job, processed by a QueueWorker in this thread.

Single-threaded: plain ``django_db`` tests, the worker's atomic blocks are
savepoints; no heartbeat thread (it could not see the test's transaction).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from parviraptor.dbtime import db_now
from parviraptor.models import JobStatus
from parviraptor.worker import QueueWorker
from parviraptor.worker.outcomes import MAX_ERROR_MESSAGE_BYTES, TRUNCATED

from testproject.jobs.models import (
    Counter,
    FifoJob,
    IndependentJob,
    JobEvent,
    KeyedJob,
    NoRetryJob,
)

pytestmark = pytest.mark.django_db

# DatabaseNow has millisecond precision on SQLite.
CLOCK_TOLERANCE = timedelta(seconds=1)


def drain(job_class, **options):
    options.setdefault("own_heartbeat", False)
    options.setdefault("stop_when_empty", True)
    worker = QueueWorker(job_class, **options)
    worker.run()
    return worker


def starts(job):
    return list(
        JobEvent.objects.filter(
            queue=type(job).__name__, job_id=job.pk, event="start"
        ).order_by("pk")
    )


def test_drain_returns_when_nothing_is_eligible():
    worker = drain(IndependentJob)
    assert worker.processed == 0


@pytest.mark.parametrize("job_class", [IndependentJob, FifoJob, NoRetryJob])
def test_returning_job_is_processed_and_message_cleared(job_class):
    job = job_class.objects.create(error_message="an earlier failure", error_count=2)
    worker = drain(job_class)
    job.refresh_from_db()
    assert job.status == JobStatus.PROCESSED
    assert not job.error_message  # cleared
    assert job.error_count == 2
    assert job.claimed_by is None
    assert worker.processed == 1
    assert len(starts(job)) == 1


def test_keyed_job_is_processed():
    job = KeyedJob.objects.create(shop=1, product=1)
    drain(KeyedJob)
    job.refresh_from_db()
    assert job.status == JobStatus.PROCESSED


@pytest.mark.parametrize(
    "behaviour",
    ["temporary", "temporary_always"],
    ids=["raise_temporary_failure", "TemporaryJobFailure"],
)
@pytest.mark.parametrize(
    ("job_class", "error_count", "minutes"),
    [
        # n = the error count before this failure, as in the original
        (IndependentJob, 0, 1),  # EXPONENTIAL, step 2: 2 ** 0
        (IndependentJob, 3, 8),  # 2 ** 3
        (IndependentJob, 6, 32),  # 2 ** min(6, 5)
        (FifoJob, 0, 1),  # CONSTANT, step 1
        (FifoJob, 4, 1),
    ],
    ids=["exp-1", "exp-4", "exp-capped", "const-1", "const-5"],
)
def test_temporary_failure_backs_off(job_class, error_count, minutes, behaviour):
    job = job_class.objects.create(
        behaviour=behaviour,
        fail_times=99,
        message="remote down",
        error_count=error_count,
    )
    before = db_now()
    drain(job_class)
    after = db_now()
    job.refresh_from_db()
    assert job.status == JobStatus.NEW
    assert job.error_count == error_count + 1
    assert job.error_message == "remote down"
    assert job.claimed_by is None
    delay = timedelta(minutes=minutes)
    assert job.not_before is not None
    assert before + delay - CLOCK_TOLERANCE <= job.not_before
    assert job.not_before <= after + delay + CLOCK_TOLERANCE
    assert len(starts(job)) == 1  # not retried before its delay


def assert_waits(job, before, after, minutes):
    delay = timedelta(minutes=minutes)
    assert before + delay - CLOCK_TOLERANCE <= job.not_before
    assert job.not_before <= after + delay + CLOCK_TOLERANCE


@pytest.mark.parametrize(("carried", "minutes"), [(0, 1), (2, 4), (4, 16), (9, 32)])
def test_a_temporary_failure_backs_off_by_the_count_it_carries(carried, minutes):
    """``TemporaryJobFailure(msg, n)`` raised directly: ``n`` decides."""
    job = IndependentJob.objects.create(
        behaviour="temporary_n", fail_times=carried, error_count=3
    )
    before = db_now()
    drain(IndependentJob)
    after = db_now()
    job.refresh_from_db()
    assert (job.status, job.error_count) == (JobStatus.NEW, 4)
    assert_waits(job, before, after, minutes)


@pytest.mark.parametrize("strategy", ["EXPONENTIAL", "CONSTANT"])
def test_a_backoff_step_of_zero_retries_at_once(strategy, monkeypatch):
    monkeypatch.setattr(IndependentJob, "BACKOFF_STEP_MINUTES", 0)
    monkeypatch.setattr(IndependentJob, "BACKOFF_STRATEGY", strategy)
    job = IndependentJob.objects.create(behaviour="temporary", fail_times=2)
    worker = QueueWorker(IndependentJob, own_heartbeat=False)
    assert worker.run_once()
    job.refresh_from_db()
    assert (job.status, job.error_count, job.not_before) == (JobStatus.NEW, 1, None)
    drain(IndependentJob)
    job.refresh_from_db()
    assert (job.status, job.error_count) == (JobStatus.PROCESSED, 2)
    assert len(starts(job)) == 3


def test_error_messages_are_cut_to_64_kib():
    job = IndependentJob.objects.create(behaviour="huge", fail_times=100_000)
    drain(IndependentJob)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    stored = job.error_message.encode()
    assert 60_000 < len(stored) <= MAX_ERROR_MESSAGE_BYTES
    assert job.error_message.endswith(TRUNCATED)
    assert job.error_message.startswith("\u00e9" * 1000)


def test_a_cleared_error_message_is_null_where_the_column_allows_it():
    job = IndependentJob.objects.create(error_message="an earlier failure")
    drain(IndependentJob)
    job.refresh_from_db()
    nullable = IndependentJob._meta.get_field("error_message").null
    assert job.error_message == (None if nullable else "")


def test_temporary_failure_then_success_on_a_later_attempt():
    job = IndependentJob.objects.create(behaviour="temporary", fail_times=1)
    drain(IndependentJob)
    job.refresh_from_db()
    assert (job.status, job.error_count) == (JobStatus.NEW, 1)
    # The backoff delay passes.
    IndependentJob.objects.filter(pk=job.pk).update(not_before=None)
    drain(IndependentJob)
    job.refresh_from_db()
    assert job.status == JobStatus.PROCESSED
    assert job.error_count == 1
    assert not job.error_message  # cleared


def test_temporary_failure_at_nineteen_retries_is_still_retried():
    job = IndependentJob.objects.create(behaviour="temporary_always", error_count=18)
    drain(IndependentJob)
    job.refresh_from_db()
    assert (job.status, job.error_count) == (JobStatus.NEW, 19)


@pytest.mark.parametrize("behaviour", ["temporary", "temporary_always"])
def test_temporary_failure_past_nineteen_retries_fails(behaviour):
    job = IndependentJob.objects.create(
        behaviour=behaviour, fail_times=99, error_count=19
    )
    drain(IndependentJob)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_count == 20
    assert job.error_message == "error count reached threshold"


def test_temporary_failure_threshold_of_the_worker():
    job = IndependentJob.objects.create(behaviour="temporary_always", error_count=2)
    drain(IndependentJob, temporary_failure_threshold=2)
    job.refresh_from_db()
    assert (job.status, job.error_count) == (JobStatus.FAILED, 3)


def test_defer_makes_the_job_deferred():
    job = IndependentJob.objects.create(
        behaviour="defer_always", message="not yet", error_count=4
    )
    worker = QueueWorker(IndependentJob, own_heartbeat=False, stop_when_empty=True)
    assert worker.run_once()
    job.refresh_from_db()
    assert job.status == JobStatus.DEFERRED
    assert job.error_count == 5
    assert job.error_message == "not yet"
    assert job.claimed_by is None


def test_deferred_job_is_retried_once_no_new_job_is_eligible():
    deferred = IndependentJob.objects.create(
        status=JobStatus.DEFERRED, error_count=1, behaviour="defer", fail_times=1
    )
    others = [IndependentJob.objects.create() for _ in range(3)]
    drain(IndependentJob)
    deferred.refresh_from_db()
    assert deferred.status == JobStatus.PROCESSED
    assert deferred.error_count == 1
    other_ends = JobEvent.objects.filter(
        job_id__in=[job.pk for job in others], event="end"
    )
    assert other_ends.count() == 3
    (retry,) = starts(deferred)
    assert all(end.pk < retry.pk for end in other_ends)


def test_deferring_then_succeeding_comes_after_the_new_jobs():
    first = IndependentJob.objects.create(behaviour="defer", fail_times=1)
    others = [IndependentJob.objects.create() for _ in range(3)]
    drain(IndependentJob)
    first.refresh_from_db()
    assert first.status == JobStatus.PROCESSED
    assert first.error_count == 1
    attempts = starts(first)
    assert len(attempts) == 2
    last_other_start = max(event.pk for job in others for event in starts(job))
    assert attempts[1].pk > last_other_start


def test_deferred_past_nineteen_retries_fails():
    job = IndependentJob.objects.create(behaviour="defer_always", message="busy")
    drain(IndependentJob)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_count == 20
    assert job.error_message == "deferred retry threshold exceeded: busy"
    assert len(starts(job)) == 20


def test_ignore():
    job = IndependentJob.objects.create(behaviour="ignore", message="nothing to do")
    drain(IndependentJob)
    job.refresh_from_db()
    assert job.status == JobStatus.IGNORED
    assert job.error_message == "nothing to do"
    assert job.error_count == 0


@pytest.mark.parametrize("behaviour", ["invalid", "crash"])
def test_invalid_job_and_other_exceptions_fail(behaviour, caplog):
    job = IndependentJob.objects.create(behaviour=behaviour, message="bad data 42")
    drain(IndependentJob)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_message == "bad data 42"
    assert job.error_count == 0
    assert len(starts(job)) == 1
    # The traceback is logged.
    failures = [r for r in caplog.records if r.exc_info and "bad data 42" in r.message]
    assert failures


def test_not_processable_job_goes_back_untouched(monkeypatch):
    monkeypatch.setattr(IndependentJob, "is_processable", lambda self: False)
    job = IndependentJob.objects.create(error_message="kept", error_count=2)
    worker = QueueWorker(IndependentJob, own_heartbeat=False, poll_interval=0.01)
    # Nothing processable now counts as nothing eligible (--until-empty ends).
    assert worker.run_once() is False
    job.refresh_from_db()
    assert job.status == JobStatus.NEW
    assert job.error_count == 2
    assert job.error_message == "kept"
    assert job.claimed_by is None
    assert job.not_before is None
    assert starts(job) == []
    assert worker.processed == 0


def test_not_processable_keyed_job_keeps_its_place(monkeypatch):
    first = KeyedJob.objects.create(shop=1, product=1)
    second = KeyedJob.objects.create(shop=1, product=1)
    monkeypatch.setattr(KeyedJob, "is_processable", lambda self: False)
    worker = QueueWorker(KeyedJob, own_heartbeat=False, poll_interval=0.01)
    worker.prepare()
    assert worker.run_once() is False
    monkeypatch.undo()
    drain(KeyedJob)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == JobStatus.PROCESSED
    assert first.error_count == 0
    assert starts(first)[0].pk < starts(second)[0].pk


def test_backoff_of_one_job_does_not_delay_the_others():
    failing = IndependentJob.objects.create(behaviour="temporary", fail_times=5)
    Counter.objects.create(name="others")
    others = [IndependentJob.objects.create(counter="others") for _ in range(5)]
    worker = drain(IndependentJob)
    failing.refresh_from_db()
    assert failing.status == JobStatus.NEW
    assert failing.error_count == 1
    assert failing.not_before > db_now()
    for job in others:
        job.refresh_from_db()
        assert job.status == JobStatus.PROCESSED
    assert Counter.objects.get(name="others").value == 5
    assert worker.processed == 6


def test_backoff_of_a_keyed_job_delays_only_its_key():
    failing = KeyedJob.objects.create(
        shop=1, product=1, behaviour="temporary", fail_times=5
    )
    behind = KeyedJob.objects.create(shop=1, product=1)
    others = [KeyedJob.objects.create(shop=2, product=p) for p in range(3)]
    drain(KeyedJob)
    failing.refresh_from_db()
    behind.refresh_from_db()
    assert (failing.status, failing.error_count) == (JobStatus.NEW, 1)
    assert behind.status == JobStatus.NEW
    assert starts(behind) == []
    for job in others:
        job.refresh_from_db()
        assert job.status == JobStatus.PROCESSED


def _heartbeat(worker_id, seconds_ago):
    from parviraptor.worker.models import WorkerHeartbeat

    seen = db_now() - timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        queue="jobs.IndependentJob",
        hostname="host",
        pid=1,
        started_at=seen,
        last_seen=seen,
    )


@pytest.mark.parametrize(
    ("job_class", "status"),
    [(IndependentJob, JobStatus.NEW), (NoRetryJob, JobStatus.FAILED)],
)
def test_recover_lost_jobs(job_class, status, settings):
    from parviraptor.worker.models import WorkerHeartbeat
    from parviraptor.worker.recovery import recover_lost_jobs

    settings.PARVIRAPTOR_HEARTBEAT_TIMEOUT = 5
    long_ago = db_now() - timedelta(seconds=60)
    _heartbeat("host:111:dead/0", seconds_ago=60)
    _heartbeat("host:222:alive/0", seconds_ago=0)
    lost = job_class.objects.create(status=JobStatus.PROCESSING)
    alive = job_class.objects.create(status=JobStatus.PROCESSING)
    job_class.objects.filter(pk=lost.pk).update(
        claimed_by="host:111:dead/0", claimed_at=long_ago
    )
    job_class.objects.filter(pk=alive.pk).update(
        claimed_by="host:222:alive/0", claimed_at=long_ago
    )

    assert recover_lost_jobs(job_class) == 1

    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == status
    assert lost.error_count == 1
    assert "worker lost" in lost.error_message
    assert "host:111:dead/0" in lost.error_message
    assert lost.claimed_by is None
    assert alive.status == JobStatus.PROCESSING
    assert alive.claimed_by == "host:222:alive/0"
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [
        "host:222:alive/0"
    ]
