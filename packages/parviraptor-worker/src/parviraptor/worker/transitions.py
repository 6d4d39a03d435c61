"""Writing jobs' new states: guarded by their claim, in few short statements.

Every write checks that the job is still PROCESSING under the same claim
(compare-and-set), so a result arriving after the job was recovered from a
presumed-dead worker is dropped instead of overwriting the newer state.

Results of a batch are written together (``record_outcomes``): one UPDATE per
kind of outcome. Each job still gets its own ``modification_date``: the
database's time at writing, less how long ago the job finished, so the
completion order of a key stays readable from it.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import router, transaction
from django.db.models import Case, DateTimeField, F, When

from parviraptor.dbtime import DatabaseNow, db_now_plus
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.locking import lock_queue
from parviraptor.worker.outcomes import Outcome
from parviraptor.worker.sequencing import hand_on_keys

logger = logging.getLogger("parviraptor.worker")


@dataclass(frozen=True)
class Finished:
    """A job's outcome, and when (``time.monotonic()``) its process() ended."""

    job: AbstractJob
    outcome: Outcome
    finished_at: float = field(default_factory=time.monotonic)


def database_for(job_class: type[AbstractJob]) -> str:
    return router.db_for_write(job_class) or "default"


def record_outcome(job: AbstractJob, outcome: Outcome, claimer: str | None) -> bool:
    """Move ``job`` (claimed by ``claimer``) to ``outcome``; False if it lost the claim."""
    return record_outcomes(type(job), [Finished(job, outcome)], claimer) == 1


def record_outcomes(
    job_class: type[AbstractJob], finished: Sequence[Finished], claimer: str | None
) -> int:
    """Write ``finished`` (in finish order); how many still held their claim."""
    if not finished:
        return 0
    using = database_for(job_class)
    if not job_class.is_keyed():
        return _apply(job_class, finished, claimer, using)
    with transaction.atomic(using=using):
        lock_queue(job_class, using)
        held = set(_claimed(job_class, [f.job.pk for f in finished], claimer, using))
        finished = [f for f in finished if f.job.pk in held]
        applied = _apply(job_class, finished, claimer, using)
        _hand_on_keys(job_class, using, finished)
    return applied


def _claimed(
    job_class: type[AbstractJob], pks: list[Any], claimer: str | None, using: str
) -> Any:
    manager = job_class._default_manager.db_manager(using)
    return manager.filter(
        pk__in=pks, status=JobStatus.PROCESSING, claimed_by=claimer
    ).values_list("pk", flat=True)


def _apply(
    job_class: type[AbstractJob],
    finished: Sequence[Finished],
    claimer: str | None,
    using: str,
) -> int:
    groups: dict[Outcome, list[Finished]] = defaultdict(list)
    for item in finished:
        groups[item.outcome].append(item)
    manager = job_class._default_manager.db_manager(using)
    now = time.monotonic()
    applied = 0
    for outcome, items in groups.items():
        changes = _changes(outcome)
        changes["modification_date"] = _finish_times(items, now)
        pks = [item.job.pk for item in items]
        claimed = manager.filter(
            pk__in=pks, status=JobStatus.PROCESSING, claimed_by=claimer
        )
        updated = claimed.update(**changes)
        if updated < len(pks):
            logger.warning(
                "%s: %d of %d results (%s) dropped: their claim by %s was lost "
                "(recovered by another worker?)",
                job_class.__name__,
                len(pks) - updated,
                len(pks),
                outcome.status,
                claimer,
            )
        for item in items:
            item.job.status = outcome.status
        applied += updated
    return applied


def _finish_times(items: Sequence[Finished], now: float) -> Any:
    """Per job: the database's now minus the time since the job finished."""
    if len(items) == 1 and now - items[0].finished_at < 0.001:
        return DatabaseNow()
    whens = [
        When(
            pk=item.job.pk, then=db_now_plus(timedelta(seconds=item.finished_at - now))
        )
        for item in items
    ]
    return Case(*whens, default=DatabaseNow(), output_field=DateTimeField())


def _hand_on_keys(
    job_class: type[AbstractJob], using: str, finished: Sequence[Finished]
) -> None:
    """Per key, after its last result in this batch: pass the key on if done."""
    last_per_key: dict[tuple[Any, ...], AbstractJob] = {}
    for item in finished:
        last_per_key[tuple(item.job.key_filter().values())] = item.job
    closed = [
        job
        for job in last_per_key.values()
        if job.status not in JobStatus.open_statuses()
    ]
    if closed:
        hand_on_keys(job_class, using, closed)


def _changes(outcome: Outcome) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "status": outcome.status,
        "error_message": outcome.error_message,
        "claimed_by": None,
        "claimed_at": None,
        "not_before": None,
    }
    if outcome.error_increment:
        changes["error_count"] = F("error_count") + outcome.error_increment
    if outcome.retry_after:
        changes["not_before"] = db_now_plus(outcome.retry_after)
    if outcome.is_final:
        changes["key_head"] = None
    return changes


def release_jobs(
    job_class: type[AbstractJob], pks: Iterable[Any], claimer: str | None
) -> int:
    """Give claimed but unstarted jobs back: NEW again, untouched."""
    pks = list(pks)
    if not pks:
        return 0
    return _release(job_class, {"pk__in": pks}, claimer)


def release_all_claims(job_class: type[AbstractJob], claimer: str) -> int:
    """Give back every job still PROCESSING under ``claimer``: NEW, untouched.

    Only for a slot that knows it is processing none of them.
    """
    return _release(job_class, {}, claimer)


def _release(
    job_class: type[AbstractJob], which: dict[str, Any], claimer: str | None
) -> int:
    """Jobs of ordered queues come back unsequenced (``key_head`` None): the
    next claim decides again which of them heads its key, in id order."""
    using = database_for(job_class)
    manager = job_class._default_manager.db_manager(using)
    claimed = manager.filter(**which, status=JobStatus.PROCESSING, claimed_by=claimer)
    changes: dict[str, Any] = {
        "status": JobStatus.NEW,
        "claimed_by": None,
        "claimed_at": None,
        "modification_date": DatabaseNow(),
    }
    if not job_class.is_keyed():
        return claimed.update(**changes)
    changes["key_head"] = None
    with transaction.atomic(using=using):
        lock_queue(job_class, using)
        return claimed.update(**changes)
