"""The dashboard's actions: retry, ignore, retry all; POST, CSRF, logging."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parviraptor.models import AbstractJob, JobStatus

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob

DEPENDENT = "dependent jobs failed"
pytestmark = pytest.mark.django_db


def retry_url(job: AbstractJob) -> str:
    return f"/queue-dashboard/jobs.{type(job).__name__}/jobs/{job.pk}/retry/"


def ignore_url(job: AbstractJob) -> str:
    return f"/queue-dashboard/jobs.{type(job).__name__}/jobs/{job.pk}/ignore/"


def fresh(job: AbstractJob) -> AbstractJob:
    return type(job)._default_manager.get(pk=job.pk)


def failed_job(
    make_job: Any, job_class: type[AbstractJob], **fields: Any
) -> AbstractJob:
    job = make_job(job_class, status=JobStatus.FAILED, error_count=3, **fields)
    job_class._default_manager.filter(pk=job.pk).update(
        not_before=timezone.now() + timedelta(hours=1),
        claimed_by="host:1:0",
        claimed_at=timezone.now(),
        key_head=True,
    )
    return fresh(job)


def assert_reopened(job: AbstractJob, error_count: int) -> None:
    job = fresh(job)
    assert job.status == JobStatus.NEW
    assert job.error_count == error_count
    assert job.not_before is None
    assert job.key_head is None
    assert job.claimed_by is None and job.claimed_at is None


def test_retry_unblocks_its_key(
    staff_client: Client, make_job: Any, caplog: Any
) -> None:
    key = {"shop": 1, "product": 1}
    done = make_job(KeyedJob, status=JobStatus.PROCESSED, **key)
    root = failed_job(make_job, KeyedJob, error_message="no stock", **key)
    behind = [
        make_job(KeyedJob, status=JobStatus.FAILED, error_message=DEPENDENT, **key)
        for _ in range(2)
    ]
    own = make_job(KeyedJob, status=JobStatus.FAILED, error_message="own", **key)
    after_own = make_job(
        KeyedJob, status=JobStatus.FAILED, error_message=DEPENDENT, **key
    )
    other_key = make_job(
        KeyedJob, status=JobStatus.FAILED, error_message=DEPENDENT, shop=2, product=1
    )
    caplog.set_level(logging.INFO, logger="parviraptor.web")

    response = staff_client.post(retry_url(root))

    assert response.status_code == 303
    assert response["Location"] == "/queue-dashboard/#queue-jobs-KeyedJob"
    assert_reopened(root, error_count=3)
    assert fresh(root).error_message == "no stock"
    for job in behind:
        assert_reopened(job, error_count=0)
    for job in (own, after_own, other_key):
        assert fresh(job).status == JobStatus.FAILED
    assert fresh(done).status == JobStatus.PROCESSED
    assert "operator" in caplog.text and f"KeyedJob #{root.pk}" in caplog.text

    html = staff_client.get(response["Location"]).content.decode()
    assert (
        f"KeyedJob #{root.pk} will be retried, with 2 later job(s) of its key." in html
    )


def test_retry_independent_job(staff_client: Client, make_job: Any) -> None:
    job = failed_job(make_job, IndependentJob)
    other = make_job(IndependentJob, status=JobStatus.FAILED, error_message=DEPENDENT)
    assert staff_client.post(retry_url(job)).status_code == 303
    assert_reopened(job, error_count=3)
    assert fresh(other).status == JobStatus.FAILED


def test_retry_fifo_reopens_later_dependents(
    staff_client: Client, make_job: Any
) -> None:
    root = failed_job(make_job, FifoJob)
    dependent = make_job(FifoJob, status=JobStatus.FAILED, error_message=DEPENDENT)
    staff_client.post(retry_url(root))
    assert_reopened(root, 3)
    assert_reopened(dependent, 0)


def test_retry_of_a_job_that_is_not_failed(staff_client: Client, make_job: Any) -> None:
    job = make_job(IndependentJob, status=JobStatus.PROCESSED)
    response = staff_client.post(retry_url(job), follow=True)
    assert response.status_code == 200
    assert fresh(job).status == JobStatus.PROCESSED
    assert f"IndependentJob #{job.pk} is not a failed job." in response.content.decode()


def test_ignore(staff_client: Client, make_job: Any, caplog: Any) -> None:
    job = failed_job(make_job, IndependentJob)
    caplog.set_level(logging.INFO, logger="parviraptor.web")
    assert staff_client.post(ignore_url(job)).status_code == 303
    assert fresh(job).status == JobStatus.IGNORED
    assert "operator" in caplog.text and "ignored" in caplog.text
    # a second time: nothing to do, no error
    assert staff_client.post(ignore_url(job)).status_code == 303
    assert fresh(job).status == JobStatus.IGNORED


def test_retry_all_failed_of_a_queue(staff_client: Client, make_job: Any) -> None:
    failed = [failed_job(make_job, KeyedJob, shop=i, product=1) for i in range(3)]
    other_queue = failed_job(make_job, IndependentJob)
    processed = make_job(KeyedJob, status=JobStatus.PROCESSED, shop=9, product=9)
    response = staff_client.post("/queue-dashboard/jobs.KeyedJob/retry-failed/")
    assert response.status_code == 303
    for job in failed:
        assert_reopened(job, 3)
    assert fresh(other_queue).status == JobStatus.FAILED
    assert fresh(processed).status == JobStatus.PROCESSED


@pytest.mark.parametrize("action", ["retry", "ignore"])
def test_get_is_refused(staff_client: Client, make_job: Any, action: str) -> None:
    job = failed_job(make_job, IndependentJob)
    url = retry_url(job) if action == "retry" else ignore_url(job)
    assert staff_client.get(url).status_code == 405
    assert fresh(job).status == JobStatus.FAILED


def test_csrf_is_enforced(csrf_client: Client, make_job: Any) -> None:
    job = failed_job(make_job, IndependentJob)
    assert csrf_client.post(retry_url(job)).status_code == 403
    assert csrf_client.post(ignore_url(job)).status_code == 403
    assert (
        csrf_client.post(
            "/queue-dashboard/jobs.IndependentJob/retry-failed/"
        ).status_code
        == 403
    )
    assert fresh(job).status == JobStatus.FAILED
    # with the token of the dashboard's form it goes through
    csrf_client.get("/queue-dashboard/")
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(retry_url(job), {"csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert fresh(job).status == JobStatus.NEW


def test_anonymous_and_non_staff_are_refused(
    client: Client, plain_client: Client, make_job: Any
) -> None:
    job = failed_job(make_job, IndependentJob)
    for c in (client, plain_client):
        assert c.post(retry_url(job)).status_code == 403
        assert c.post(ignore_url(job)).status_code == 403
        assert (
            c.post("/queue-dashboard/jobs.IndependentJob/retry-failed/").status_code
            == 403
        )
    assert fresh(job).status == JobStatus.FAILED


@pytest.mark.parametrize(
    "url",
    [
        "/queue-dashboard/jobs.NoSuchJob/jobs/1/retry/",
        "/queue-dashboard/jobs.NotAJob/jobs/1/retry/",
        "/queue-dashboard/nosuchapp.KeyedJob/jobs/1/ignore/",
        "/queue-dashboard/KeyedJob/jobs/1/retry/",
        "/queue-dashboard/jobs.KeyedJob/jobs/abc/retry/",
        "/queue-dashboard/jobs.KeyedJob/jobs/-1/retry/",
        "/queue-dashboard/jobs.KeyedJob/jobs/0/retry/",
        "/queue-dashboard/jobs.KeyedJob/jobs/99999999999999999999999/retry/",
        "/queue-dashboard/jobs.KeyedJob/jobs/9223372036854775808/ignore/",
        "/queue-dashboard/jobs.Counter/retry-failed/",
        "/queue-dashboard/jobs.KeyedJob/jobs/1/explode/",
    ],
)
def test_malformed_posts_are_404(staff_client: Client, url: str) -> None:
    assert staff_client.post(url, {"garbage": "\x00"}).status_code == 404


def test_unknown_job_id_is_a_warning_not_an_error(staff_client: Client) -> None:
    response = staff_client.post(
        "/queue-dashboard/jobs.KeyedJob/jobs/9223372036854775807/retry/"
    )
    assert response.status_code == 303
