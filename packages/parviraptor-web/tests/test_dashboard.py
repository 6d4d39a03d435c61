"""``queue-dashboard/``: what it shows, to whom, with a bounded query count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parviraptor.models import JobStatus

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob

URL = "/queue-dashboard/"
DEPENDENT = "dependent jobs failed"
pytestmark = pytest.mark.django_db


def html_of(client: Client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200, response
    return response.content.decode()


def test_all_ok(staff_client: Client) -> None:
    html = html_of(staff_client)
    assert "All 4 queues OK." in html
    assert 'class="pv-pill pv-pill-error"' not in html


def test_states_per_queue(staff_client: Client, make_job: Any) -> None:
    make_job(IndependentJob, status=JobStatus.FAILED, error_message="boom")
    make_job(FifoJob, status=JobStatus.NEW)
    FifoJob.objects.update(not_before=timezone.now() + timedelta(minutes=3))
    html = html_of(staff_client)
    assert "2 of 4 queues need attention" in html
    assert '<tr class="pv-row-error">' in html
    assert '<tr class="pv-row-warning">' in html
    assert "1 waiting for a retry" in html
    assert "(next in 2 min" in html or "(next in 3 min" in html
    assert "boom" in html


def test_details(staff_client: Client, make_job: Any) -> None:
    make_job(IndependentJob, age=timedelta(hours=3))
    make_job(IndependentJob, status=JobStatus.PROCESSED)
    job = make_job(IndependentJob, status=JobStatus.PROCESSING)
    limit = IndependentJob.MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN
    IndependentJob.objects.filter(pk=job.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=limit + 10)
    )
    html = html_of(staff_client, URL + "?queue=IndependentJob")
    assert "3 h" in html  # oldest waiting
    assert f"(1 over {limit} min)" in html  # long processing
    assert "1 processing too long" in html
    assert "(0.02 / min)" in html  # one finished in the last hour
    assert "FifoJob" not in html.split("</header>", 1)[1]  # only the one queue


def test_blocked_keys_and_their_blockers(staff_client: Client, make_job: Any) -> None:
    root = make_job(
        KeyedJob, status=JobStatus.FAILED, shop=1, product=2, error_message="no stock"
    )
    for _ in range(2):
        make_job(
            KeyedJob,
            status=JobStatus.FAILED,
            shop=1,
            product=2,
            error_message=DEPENDENT,
        )
    make_job(KeyedJob, shop=1, product=3)
    html = html_of(staff_client)
    section = html.split('id="queue-jobs-KeyedJob"', 1)[1].split("</section>", 1)[0]
    assert "Blocked keys" in section
    assert "shop=1, product=2" in section
    assert f"#{root.pk}" in section
    assert "no stock" in section
    assert "1 blocked key" in section
    assert f"/queue-dashboard/jobs.KeyedJob/jobs/{root.pk}/retry/" in section
    # the dependent failures are not listed as failures of their own
    assert section.count(DEPENDENT) == 0


def test_fifo_queue_blocked(staff_client: Client, make_job: Any) -> None:
    root = make_job(FifoJob, status=JobStatus.FAILED, error_message="bad")
    html = html_of(staff_client)
    section = html.split('id="queue-jobs-FifoJob"', 1)[1].split("</section>", 1)[0]
    assert "Queue blocked" in section and "the whole queue" in section
    assert f"#{root.pk}" in section


def test_error_messages_are_escaped(staff_client: Client, make_job: Any) -> None:
    evil = '<script>alert("x")</script>'
    make_job(IndependentJob, status=JobStatus.FAILED, error_message=evil)
    make_job(
        KeyedJob, status=JobStatus.FAILED, shop=1, product=1, error_message=evil * 20
    )
    html = html_of(staff_client)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_long_message_is_folded(staff_client: Client, make_job: Any) -> None:
    make_job(
        IndependentJob,
        status=JobStatus.FAILED,
        error_message="Traceback (most recent call last):\n  line 1\nValueError",
    )
    html = html_of(staff_client)
    assert "<details><summary>ValueError</summary><pre>Traceback (most" in html


def test_actions_only_for_those_allowed(
    staff_client: Client, plain_client: Client, settings: Any, make_job: Any
) -> None:
    make_job(IndependentJob, status=JobStatus.FAILED)
    assert "pv-retry" in html_of(staff_client)
    settings.PARVIRAPTOR_WEB_ACCESS = {"queue-dashboard": "authenticated"}
    html = html_of(plain_client)
    assert "pv-retry" not in html and "Retry all" not in html


def test_access(client: Client, plain_client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/queue-dashboard/")
    assert plain_client.get(URL).status_code == 403


def test_login_url_setting_wins(client: Client, settings: Any) -> None:
    settings.LOGIN_URL = "/sso/"
    assert client.get(URL)["Location"].startswith("/sso/?next=")


@pytest.mark.parametrize(
    "query", ["?queue=NoSuchJob", "?queue=jobs.NotAJob", "?queue=x.y.z", "?queue=%00"]
)
def test_unknown_queue_is_404(staff_client: Client, query: str) -> None:
    assert staff_client.get(URL + query).status_code == 404


def test_garbage_parameters_are_ignored(staff_client: Client) -> None:
    assert staff_client.get(URL + "?page=-1&x=%ff&queue=").status_code == 200


def _fill(jobs: int) -> None:
    """Jobs in every state of interest, ``jobs`` per kind."""
    later = timezone.now() + timedelta(minutes=5)
    IndependentJob.objects.bulk_create(
        [IndependentJob(status=s) for s in JobStatus.values for _ in range(jobs)]
    )
    IndependentJob.objects.filter(status=JobStatus.NEW).update(not_before=later)
    KeyedJob.objects.bulk_create(
        [
            KeyedJob(status=JobStatus.FAILED, shop=i, product=k, error_message="x")
            for i in range(jobs)
            for k in range(2)
        ]
    )
    FifoJob.objects.bulk_create(
        [FifoJob(status=JobStatus.FAILED, error_message="y") for _ in range(jobs)]
    )


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [URL, "/queue-monitoring/", "/queue-metrics/"])
def test_query_count_does_not_grow_with_jobs(staff_client: Client, url: str) -> None:
    _fill(10)
    few = _count_queries(staff_client, url)
    _fill(990)
    many = _count_queries(staff_client, url)
    assert few == many
    assert many <= 4 * 6 + 4  # per queue at most six, plus clock and session


def test_dashboard_max_queries(
    staff_client: Client, django_assert_max_num_queries: Any
) -> None:
    _fill(1000)
    with django_assert_max_num_queries(30):
        staff_client.get(URL)
