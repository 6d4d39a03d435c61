"""A slot starts jobs only while it holds its lease (its heartbeat) and the
claims it was given; otherwise another worker may be running them.

Single-threaded ``django_db`` tests: the lease is a stand-in object, the
recovery that takes a slot's claims away is the real one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from parviraptor.dbtime import db_now
from parviraptor.models import JobStatus
from parviraptor.worker import QueueWorker
from parviraptor.worker.recovery import recover_lost_jobs

from testproject.jobs.models import IndependentJob, JobEvent, KeyedJob

pytestmark = pytest.mark.django_db


class CountdownLease:
    """Held for the first ``held`` questions, lapsed afterwards."""

    def __init__(self, held: int) -> None:
        self.held = held
        self.asked = 0

    def holds_lease(self) -> bool:
        self.asked += 1
        return self.asked <= self.held


def started_pks(job_class):
    return set(
        JobEvent.objects.filter(queue=job_class.__name__, event="start").values_list(
            "job_id", flat=True
        )
    )


def test_a_lapsing_lease_starts_nothing_more_and_gives_the_claims_back():
    jobs = [IndependentJob.objects.create() for _ in range(3)]
    worker = QueueWorker(IndependentJob, own_heartbeat=False, batch_size=3)
    worker.lease = CountdownLease(held=1)  # asked before each job starts

    assert worker.run_once() is True

    assert started_pks(IndependentJob) == {jobs[0].pk}
    rows = {job.pk: job for job in IndependentJob.objects.all()}
    assert rows[jobs[0].pk].status == JobStatus.PROCESSED
    for job in jobs[1:]:
        assert rows[job.pk].status == JobStatus.NEW
        assert rows[job.pk].error_count == 0
        assert rows[job.pk].claimed_by is None


def test_a_slot_without_its_lease_claims_nothing():
    job = IndependentJob.objects.create()
    worker = QueueWorker(IndependentJob, own_heartbeat=False, poll_interval=0.01)
    worker.lease = CountdownLease(held=0)
    lease = worker.lease

    def stop_after_some_questions() -> bool:
        if lease.asked >= 3:
            worker.stop()
        return CountdownLease.holds_lease(lease)

    lease.holds_lease = stop_after_some_questions  # type: ignore[method-assign]
    worker.run()

    job.refresh_from_db()
    assert lease.asked >= 3
    assert (job.status, job.claimed_by) == (JobStatus.NEW, None)
    assert started_pks(IndependentJob) == set()


def test_a_slot_whose_claims_were_recovered_abandons_the_rest_of_its_run(
    monkeypatch, settings
):
    """Recovery (as if the slot had died) takes the running job and the run
    behind it; the slot's result is dropped and it starts none of the run."""
    settings.PARVIRAPTOR_HEARTBEAT_TIMEOUT = 5
    run = [KeyedJob.objects.create(shop=1, product=2) for _ in range(3)]
    original = KeyedJob.process

    def process_then_lose_the_claims(self):
        original(self)
        if self.pk == run[0].pk:
            long_ago = db_now() - timedelta(seconds=60)
            KeyedJob.objects.filter(status=JobStatus.PROCESSING).update(
                claimed_at=long_ago
            )
            assert recover_lost_jobs(KeyedJob) == 1

    monkeypatch.setattr(KeyedJob, "process", process_then_lose_the_claims)
    worker = QueueWorker(KeyedJob, own_heartbeat=False, batch_size=3)

    worker.run_once()

    assert started_pks(KeyedJob) == {run[0].pk}
    rows = {job.pk: job for job in KeyedJob.objects.all()}
    assert rows[run[0].pk].status == JobStatus.NEW  # recovered: charged once
    assert rows[run[0].pk].error_count == 1
    for job in run[1:]:
        assert (rows[job.pk].status, rows[job.pk].error_count) == (JobStatus.NEW, 0)
    assert all(row.claimed_by is None for row in rows.values())
