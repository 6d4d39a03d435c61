"""Claim strategies: mark a batch of candidate jobs PROCESSING for one worker.

Each strategy gets a queryset of candidates (eligible jobs, ordered by id)
and returns the primary keys it claimed; no other worker can claim them.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import transaction
from django.db.models import QuerySet

from parviraptor import conf
from parviraptor.dbtime import DatabaseNow
from parviraptor.models import JobStatus


class ClaimStrategy(Protocol):
    name: str

    def claim(self, candidates: QuerySet[Any], limit: int, claimer: str) -> list[Any]:
        """Claim up to ``limit`` of ``candidates`` for ``claimer``; their pks."""
        ...


def _mark_processing(queryset: QuerySet[Any], claimer: str) -> int:
    now = DatabaseNow()
    return queryset.update(
        status=JobStatus.PROCESSING,
        claimed_by=claimer,
        claimed_at=now,
        modification_date=now,
    )


class SkipLockedClaim:
    """Row locks skip what other workers are claiming at the same moment."""

    name = "skip-locked"

    def claim(self, candidates: QuerySet[Any], limit: int, claimer: str) -> list[Any]:
        with transaction.atomic(using=candidates.db):
            locked = candidates.select_for_update(skip_locked=True)
            pks = list(locked.values_list("pk", flat=True)[:limit])
            if pks:
                _mark_processing(
                    candidates.model._default_manager.filter(pk__in=pks), claimer
                )
        return pks


class CompareAndSetClaim:
    """Update only rows still in their candidate state; read back what was won.

    Concurrent workers may pick the same candidates; the database applies
    each row's ``UPDATE ... WHERE status = <candidate status>`` once, so the
    loser simply gets fewer (or no) jobs and tries again. A slot claims only
    after its previous batch is written, so the PROCESSING rows carrying its
    name among the candidates are exactly the ones this claim won.
    """

    name = "compare-and-set"

    def claim(self, candidates: QuerySet[Any], limit: int, claimer: str) -> list[Any]:
        manager = candidates.model._default_manager.db_manager(candidates.db)
        rows = list(candidates.values_list("pk", "status")[:limit])
        if not rows:
            return []
        pks = [pk for pk, _ in rows]
        status = rows[0][1]
        _mark_processing(manager.filter(pk__in=pks, status=status), claimer)
        won = manager.filter(
            pk__in=pks, status=JobStatus.PROCESSING, claimed_by=claimer
        ).values_list("pk", flat=True)
        return sorted(won)


class SerializedClaim:
    """For claims made while holding the queue lock: nobody else can race."""

    name = "serialized"

    def claim(self, candidates: QuerySet[Any], limit: int, claimer: str) -> list[Any]:
        pks = list(candidates.values_list("pk", flat=True)[:limit])
        if pks:
            manager = candidates.model._default_manager.db_manager(candidates.db)
            _mark_processing(manager.filter(pk__in=pks), claimer)
        return pks


def supports_skip_locked(connection: Any) -> bool:
    """Whether this connection may use ``SKIP LOCKED`` for claims."""
    features = connection.features
    return bool(
        conf.use_skip_locked()
        and features.has_select_for_update
        and features.has_select_for_update_skip_locked
    )


def claim_strategy_for(connection: Any, ordered: bool) -> ClaimStrategy:
    """The claim strategy for a queue on ``connection``."""
    if ordered:
        return SerializedClaim()
    if supports_skip_locked(connection):
        return SkipLockedClaim()
    return CompareAndSetClaim()
