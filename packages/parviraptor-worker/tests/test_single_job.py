"""The original's way to drive one job: ``fetch_next_job`` and ``JobWorker``.

Also ``update_job_for_being_resumed``, which gives a running job back.
"""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from parviraptor.exceptions import TemporaryJobFailure
from parviraptor.models import JobStatus
from parviraptor.worker import JobWorker

from testproject.jobs.models import IndependentJob, KeyedJob

pytestmark = pytest.mark.django_db


def row(job):
    return (
        type(job)
        .objects.values("status", "error_count", "error_message", "claimed_by")
        .get(pk=job.pk)
    )


def test_fetch_claims_the_next_new_job_in_id_order() -> None:
    first, second = IndependentJob.objects.create(), IndependentJob.objects.create()
    job = IndependentJob.fetch_next_job()
    assert (job.pk, job.status) == (first.pk, JobStatus.PROCESSING)
    assert row(first)["status"] == JobStatus.PROCESSING
    assert row(first)["claimed_by"] == job.claimed_by is not None
    assert IndependentJob.fetch_next_job().pk == second.pk
    assert IndependentJob.fetch_next_job() is None


def test_fetch_takes_only_ids_above_id_gt() -> None:
    first, second = IndependentJob.objects.create(), IndependentJob.objects.create()
    assert IndependentJob.fetch_next_job(id_gt=first.pk).pk == second.pk
    assert IndependentJob.fetch_next_job(id_gt=second.pk) is None
    assert row(first)["status"] == JobStatus.NEW


def test_fetch_leaves_jobs_whose_backoff_has_not_passed() -> None:
    IndependentJob.objects.create(not_before=timezone.now() + timedelta(hours=1))
    assert IndependentJob.fetch_next_job() is None


def test_fetch_new_and_deferred_jobs_apart() -> None:
    deferred = IndependentJob.objects.create(status=JobStatus.DEFERRED)
    assert IndependentJob.fetch_next_job() is None
    new = IndependentJob.objects.create()
    assert IndependentJob.fetch_next_job(status=JobStatus.DEFERRED).pk == deferred.pk
    assert IndependentJob.fetch_next_job(status=JobStatus.DEFERRED) is None
    assert IndependentJob.fetch_next_job().pk == new.pk


def test_fetch_refuses_other_statuses() -> None:
    with pytest.raises(ValueError, match="status must be NEW or DEFERRED"):
        IndependentJob.fetch_next_job(status=JobStatus.FAILED)


def test_fetch_keeps_each_keys_order() -> None:
    a = KeyedJob.objects.create(shop=1, product=1)
    b = KeyedJob.objects.create(shop=1, product=1)
    c = KeyedJob.objects.create(shop=2, product=1)
    assert KeyedJob.fetch_next_job().pk == a.pk
    assert KeyedJob.fetch_next_job().pk == c.pk
    assert KeyedJob.fetch_next_job() is None  # b waits behind a
    JobWorker(KeyedJob.objects.get(pk=a.pk)).process()
    assert KeyedJob.fetch_next_job().pk == b.pk


def test_job_worker_saves_the_outcome() -> None:
    IndependentJob.objects.create(behaviour="invalid", message="bad data")
    job = IndependentJob.fetch_next_job()
    outcome = JobWorker(job).process()
    assert outcome.status == JobStatus.FAILED
    expected = {"status": "FAILED", "error_count": 0, "error_message": "bad data"}
    assert row(job) == {**expected, "claimed_by": None}
    assert (job.status, job.error_message) == (JobStatus.FAILED, "bad data")


def test_job_worker_raises_a_temporary_failure_again_once_saved() -> None:
    IndependentJob.objects.create(behaviour="temporary", fail_times=1, message="busy")
    job = IndependentJob.fetch_next_job()
    with pytest.raises(TemporaryJobFailure) as raised:
        JobWorker(job).process()
    assert (raised.value.message, raised.value.error_count) == ("busy", 0)
    assert row(job)["status"] == JobStatus.NEW
    assert (job.status, job.error_count) == (JobStatus.NEW, 1)


def test_job_worker_fails_a_job_past_the_threshold_without_raising() -> None:
    IndependentJob.objects.create(behaviour="temporary_always")
    job = IndependentJob.fetch_next_job()
    JobWorker(job, temporary_failure_threshold=0).process()
    assert row(job)["status"] == JobStatus.FAILED
    assert row(job)["error_message"] == "error count reached threshold"


def test_job_worker_processes_a_job_made_processing_without_a_claim() -> None:
    """A PROCESSING row as the original's ``fetch_next_job`` left it."""
    job = IndependentJob.objects.create(status=JobStatus.PROCESSING)
    JobWorker(job).process()
    assert row(job)["status"] == JobStatus.PROCESSED


def test_job_worker_wants_a_processing_job() -> None:
    job = IndependentJob.objects.create()
    with pytest.raises(ValueError, match="expected job to be PROCESSING, got NEW"):
        JobWorker(job)


def test_job_worker_has_one_threshold_for_both_retries() -> None:
    job = IndependentJob.objects.create(status=JobStatus.PROCESSING)
    JobWorker(job, 5, deferred_retry_threshold=5)
    with pytest.raises(ValueError, match="deferred_retry_threshold must equal"):
        JobWorker(job, 5, deferred_retry_threshold=7)


@pytest.mark.django_db(transaction=True)
def test_a_resumed_job_is_new_again_and_its_result_is_not_saved() -> None:
    """The update commits on a connection of its own (it cannot see a
    TestCase's transaction, hence a transactional test)."""
    IndependentJob.objects.create(behaviour="invalid")
    job = IndependentJob.fetch_next_job()
    assert job.update_job_for_being_resumed() is None  # as the original's
    expected = {"status": "NEW", "error_count": 0, "claimed_by": None}
    assert row(job) | expected == row(job)
    JobWorker(job).process()  # its claim is gone: the FAILED is dropped
    assert row(job) | expected == row(job)
    IndependentJob.objects.filter(pk=job.pk).update(status=JobStatus.IGNORED)
    job.update_job_for_being_resumed()  # no longer PROCESSING: left alone
    assert row(job)["status"] == JobStatus.IGNORED


@pytest.mark.django_db(transaction=True)
def test_a_job_claimed_by_another_is_not_resumed() -> None:
    job = IndependentJob.objects.create()
    stale = IndependentJob.objects.get(pk=job.pk)
    IndependentJob.fetch_next_job()
    stale.status = JobStatus.PROCESSING  # as if claimed, but by nobody
    stale.update_job_for_being_resumed()
    assert row(job)["status"] == JobStatus.PROCESSING


def test_fetch_without_the_worker_package_says_what_is_missing(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "parviraptor.worker.single", None)
    with pytest.raises(ImproperlyConfigured, match="needs parviraptor-worker"):
        IndependentJob.fetch_next_job()
