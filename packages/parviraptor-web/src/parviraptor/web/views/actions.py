"""The dashboard's actions: POST only, CSRF-protected, logged with the user.

Each answers with a redirect back to the dashboard (303) and a message
saying what happened. An unknown queue or job is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from parviraptor.models import AbstractJob
from parviraptor.web.access import actor, require_access
from parviraptor.web.operations import (
    OperationResult,
    ignore_job,
    retry_failed_jobs,
    retry_job,
)
from parviraptor.web.queues import find_queue, queue_id, valid_pk

__all__ = ["ignore_job_view", "retry_failed_view", "retry_job_view"]


class SeeOther(HttpResponseRedirect):
    """303: the browser follows with a GET."""

    status_code = 303


def _back(request: HttpRequest, queue: str, result: OperationResult) -> HttpResponse:
    level = messages.SUCCESS if result.ok else messages.WARNING
    messages.add_message(request, level, result.message, fail_silently=True)
    anchor = "queue-" + queue.replace(".", "-")
    return SeeOther(f"{reverse('parviraptor-queue-dashboard')}#{anchor}")


JobOperation = Callable[[type[AbstractJob], Any, str], OperationResult]


def _on_one_job(
    request: HttpRequest, queue: str, pk: int, operation: JobOperation
) -> HttpResponse:
    job_class = find_queue(queue)
    result = operation(job_class, valid_pk(pk), actor(request))
    return _back(request, queue_id(job_class), result)


@require_POST
@require_access("queue-actions", login_redirect=False)
def retry_job_view(request: HttpRequest, queue: str, pk: int) -> HttpResponse:
    """Retry one FAILED job (and re-open the jobs of its key it held up)."""
    return _on_one_job(request, queue, pk, retry_job)


@require_POST
@require_access("queue-actions", login_redirect=False)
def ignore_job_view(request: HttpRequest, queue: str, pk: int) -> HttpResponse:
    """Mark one FAILED job IGNORED."""
    return _on_one_job(request, queue, pk, ignore_job)


@require_POST
@require_access("queue-actions", login_redirect=False)
def retry_failed_view(request: HttpRequest, queue: str) -> HttpResponse:
    """Retry every FAILED job of the queue."""
    job_class = find_queue(queue)
    result = retry_failed_jobs(job_class, actor(request))
    return _back(request, queue_id(job_class), result)
