"""URLs of parviraptor's web views; include them with
``path("", include("parviraptor.urls"))``.

Every name starts with ``parviraptor-``. ``<queue>`` is ``app_label.ModelName``.
"""

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

urlpatterns: list[URLPattern | URLResolver] = [
    path("queue-monitoring/", queue_monitoring, name="parviraptor-queue-monitoring"),
    path(
        "open-queue-entries/",
        open_queue_entries,
        name="parviraptor-open-queue-entries",
    ),
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
