"""``AbstractJob.save()`` while a worker holds the job: only its own fields.

The worker marks a job it claimed (``CLAIMED_BY_WORKER``) until it has
decided the outcome; a ``save()`` inside ``process()`` must then leave
``status``, the bookkeeping columns and the dependent fields alone.
"""

from __future__ import annotations

import pytest

from parviraptor.models import JobStatus
from parviraptor.models.abstract import CLAIMED_BY_WORKER, WORKER_FIELDS

from testproject.jobs.models import IndependentJob, KeyedJob

pytestmark = pytest.mark.django_db


def claimed(job):
    job.__dict__[CLAIMED_BY_WORKER] = True
    return job


def row(job, *fields):
    return type(job).objects.values_list(*fields).get(pk=job.pk)


def test_save_while_claimed_writes_only_the_jobs_own_fields():
    job = claimed(IndependentJob.objects.create(behaviour="ok"))
    workers = ("status", "error_count", "error_message", "claimed_by", "key_head")
    before = row(job, *workers)
    job.status = JobStatus.FAILED
    job.error_count = 9
    job.error_message = "set by the job"
    job.claimed_by = "someone else"
    job.key_head = True
    job.behaviour = "changed"
    job.save()
    assert row(job, *workers) == before
    assert row(job, "behaviour") == ("changed",)


@pytest.mark.parametrize(
    "call",
    [
        lambda job: job.save(update_fields=["status", "behaviour"]),
        lambda job: job.save(False, False, None, ["status", "behaviour"]),
    ],
    ids=["keyword", "positional"],
)
def test_update_fields_lose_the_workers_columns(call):
    job = claimed(IndependentJob.objects.create())
    job.status = JobStatus.IGNORED
    job.behaviour = "changed"
    call(job)
    assert row(job, "status", "behaviour") == (JobStatus.NEW, "changed")


def test_nothing_to_save_saves_nothing():
    job = claimed(IndependentJob.objects.create())
    job.status = JobStatus.IGNORED
    job.save(update_fields=["status"])
    assert row(job, "status") == (JobStatus.NEW,)


def test_dependent_fields_are_the_workers_too():
    job = claimed(KeyedJob.objects.create(shop=1, product=2))
    job.product = 3
    job.result = "kept"
    job.save()
    assert row(job, "product", "result") == (2, "kept")
    assert {"shop", "product"} <= KeyedJob.worker_owned_fields()
    assert set(WORKER_FIELDS) <= KeyedJob.worker_owned_fields()


def test_save_of_an_unclaimed_job_writes_everything():
    job = IndependentJob.objects.create()
    job.status = JobStatus.IGNORED
    job.save()
    assert row(job, "status") == (JobStatus.IGNORED,)
