"""``queue-monitoring/``: the health text a monitoring system polls."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from parviraptor.monitoring import monitor_queue_entries
from parviraptor.web.access import require_access
from parviraptor.web.queues import all_queues

__all__ = ["ALL_OK", "health_text", "queue_monitoring"]

ALL_OK = "Alles OK"


def health_text() -> str:
    """ "Alles OK", or one sentence per troubled queue (one query per queue)."""
    troubled = monitor_queue_entries(all_queues())
    if not troubled:
        return ALL_OK
    return "\n".join(result.message() for result in troubled)


@never_cache
@require_safe
@require_access("queue-monitoring")
def queue_monitoring(request: HttpRequest) -> HttpResponse:
    """Plain text, status 200 either way: monitors match on the text."""
    return HttpResponse(health_text(), content_type="text/plain; charset=utf-8")
