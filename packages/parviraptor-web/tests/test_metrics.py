"""``queue-metrics/``: Prometheus text format, parsed back."""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parviraptor.models import JobStatus
from parviraptor.utils import enumerate_job_models
from parviraptor.web.prometheus import Gauge, escape_label_value, render

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob

URL = "/queue-metrics/"

SAMPLE = re.compile(
    r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)"
    r"(?:\{(?P<labels>.*)\})?"
    r" (?P<value>[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|NaN|Inf))$"
)
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)')


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


def parse(text: str) -> tuple[dict[str, str], list[tuple[str, dict[str, str], float]]]:
    """(TYPE per metric, samples) of an exposition text; fails on bad lines."""
    types: dict[str, str] = {}
    samples = []
    assert text.endswith("\n")
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
        elif line.startswith("# HELP ") or not line:
            continue
        else:
            match = SAMPLE.match(line)
            assert match, f"not a sample line: {line!r}"
            labels_text = match.group("labels") or ""
            pairs = LABEL.findall(labels_text)
            assert ",".join(f'{k}="{v}"' for k, v in pairs) == labels_text
            labels = {key: _unescape(value) for key, value in pairs}
            assert match.group("name") in types, "sample before its TYPE"
            samples.append((match.group("name"), labels, float(match.group("value"))))
    return types, samples


@pytest.mark.django_db
def test_samples_per_queue_and_status(staff_client: Client, make_job: Any) -> None:
    make_job(IndependentJob)
    make_job(IndependentJob)
    make_job(IndependentJob, status=JobStatus.FAILED)
    make_job(KeyedJob, shop=1, product=1, age=timedelta(minutes=90))
    job = make_job(FifoJob, status=JobStatus.PROCESSING)
    FifoJob.objects.filter(pk=job.pk).update(
        claimed_at=timezone.now() - timedelta(hours=2)
    )
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    types, samples = parse(response.content.decode())
    assert types["parviraptor_jobs"] == "gauge"

    jobs = {
        (labels["queue"], labels["status"]): value
        for name, labels, value in samples
        if name == "parviraptor_jobs"
    }
    queues = [model.__name__ for model in enumerate_job_models()]
    assert set(jobs) == {(q, s) for q in queues for s in JobStatus.values}
    assert jobs["IndependentJob", "NEW"] == 2
    assert jobs["IndependentJob", "FAILED"] == 1
    assert jobs["IndependentJob", "PROCESSED"] == 0
    assert jobs["FifoJob", "PROCESSING"] == 1

    by_queue = {
        (name, labels["queue"]): value
        for name, labels, value in samples
        if name != "parviraptor_jobs"
    }
    age = by_queue["parviraptor_oldest_waiting_job_age_seconds", "KeyedJob"]
    assert 89 * 60 <= age <= 95 * 60
    assert by_queue["parviraptor_oldest_waiting_job_age_seconds", "FifoJob"] == 0
    assert by_queue["parviraptor_long_processing_jobs", "FifoJob"] == 1
    assert by_queue["parviraptor_long_processing_jobs", "KeyedJob"] == 0


@pytest.mark.django_db
def test_anonymous_and_non_staff_are_refused(
    client: Client, plain_client: Client
) -> None:
    assert client.get(URL).status_code == 403
    assert plain_client.get(URL).status_code == 403


@pytest.mark.django_db
def test_public_by_setting(client: Client, settings: Any) -> None:
    settings.PARVIRAPTOR_WEB_ACCESS = {"queue-metrics": "public"}
    assert client.get(URL).status_code == 200
    assert client.get("/queue-dashboard/").status_code == 302


def test_label_values_are_escaped() -> None:
    gauge = Gauge("x_total", "help\nwith line")
    gauge.set(1.5, queue='a"b\\c\nd')
    gauge.set(math.inf, queue="e")
    text = render([gauge])
    assert escape_label_value('a"b') == 'a\\"b'
    _, samples = parse(text)
    assert samples == [
        ("x_total", {"queue": 'a"b\\c\nd'}, 1.5),
        ("x_total", {"queue": "e"}, math.inf),
    ]
    assert "# HELP x_total help\\nwith line\n" in text
