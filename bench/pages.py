"""Render times of the web pages with a large backlog in one queue.

The pages must stay cheap whatever the backlog: this measures the median
render time of each page (test client, staff user) with ``jobs`` jobs in the
per-key queue, a mix of states included.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from parviraptor.models import JobStatus

from testproject.jobs.models import KeyedJob

PAGES = (
    "/queue-monitoring/",
    "/open-queue-entries/",
    "/queue-dashboard/",
    "/queue-metrics/",
)


def fill(jobs: int) -> None:
    """``jobs`` KeyedJobs over 300 keys: mostly processed, a backlog, failures."""
    KeyedJob.objects.all().delete()
    now = timezone.now()
    states = [JobStatus.PROCESSED] * 6 + [JobStatus.NEW] * 3 + [JobStatus.FAILED]
    batch = [
        KeyedJob(
            shop=i % 300,
            product=0,
            status=states[i % len(states)],
            error_message="boom" if states[i % len(states)] == JobStatus.FAILED else "",
            behaviour="noop",
        )
        for i in range(jobs)
    ]
    KeyedJob.objects.bulk_create(batch, batch_size=5000)
    KeyedJob.objects.filter(status=JobStatus.PROCESSED).update(
        modification_date=now - timedelta(minutes=30)
    )


def render_times(repeats: int = 5) -> dict[str, float]:
    """Median seconds per page."""
    user, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    medians = {}
    for page in PAGES:
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(page)
            samples.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{page}: HTTP {response.status_code}")
        medians[page] = statistics.median(samples)
    return medians
