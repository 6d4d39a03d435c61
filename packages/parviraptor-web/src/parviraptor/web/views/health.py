"""``queue-monitoring/``: the health text a monitoring system polls.

Plain text, exactly "Alles OK" when nothing is wrong, else one sentence per
troubled queue. A project that has its own ``parviraptor/queue_monitoring.html``
(the original parviraptor's template, context ``queue_entries``: the troubled
queues' ``QueueMonitoringResult``) gets that template rendered as HTML
instead, as the original did.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from parviraptor.monitoring import QueueMonitoringResult, monitor_queue_entries
from parviraptor.web.access import require_access
from parviraptor.web.overrides import QUEUE_MONITORING, project_template
from parviraptor.web.queues import all_queues

__all__ = ["ALL_OK", "health_text", "queue_monitoring"]

ALL_OK = "Alles OK"


def health_text(troubled: Sequence[QueueMonitoringResult] | None = None) -> str:
    """ "Alles OK", or one sentence per troubled queue (one query per queue)."""
    if troubled is None:
        troubled = monitor_queue_entries(all_queues())
    if not troubled:
        return ALL_OK
    return "\n".join(result.message() for result in troubled)


@never_cache
@require_safe
@require_access("queue-monitoring")
def queue_monitoring(request: HttpRequest) -> HttpResponse:
    """Status 200 either way: monitors match on the text."""
    troubled = monitor_queue_entries(all_queues())
    template = project_template(QUEUE_MONITORING)
    if template is not None:
        return HttpResponse(template.render({"queue_entries": troubled}, request))
    return HttpResponse(health_text(troubled), content_type="text/plain; charset=utf-8")
