"""``JobAdmin``: list, filter, search and the retry / ignore admin actions."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import include, path

from parviraptor.models import JobStatus
from parviraptor.web.admin import JobAdmin

from testproject.jobs.models import IndependentJob, KeyedJob

pytestmark = pytest.mark.django_db
DEPENDENT = "dependent jobs failed"


class AdminURLs:
    """A URLconf with an admin site of its own, the way a project uses JobAdmin."""

    site = admin.AdminSite(name="jobadmin")
    site.register(IndependentJob, JobAdmin)
    site.register(KeyedJob, JobAdmin)
    urlpatterns = [path("admin/", site.urls), path("", include("parviraptor.urls"))]


@pytest.fixture
def admin_client_(settings: Any, admin_user: Any) -> Client:
    settings.ROOT_URLCONF = AdminURLs
    client = Client()
    client.force_login(admin_user)
    return client


def changelist(model: type) -> str:
    return f"/admin/jobs/{model.__name__.lower()}/"


def test_changelist(admin_client_: Client, make_job: Any) -> None:
    make_job(
        KeyedJob, status=JobStatus.FAILED, shop=3, product=4, error_message="<b>x</b>"
    )
    make_job(KeyedJob, shop=3, product=5)
    response = admin_client_.get(changelist(KeyedJob))
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "column-shop" in html and "column-status" in html
    assert "column-error_count" in html and "column-short_error_message" in html
    response = admin_client_.get(changelist(KeyedJob) + "?status__exact=FAILED")
    assert response.context["cl"].result_count == 1


def test_search_by_message_and_id(admin_client_: Client, make_job: Any) -> None:
    hit = make_job(IndependentJob, status=JobStatus.FAILED, error_message="timeout")
    make_job(IndependentJob, status=JobStatus.FAILED, error_message="other")
    for term in ("timeout", str(hit.pk), "9" * 30, "%"):
        response = admin_client_.get(changelist(IndependentJob), {"q": term})
        assert response.status_code == 200
    response = admin_client_.get(changelist(IndependentJob), {"q": str(hit.pk)})
    assert [job.pk for job in response.context["cl"].result_list] == [hit.pk]


def test_retry_action(admin_client_: Client, make_job: Any, caplog: Any) -> None:
    key = {"shop": 1, "product": 1}
    root = make_job(KeyedJob, status=JobStatus.FAILED, error_count=2, **key)
    dependent = make_job(
        KeyedJob, status=JobStatus.FAILED, error_message=DEPENDENT, **key
    )
    done = make_job(KeyedJob, status=JobStatus.PROCESSED, shop=2, product=2)
    caplog.set_level(logging.INFO, logger="parviraptor.web")
    response = admin_client_.post(
        changelist(KeyedJob),
        {"action": "retry_selected", "_selected_action": [root.pk, done.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 failed KeyedJob job(s) will be retried." in response.content.decode()
    root.refresh_from_db()
    dependent.refresh_from_db()
    done.refresh_from_db()
    assert (root.status, root.error_count, root.key_head) == (JobStatus.NEW, 2, None)
    assert dependent.status == JobStatus.NEW
    assert done.status == JobStatus.PROCESSED
    assert "admin" in caplog.text


def test_ignore_action(admin_client_: Client, make_job: Any) -> None:
    failed = make_job(IndependentJob, status=JobStatus.FAILED)
    new = make_job(IndependentJob)
    admin_client_.post(
        changelist(IndependentJob),
        {"action": "ignore_selected", "_selected_action": [failed.pk, new.pk]},
    )
    failed.refresh_from_db()
    new.refresh_from_db()
    assert failed.status == JobStatus.IGNORED
    assert new.status == JobStatus.NEW


def test_change_form_renders(admin_client_: Client, make_job: Any) -> None:
    job = make_job(KeyedJob, shop=1, product=1)
    response = admin_client_.get(f"{changelist(KeyedJob)}{job.pk}/change/")
    assert response.status_code == 200
