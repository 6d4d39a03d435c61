"""``queue-dashboard/``: the state of every queue, for a person to act on."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from parviraptor.models import AbstractJob, JobStatus
from parviraptor.web.access import has_access, require_access
from parviraptor.web.queries.failures import (
    BlockedKey,
    FailedJob,
    blocked_keys,
    recent_failures,
)
from parviraptor.web.queries.stats import (
    ERROR,
    OK,
    WARNING,
    QueueStats,
    collect_queue_stats,
    database_now,
)
from parviraptor.web.queues import all_queues, find_queue_by_name, queue_id, queue_kind

__all__ = ["QueuePanel", "queue_dashboard"]

RECENT_FAILURES = 10
BLOCKED_KEYS = 20
STATE_LABELS = {OK: "OK", WARNING: "Attention", ERROR: "Problem"}


@dataclass(frozen=True)
class QueuePanel:
    """Everything the dashboard shows of one queue."""

    stats: QueueStats
    failures: list[FailedJob]
    blocked: list[BlockedKey]
    blocked_total: int

    @property
    def job_class(self) -> type[AbstractJob]:
        return self.stats.job_class

    @property
    def name(self) -> str:
        return self.stats.name

    @property
    def app_label(self) -> str:
        return self.job_class._meta.app_label

    @property
    def ident(self) -> str:
        return queue_id(self.job_class)

    @property
    def anchor(self) -> str:
        return "queue-" + self.ident.replace(".", "-")

    @property
    def kind(self) -> str:
        return queue_kind(self.job_class)

    @property
    def per_key(self) -> bool:
        return bool(self.job_class.get_dependent_fields())

    @property
    def state(self) -> str:
        return ERROR if self.blocked_total else self.stats.state

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        return [(status, self.stats.counts[status]) for status in JobStatus.values]


def build_panel(job_class: type[AbstractJob], stats: QueueStats) -> QueuePanel:
    """At most four more queries: failures and blocked keys."""
    failures = recent_failures(job_class, RECENT_FAILURES) if stats.failed else []
    blocked, total = blocked_keys(job_class, BLOCKED_KEYS) if stats.failed else ([], 0)
    return QueuePanel(stats, failures, blocked, total)


def _selected_queues(request: HttpRequest) -> list[type[AbstractJob]]:
    """All queues, or the one named by ``?queue=`` (404 if unknown)."""
    name = request.GET.get("queue")
    if name is None or name == "":
        return all_queues()
    return [find_queue_by_name(name)]


@never_cache
@require_safe
@require_access("queue-dashboard")
def queue_dashboard(request: HttpRequest) -> HttpResponse:
    """A summary row per queue, then a panel per queue with its details."""
    job_classes = _selected_queues(request)
    now = database_now()
    panels = [
        build_panel(job_class, collect_queue_stats(job_class, now))
        for job_class in job_classes
    ]
    troubled = [panel for panel in panels if panel.state != OK]
    worst = ERROR if any(p.state == ERROR for p in panels) else WARNING
    context = {
        "title": "Job queues",
        "now": now,
        "panels": panels,
        "troubled": troubled,
        "overall": worst if troubled else OK,
        "can_act": has_access(request, "queue-actions"),
        "statuses": JobStatus.values,
        "single_queue": request.GET.get("queue") or "",
        "flash": list(messages.get_messages(request)),
    }
    return render(request, "parviraptor/web/dashboard.html", context)
