"""``queue-metrics/``: Prometheus text exposition of every queue."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from parviraptor.models import JobStatus
from parviraptor.web.access import require_access
from parviraptor.web.prometheus import CONTENT_TYPE, Gauge, render
from parviraptor.web.queries.stats import (
    QueueStats,
    collect_queue_stats,
    database_now,
)
from parviraptor.web.queues import all_queues

__all__ = ["metrics_text", "queue_metrics"]


def _labels(stats: QueueStats) -> dict[str, str]:
    return {"queue": stats.name, "app": stats.job_class._meta.app_label}


def metrics_text(all_stats: Sequence[QueueStats]) -> str:
    """The exposition text of the queues' stats."""
    jobs = Gauge("parviraptor_jobs", "Jobs per queue and status.")
    oldest = Gauge(
        "parviraptor_oldest_waiting_job_age_seconds",
        "Age of the oldest NEW or DEFERRED job (0 when none waits).",
    )
    long_processing = Gauge(
        "parviraptor_long_processing_jobs",
        "Jobs PROCESSING for longer than the job class allows.",
    )
    long_unprocessed = Gauge(
        "parviraptor_long_unprocessed_jobs",
        "Jobs waiting for longer than the job class allows.",
    )
    retrying = Gauge(
        "parviraptor_jobs_waiting_for_retry",
        "NEW jobs whose next attempt is not due yet.",
    )
    finished = Gauge(
        "parviraptor_jobs_finished_last_hour",
        "Jobs that reached a final state during the last hour.",
    )
    for stats in all_stats:
        labels = _labels(stats)
        for status in JobStatus.values:
            jobs.set(stats.counts[status], **labels, status=status)
        age = stats.oldest_waiting_age
        oldest.set(age.total_seconds() if age else 0, **labels)
        long_processing.set(stats.long_processing, **labels)
        long_unprocessed.set(stats.long_unprocessed, **labels)
        retrying.set(stats.retry_waiting, **labels)
        finished.set(stats.finished_last_hour, **labels)
    return render([jobs, oldest, long_processing, long_unprocessed, retrying, finished])


@never_cache
@require_safe
@require_access("queue-metrics", login_redirect=False)
def queue_metrics(request: HttpRequest) -> HttpResponse:
    """Two queries per queue, plus one for the database's clock."""
    now = database_now()
    all_stats = [collect_queue_stats(job_class, now) for job_class in all_queues()]
    return HttpResponse(metrics_text(all_stats), content_type=CONTENT_TYPE)
