"""The ``PARVIRAPTOR_WEB_ACCESS`` setting and its system check."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.test import Client

from parviraptor.web.access import PAGES, policy_for
from parviraptor.web.checks import check_access_setting

pytestmark = pytest.mark.django_db

PAGE_URLS = {
    "queue-monitoring": "/queue-monitoring/",
    "open-queue-entries": "/open-queue-entries/",
    "queue-dashboard": "/queue-dashboard/",
    "queue-metrics": "/queue-metrics/",
}


def only_with_header(request: HttpRequest) -> bool:
    """A custom policy, referenced by its dotted path below."""
    return request.headers.get("X-Ops") == "yes"


@pytest.mark.parametrize("page,url", PAGE_URLS.items())
def test_defaults(
    page: str, url: str, client: Client, plain_client: Client, staff_client: Client
) -> None:
    assert staff_client.get(url).status_code == 200
    if page in ("queue-monitoring", "open-queue-entries"):
        assert client.get(url).status_code == 200
        assert plain_client.get(url).status_code == 200
    else:
        assert client.get(url).status_code in (302, 403)
        assert plain_client.get(url).status_code == 403


def test_custom_callable_by_dotted_path(client: Client, settings: Any) -> None:
    settings.PARVIRAPTOR_WEB_ACCESS = {"queue-metrics": f"{__name__}.only_with_header"}
    assert client.get("/queue-metrics/").status_code == 403
    assert client.get("/queue-metrics/", HTTP_X_OPS="yes").status_code == 200


def test_star_opens_all_pages_but_not_the_actions(
    client: Client, settings: Any
) -> None:
    settings.PARVIRAPTOR_WEB_ACCESS = {"*": "public"}
    for url in PAGE_URLS.values():
        assert client.get(url).status_code == 200
    assert (
        client.post("/queue-dashboard/jobs.KeyedJob/retry-failed/").status_code == 403
    )


def test_superuser_policy(staff_client: Client, settings: Any) -> None:
    settings.PARVIRAPTOR_WEB_ACCESS = {"queue-dashboard": "superuser"}
    assert staff_client.get("/queue-dashboard/").status_code == 403


def test_public_actions_are_refused(settings: Any) -> None:
    settings.PARVIRAPTOR_WEB_ACCESS = {"queue-actions": "public"}
    with pytest.raises(ImproperlyConfigured):
        policy_for("queue-actions")


@pytest.mark.parametrize(
    "value,problem",
    [
        ("staff", "must be a dict"),
        ({"queue-dashbord": "staff"}, "unknown page"),
        ({"queue-metrics": "everyone"}, "unknown policy"),
        ({"queue-metrics": "no.such.module.check"}, "No module"),
        ({"queue-metrics": 42}, "is no policy"),
        ({"queue-actions": "public"}, "cannot be"),
    ],
)
def test_system_check(settings: Any, value: Any, problem: str) -> None:
    settings.PARVIRAPTOR_WEB_ACCESS = value
    errors = check_access_setting()
    assert errors and problem in errors[0].msg
    assert errors[0].id == "parviraptor_web.E001"


def test_system_check_accepts_good_settings(settings: Any) -> None:
    settings.PARVIRAPTOR_WEB_ACCESS = {
        "*": "public",
        "queue-dashboard": f"{__name__}.only_with_header",
        "queue-actions": only_with_header,
    }
    assert check_access_setting() == []
    assert set(PAGES) >= set(PAGE_URLS)
