"""Rows as the original parviraptor (2.x/4.x) leaves them, after the upgrade.

The original knows none of the columns ``claimed_by``, ``claimed_at``,
``not_before``, ``key_head``: the upgrade migration adds them NULL. Its
worker claims a job with ``UPDATE ... SET status='PROCESSING',
modification_date=now`` and saves the whole row (its own fields) when done.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from parviraptor.dbtime import db_now
from parviraptor.models import JobStatus
from parviraptor.worker import QueueWorker
from parviraptor.worker.legacy import legacy_timeout
from parviraptor.worker.recovery import recover_lost_jobs, recover_old_workers_rows

from testproject.jobs.models import FifoJob, JobEvent, KeyedJob, NoRetryJob

pytestmark = pytest.mark.django_db

KEY = {"shop": 11, "product": 1}


def drain(job_class):
    QueueWorker(job_class, own_heartbeat=False, stop_when_empty=True).run()


def old_claim(job_class, age=timedelta(0), **fields):
    """A job an old worker made PROCESSING ``age`` ago (and still runs, or lost)."""
    job = job_class.objects.create(**fields)
    job_class.objects.filter(pk=job.pk).update(
        status=JobStatus.PROCESSING, modification_date=db_now() - age
    )
    return job


def long_ago(job_class):
    return legacy_timeout(job_class) + timedelta(minutes=1)


def starts(job):
    return list(
        JobEvent.objects.filter(
            queue=type(job).__name__, job_id=job.pk, event="start"
        ).values_list("pk", flat=True)
    )


def fresh(job):
    job.refresh_from_db()
    return job


def test_an_old_workers_job_holds_back_its_key():
    old = old_claim(KeyedJob, **KEY)
    behind = [KeyedJob.objects.create(**KEY) for _ in range(2)]
    other_key = KeyedJob.objects.create(shop=11, product=2)
    drain(KeyedJob)
    assert fresh(other_key).status == JobStatus.PROCESSED
    for job in behind:
        assert fresh(job).status == JobStatus.NEW
        assert starts(job) == []
    assert fresh(old).status == JobStatus.PROCESSING


def test_an_old_workers_job_is_left_alone_while_it_may_still_run():
    old = old_claim(
        KeyedJob, age=legacy_timeout(KeyedJob) - timedelta(minutes=1), **KEY
    )
    assert recover_lost_jobs(KeyedJob) == 0
    assert fresh(old).status == JobStatus.PROCESSING


@pytest.mark.parametrize("job_class", [KeyedJob, FifoJob])
def test_an_old_workers_lost_job_is_recovered_then_runs_first(job_class):
    key = KEY if job_class is KeyedJob else {}
    old = old_claim(job_class, age=long_ago(job_class), **key)
    behind = [job_class.objects.create(**key) for _ in range(2)]
    assert recover_old_workers_rows(job_class) == 1
    old = fresh(old)
    assert (old.status, old.error_count) == (JobStatus.NEW, 1)
    assert "worker lost" in old.error_message
    assert "original parviraptor" in old.error_message
    drain(job_class)
    jobs = [fresh(old), *map(fresh, behind)]
    assert [job.status for job in jobs] == [JobStatus.PROCESSED] * 3
    first_starts = [starts(job)[0] for job in jobs]
    assert first_starts == sorted(first_starts)


@pytest.mark.parametrize("job_class", [KeyedJob, FifoJob, NoRetryJob])
def test_a_starting_worker_recovers_old_lost_rows_before_it_claims(job_class):
    """``--until-empty`` right after the upgrade: no heartbeat has gone by,
    yet the lost row runs (first in its key), and nothing is left open."""
    key = KEY if job_class is KeyedJob else {}
    old = old_claim(job_class, age=long_ago(job_class), **key)
    behind = [job_class.objects.create(**key) for _ in range(2)]
    drain(job_class)
    jobs = [fresh(old), *map(fresh, behind)]
    if job_class is NoRetryJob:  # RETRY_ON_WORKER_LOSS = False: it fails
        assert (jobs[0].status, jobs[0].error_count) == (JobStatus.FAILED, 1)
        assert [job.status for job in jobs[1:]] == [JobStatus.PROCESSED] * 2
        return
    assert [job.status for job in jobs] == [JobStatus.PROCESSED] * 3
    assert jobs[0].error_count == 1
    first_starts = [starts(job)[0] for job in jobs]
    assert first_starts == sorted(first_starts)


def test_an_old_workers_lost_job_fails_without_retry_on_worker_loss(monkeypatch):
    monkeypatch.setattr(KeyedJob, "RETRY_ON_WORKER_LOSS", False)
    old = old_claim(KeyedJob, age=long_ago(KeyedJob), **KEY)
    behind = KeyedJob.objects.create(**KEY)
    assert recover_old_workers_rows(KeyedJob) == 1
    assert (fresh(old).status, old.error_count) == (JobStatus.FAILED, 1)
    drain(KeyedJob)
    behind = fresh(behind)
    assert (behind.status, behind.error_message) == (
        JobStatus.FAILED,
        "dependent jobs failed",
    )


def test_an_old_workers_lost_independent_job_without_retry_fails():
    old = old_claim(NoRetryJob, age=long_ago(NoRetryJob))
    assert recover_lost_jobs(NoRetryJob) == 1
    old = fresh(old)
    assert (old.status, old.error_count) == (JobStatus.FAILED, 1)
    assert "worker lost" in old.error_message


@pytest.mark.parametrize(
    ("finished_as", "behind_end"),
    [(JobStatus.PROCESSED, JobStatus.PROCESSED), (JobStatus.FAILED, JobStatus.FAILED)],
)
def test_a_key_goes_on_once_its_old_worker_finishes_the_job(finished_as, behind_end):
    old = old_claim(KeyedJob, **KEY)
    behind = [KeyedJob.objects.create(**KEY) for _ in range(2)]
    drain(KeyedJob)
    assert fresh(behind[0]).status == JobStatus.NEW
    # The old worker saves its job (it knows nothing of key_head).
    KeyedJob.objects.filter(pk=old.pk).update(status=finished_as)
    drain(KeyedJob)
    assert [fresh(job).status for job in behind] == [behind_end] * 2
    assert fresh(old).key_head is None


@pytest.mark.parametrize("job_class", [KeyedJob, FifoJob])
def test_old_deferred_rows_are_picked_up(job_class):
    key = KEY if job_class is KeyedJob else {}
    deferred = job_class.objects.create(**key)
    job_class.objects.filter(pk=deferred.pk).update(
        status=JobStatus.DEFERRED,
        error_count=1,
        error_message="not yet",
        creation_date=db_now() - timedelta(days=2),
    )
    behind = job_class.objects.create(**key)
    assert job_class.count_long_unprocessed_jobs() == 1  # the health text is red
    drain(job_class)
    assert fresh(deferred).status == JobStatus.PROCESSED
    assert fresh(behind).status == JobStatus.PROCESSED
    assert starts(behind)[0] < starts(deferred)[0]
    assert job_class.count_long_unprocessed_jobs() == 0
