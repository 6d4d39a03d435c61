"""A downstream project written against the original parviraptor (2.x/4.x).

Uses the names such a project uses, exactly as it uses them: the URL names
of ``include("parviraptor.urls")``, the views of ``parviraptor.views`` routed
by the project itself, ``OpenQueueEntriesView.get_context()`` overridden in a
subclass, and the project's own templates at the original's names.
"""

from __future__ import annotations

import importlib
import re
import types
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import include, path, reverse
from django.views.generic import View

from parviraptor.views import OpenQueueEntriesView, queue_monitoring

from testproject.jobs.models import FifoJob, IndependentJob

pytestmark = pytest.mark.django_db

# A health template in the style of the original's (written for this test).
HEALTH_TEMPLATE = """
{% if queue_entries %}{% for entry in queue_entries %}
<p>There are {{ entry.failed_jobs_count }} failed,
{{ entry.long_processing_jobs_count }} long processing and
{{ entry.long_unprocessed_jobs_count }} long unprocessed {{ entry.queue_name }}s.</p>
{% endfor %}{% else %}<p>Alles OK</p>{% endif %}
"""
ENTRIES_TEMPLATE = """<table>
{% for job_class_name, entries in open_queue_entries.items %}
<tr><td>{{ job_class_name }}</td><td>{{ entries }}</td></tr>{% endfor %}
</table><p>{{ shop_name }}</p>"""


class ShopOpenEntries(OpenQueueEntriesView):
    """A project's subclass adding to the original's context."""

    def get_context(self) -> dict:
        context = super().get_context()
        context["shop_name"] = "North shop"
        return context


def project_urls() -> types.ModuleType:
    """The project's URLconf: the original's include, and the views routed by hand."""
    urls = types.ModuleType("downstream_urls")
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("monitoring/", include("parviraptor.urls")),
        path("health/", queue_monitoring, name="health"),
        path("open/", ShopOpenEntries.as_view(), name="open"),
    ]
    return urls


@pytest.fixture
def project(settings: Any, tmp_path: Path) -> None:
    templates = tmp_path / "parviraptor"
    templates.mkdir()
    (templates / "queue_monitoring.html").write_text(HEALTH_TEMPLATE)
    (templates / "open_queue_entries.html").write_text(ENTRIES_TEMPLATE)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    settings.ROOT_URLCONF = project_urls()


def words(response: Any) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode()).strip()


def test_url_names_of_the_include(project: None) -> None:
    assert reverse("queue-monitoring") == "/monitoring/queue-monitoring/"
    assert reverse("open-queue-entries") == "/monitoring/open-queue-entries/"


def test_health_page_with_the_project_template(
    project: None, client: Client, make_job: Any
) -> None:
    assert words(client.get(reverse("queue-monitoring"))) == "<p>Alles OK</p>"
    make_job(FifoJob, status="FAILED")
    assert words(client.get(reverse("health"))) == (
        "<p>There are 1 failed, 0 long processing and 0 long unprocessed FifoJobs.</p>"
    )


def test_open_entries_anonymous_and_subclassed(
    project: None, client: Client, make_job: Any
) -> None:
    make_job(IndependentJob)
    make_job(IndependentJob, status="PROCESSING")
    page = words(client.get(reverse("open-queue-entries")))
    assert "<tr><td>IndependentJob</td><td>2</td></tr>" in page
    assert "<tr><td>FifoJob</td><td>0</td></tr>" in page
    subclassed = words(client.get(reverse("open")))
    assert "<tr><td>IndependentJob</td><td>2</td></tr>" in subclassed
    assert subclassed.endswith("<p>North shop</p>")


def test_view_types_are_the_originals() -> None:
    assert issubclass(OpenQueueEntriesView, View)
    assert callable(queue_monitoring)
    assert set(OpenQueueEntriesView().get_context()) == {"open_queue_entries"}


def test_each_old_name_says_what_it_stands_for(alias_docstrings: Any) -> None:
    from parviraptor.web import compat

    docs = alias_docstrings(compat)
    assert set(docs) == set(compat.__all__)
    for doc in docs.values():
        assert doc is not None and "\n" not in doc and "since" in doc


def test_the_original_submodules_of_views() -> None:
    """``parviraptor.views.<submodule>`` as the original had them; importing
    one leaves the package's ``queue_monitoring`` the view, not the module."""
    health = importlib.import_module("parviraptor.views.queue_monitoring")
    entries = importlib.import_module("parviraptor.views.open_queue_entries")
    assert health.queue_monitoring is queue_monitoring
    assert entries.OpenQueueEntriesView is OpenQueueEntriesView
    assert importlib.import_module("parviraptor.views").queue_monitoring is (
        queue_monitoring
    )
