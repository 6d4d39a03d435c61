"""A project's templates at the original's names are rendered (issue 11, item 11).

``parviraptor/queue_monitoring.html`` gets ``queue_entries`` (the troubled
queues, with the original's attribute names), ``parviraptor/open_queue_entries.html``
gets ``open_queue_entries`` (job class name -> open count). Without them the
health text stays plain text and the table ours.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parviraptor.models import JobStatus
from parviraptor.utils import enumerate_job_models

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob

pytestmark = pytest.mark.django_db

HEALTH = (
    "{% for entry in queue_entries %}"
    "<li>{{ entry.queue_name }} {{ entry.failed_jobs_count }} "
    "{{ entry.long_processing_jobs_count }} {{ entry.long_unprocessed_jobs_count }}"
    "</li>{% empty %}<p>all good</p>{% endfor %}"
)
OPEN_ENTRIES = (
    "{% for name, count in open_queue_entries.items %}{{ name }}={{ count }};"
    "{% endfor %}"
)


def use_project_templates(settings: Any, directory: Path, **templates: str) -> None:
    """Put ``templates`` (name -> source) where the project's TEMPLATES DIRS look."""
    for name, source in templates.items():
        path = directory / "parviraptor" / f"{name}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    engine = {**settings.TEMPLATES[0], "DIRS": [str(directory)]}
    settings.TEMPLATES = [engine]


@pytest.fixture
def overridden(settings: Any, tmp_path: Path) -> None:
    use_project_templates(
        settings, tmp_path, queue_monitoring=HEALTH, open_queue_entries=OPEN_ENTRIES
    )


def test_health_override_when_all_is_well(client: Client, overridden: None) -> None:
    response = client.get("/queue-monitoring/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content.decode() == "<p>all good</p>"


def test_health_override_gets_the_troubled_queues(
    client: Client, overridden: None, make_job: Any
) -> None:
    make_job(IndependentJob, status=JobStatus.FAILED)
    make_job(IndependentJob, status=JobStatus.FAILED)
    limit = KeyedJob.MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN
    make_job(KeyedJob, age=timedelta(minutes=limit + 5), shop=1, product=1)
    job = make_job(FifoJob, status=JobStatus.PROCESSING)
    limit = FifoJob.MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN
    FifoJob.objects.filter(pk=job.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=limit + 1)
    )
    html = client.get("/queue-monitoring/").content.decode()
    assert html == (
        "<li>IndependentJob 2 0 0</li><li>FifoJob 0 1 0</li><li>KeyedJob 0 0 1</li>"
    )


def test_open_entries_override(client: Client, overridden: None, make_job: Any) -> None:
    make_job(IndependentJob)
    make_job(IndependentJob, status=JobStatus.PROCESSING)
    make_job(FifoJob, status=JobStatus.FAILED)
    response = client.get("/open-queue-entries/")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    expected = {model.__name__: 0 for model in enumerate_job_models()}
    expected["IndependentJob"] = 2
    assert response.content.decode() == "".join(
        f"{name}={count};" for name, count in expected.items()
    )


def test_an_override_may_extend_our_page(
    client: Client, settings: Any, tmp_path: Path, make_job: Any
) -> None:
    source = (
        '{% extends "parviraptor/web/open_queue_entries.html" %}'
        "{% block content %}<h2>Our shop</h2>{{ block.super }}{% endblock %}"
    )
    use_project_templates(settings, tmp_path, open_queue_entries=source)
    make_job(IndependentJob)
    html = client.get("/open-queue-entries/").content.decode()
    assert "<h2>Our shop</h2>" in html
    assert "<td>IndependentJob</td><td>1</td>" in html


def test_without_overrides_ours_are_served(client: Client) -> None:
    health = client.get("/queue-monitoring/")
    assert health["Content-Type"] == "text/plain; charset=utf-8"
    assert health.content.decode() == "Alles OK"
    assert (
        "<h1>Open queue entries</h1>"
        in client.get("/open-queue-entries/").content.decode()
    )


def test_overrides_keep_the_access_policy(
    client: Client, overridden: None, settings: Any
) -> None:
    settings.PARVIRAPTOR_WEB_ACCESS = {"*": "staff"}
    assert client.get("/queue-monitoring/").status_code == 302
    assert client.get("/open-queue-entries/").status_code == 302
