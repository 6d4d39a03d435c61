"""``queue-monitoring/``: the exact health text, public, one query per queue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parviraptor.models import JobStatus
from parviraptor.utils import enumerate_job_models

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob

URL = "/queue-monitoring/"
pytestmark = pytest.mark.django_db


def get_text(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_all_ok_when_empty(client: Client) -> None:
    assert get_text(client) == "Alles OK"


def test_all_ok_with_healthy_jobs(client: Client, make_job: Any) -> None:
    make_job(IndependentJob)
    make_job(FifoJob, status=JobStatus.PROCESSED)
    make_job(KeyedJob, status=JobStatus.IGNORED, shop=1, product=1)
    assert get_text(client) == "Alles OK"


def test_failed(client: Client, make_job: Any) -> None:
    make_job(IndependentJob, status=JobStatus.FAILED)
    make_job(IndependentJob, status=JobStatus.FAILED)
    assert get_text(client) == (
        "There are 2 failed, 0 long processing and 0 long unprocessed IndependentJobs."
    )


def test_long_processing(client: Client, make_job: Any) -> None:
    limit = FifoJob.MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN
    job = make_job(FifoJob, status=JobStatus.PROCESSING)
    FifoJob.objects.filter(pk=job.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=limit + 1)
    )
    make_job(FifoJob, status=JobStatus.PROCESSING)  # just started: fine
    assert get_text(client) == (
        "There are 0 failed, 1 long processing and 0 long unprocessed FifoJobs."
    )


def test_long_unprocessed(client: Client, make_job: Any) -> None:
    limit = KeyedJob.MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN
    old = timedelta(minutes=limit + 5)
    make_job(KeyedJob, age=old, shop=1, product=1)
    make_job(KeyedJob, status=JobStatus.DEFERRED, age=old, shop=1, product=2)
    make_job(KeyedJob, shop=1, product=3)
    assert get_text(client) == (
        "There are 0 failed, 0 long processing and 2 long unprocessed KeyedJobs."
    )


def test_one_sentence_per_troubled_queue(client: Client, make_job: Any) -> None:
    make_job(IndependentJob, status=JobStatus.FAILED)
    make_job(KeyedJob, status=JobStatus.FAILED, shop=1, product=1)
    lines = get_text(client).split("\n")
    assert lines == [
        "There are 1 failed, 0 long processing and 0 long unprocessed IndependentJobs.",
        "There are 1 failed, 0 long processing and 0 long unprocessed KeyedJobs.",
    ]


def test_readable_without_login_and_not_cached(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )


def test_post_is_refused(client: Client) -> None:
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("jobs", [10, 1000])
def test_one_query_per_queue(
    client: Client, jobs: int, django_assert_max_num_queries: Any
) -> None:
    IndependentJob.objects.bulk_create(
        [IndependentJob(status=JobStatus.FAILED) for _ in range(jobs)]
    )
    with django_assert_max_num_queries(len(enumerate_job_models())):
        client.get(URL)
