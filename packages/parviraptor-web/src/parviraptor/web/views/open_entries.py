"""``open-queue-entries/``: open (NEW + PROCESSING) jobs per queue, as a table."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from parviraptor.web.access import require_access
from parviraptor.web.queries.stats import count_open_jobs
from parviraptor.web.queues import all_queues

__all__ = ["open_queue_entries"]


@never_cache
@require_safe
@require_access("open-queue-entries")
def open_queue_entries(request: HttpRequest) -> HttpResponse:
    """One row per queue: its class name and its open count (one query each)."""
    rows = [
        (job_class.__name__, count_open_jobs(job_class)) for job_class in all_queues()
    ]
    return render(
        request,
        "parviraptor/web/open_queue_entries.html",
        {"rows": rows, "title": "Open queue entries"},
    )
