"""``open-queue-entries/``: open (NEW + PROCESSING) jobs per queue, as a table.

The original parviraptor's class-based view, with its ``get_context()``: the
context ``open_queue_entries`` maps each job class name to its open count. A
project's own ``parviraptor/open_queue_entries.html`` is rendered in place of
ours.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import View

from parviraptor.web.access import require_access
from parviraptor.web.overrides import OPEN_QUEUE_ENTRIES
from parviraptor.web.queries.stats import count_open_jobs
from parviraptor.web.queues import all_queues

__all__ = ["OpenQueueEntriesView", "open_queue_entries"]

OUR_TEMPLATE = "parviraptor/web/open_queue_entries.html"


@method_decorator(
    [never_cache, require_safe, require_access("open-queue-entries")], name="dispatch"
)
class OpenQueueEntriesView(View):
    """One row per queue: its class name and its open count (one query each)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {"title": "Open queue entries", **self.get_context()}
        return render(request, [OPEN_QUEUE_ENTRIES, OUR_TEMPLATE], context)

    def get_context(self) -> dict[str, Any]:
        """``open_queue_entries``: job class name -> NEW + PROCESSING count."""
        counts = {
            job_class.__name__: count_open_jobs(job_class) for job_class in all_queues()
        }
        return {"open_queue_entries": counts}


open_queue_entries = OpenQueueEntriesView.as_view()
