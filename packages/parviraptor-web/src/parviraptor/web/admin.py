"""``JobAdmin``: a ModelAdmin for job queue models.

A project registers it for each of its job models::

    from parviraptor.web.admin import JobAdmin
    admin.site.register(ProductSyncJob, JobAdmin)

It lists status, error count, dates and message (plus the dependent fields
of an ordered queue), filters by status, searches the message (and the id,
when the term is a number) and offers the dashboard's actions: retry failed
jobs and mark failed jobs IGNORED. Subclass it to add the model's own fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator

from parviraptor.models import AbstractJob, JobStatus
from parviraptor.web.access import actor
from parviraptor.web.operations import OperationResult, ignore_jobs, retry_failed_jobs

__all__ = ["JobAdmin"]

BOOKKEEPING = ("not_before", "claimed_by", "claimed_at", "key_head")


class JobAdmin(admin.ModelAdmin):
    """The admin of one job queue model."""

    list_display = (
        "pk",
        "status",
        "error_count",
        "creation_date",
        "modification_date",
        "short_error_message",
    )
    list_display_links = ("pk",)
    list_filter = ("status",)
    search_fields = ("error_message",)
    ordering = ("-pk",)
    date_hierarchy = None
    list_per_page = 50
    actions = ["retry_selected", "ignore_selected"]

    def get_list_display(self, request: HttpRequest) -> Any:
        """The dependent fields of an ordered queue come after the id."""
        display = list(super().get_list_display(request))
        dependent = self.model.get_dependent_fields() or []
        extra = [name for name in dependent if name not in display]
        return [display[0], *extra, *display[1:]]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        fields = ("creation_date", "modification_date", *BOOKKEEPING)
        return readonly + [name for name in fields if name not in readonly]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        """Also find a job by its id when the term is a number."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term.isdigit() and len(term) < 19:
            results = results | queryset.filter(pk=int(term))
        return results, duplicates

    @admin.display(description="error message")
    def short_error_message(self, obj: AbstractJob) -> str:
        """The message's first 80 characters (escaped by the admin)."""
        return Truncator(obj.error_message or "").chars(80)

    def _report(self, request: HttpRequest, result: OperationResult) -> None:
        level = messages.SUCCESS if result.ok else messages.WARNING
        self.message_user(request, result.message, level=level)

    @admin.action(description="Retry selected failed jobs", permissions=["change"])
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """FAILED jobs become NEW again (with the same-key jobs they held up)."""
        pks = list(
            queryset.filter(status=JobStatus.FAILED).values_list("pk", flat=True)
        )
        self._report(request, retry_failed_jobs(self.model, actor(request), pks=pks))

    @admin.action(
        description="Mark selected failed jobs ignored", permissions=["change"]
    )
    def ignore_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """FAILED jobs become IGNORED."""
        pks = list(
            queryset.filter(status=JobStatus.FAILED).values_list("pk", flat=True)
        )
        self._report(request, ignore_jobs(self.model, pks, actor(request)))
