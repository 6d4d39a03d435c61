"""URLs of parviraptor's web views; include them with
``path("", include("parviraptor.urls"))``.

Every name starts with ``parviraptor-``. ``<queue>`` is ``app_label.ModelName``.
The two pages the original parviraptor had also answer to its names,
``queue-monitoring`` and ``open-queue-entries``: both names reverse to the
same path (a route is listed once per name; the original's name comes first,
so that resolving a path gives the name the original gave).
"""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, path

from parviraptor.web.views.actions import (
    ignore_job_view,
    retry_failed_view,
    retry_job_view,
)
from parviraptor.web.views.dashboard import queue_dashboard
from parviraptor.web.views.health import queue_monitoring
from parviraptor.web.views.metrics import queue_metrics
from parviraptor.web.views.open_entries import open_queue_entries


def _named_twice(route: str, view: Callable[..., Any]) -> list[URLPattern]:
    """``route`` under the original's name (its path without the slash) and ours."""
    original = route.rstrip("/")
    return [
        path(route, view, name=original),
        path(route, view, name=f"parviraptor-{original}"),
    ]


urlpatterns: list[URLPattern | URLResolver] = [
    *_named_twice("queue-monitoring/", queue_monitoring),
    *_named_twice("open-queue-entries/", open_queue_entries),
    path("queue-dashboard/", queue_dashboard, name="parviraptor-queue-dashboard"),
    path(
        "queue-dashboard/<str:queue>/jobs/<int:pk>/retry/",
        retry_job_view,
        name="parviraptor-retry-job",
    ),
    path(
        "queue-dashboard/<str:queue>/jobs/<int:pk>/ignore/",
        ignore_job_view,
        name="parviraptor-ignore-job",
    ),
    path(
        "queue-dashboard/<str:queue>/retry-failed/",
        retry_failed_view,
        name="parviraptor-retry-failed",
    ),
    path("queue-metrics/", queue_metrics, name="parviraptor-queue-metrics"),
]
