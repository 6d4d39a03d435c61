"""Writing jobs' new states: guarded by their claim, in few short statements.

Every write checks that the job is still PROCESSING under the same claim
(compare-and-set), so a result arriving after the job was recovered from a
presumed-dead worker is dropped instead of overwriting the newer state.

Each result is written as its job finishes, with the database's time as its
``modification_date``, so the completion order of a key reads back from it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import router, transaction
from django.db.models import F

from parviraptor.dbtime import DatabaseNow, db_now_plus
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.db.results import write_plain_result
from parviraptor.worker.locking import lock_queue
from parviraptor.worker.outcomes import Outcome
from parviraptor.worker.sequencing import hand_on_keys

logger = logging.getLogger("parviraptor.worker")


@dataclass(frozen=True)
class Finished:
    """A job and its outcome."""

    job: AbstractJob
    outcome: Outcome


def database_for(job_class: type[AbstractJob]) -> str:
    return router.db_for_write(job_class) or "default"


def record_outcome(job: AbstractJob, outcome: Outcome, claimer: str | None) -> bool:
    """Move ``job`` (claimed by ``claimer``) to ``outcome``; False if it lost the claim."""
    return record_outcomes(type(job), [Finished(job, outcome)], claimer) == 1


def record_outcomes(
    job_class: type[AbstractJob],
    finished: Sequence[Finished],
    claimer: str | None,
    hand_on: bool = True,
) -> int:
    """Write ``finished`` (in finish order); how many still held their claim.

    ``hand_on=False``: the rest of these jobs' key runs follows, no key is
    passed on, so ordered queues skip the queue lock too.
    """
    if not finished:
        return 0
    using = database_for(job_class)
    closing = any(item.outcome.is_final for item in finished)
    if not (job_class.is_keyed() and hand_on and closing):
        return _apply(job_class, finished, claimer, using)
    with transaction.atomic(using=using):
        lock_queue(job_class, using)
        if len(finished) > 1:  # only the jobs still held count
            pks = [f.job.pk for f in finished]
            held = set(_claimed(job_class, pks, claimer, using))
            finished = [f for f in finished if f.job.pk in held]
        applied = _apply(job_class, finished, claimer, using)
        if applied == len(finished):
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
    applied = 0
    for outcome, items in groups.items():
        pks = [item.job.pk for item in items]
        updated = _write(job_class, using, pks, outcome, claimer)
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


def _write(
    job_class: type[AbstractJob],
    using: str,
    pks: list[Any],
    outcome: Outcome,
    claimer: str | None,
) -> int:
    """One UPDATE, compare-and-set on the claim; rows changed."""
    plain = not (outcome.error_increment or outcome.retry_after)
    if plain and claimer is not None and len(pks) == 1:
        return write_plain_result(job_class, using, pks[0], claimer, outcome)
    claimed = job_class._default_manager.db_manager(using).filter(
        pk__in=pks, status=JobStatus.PROCESSING, claimed_by=claimer
    )
    return claimed.update(**_changes(outcome))


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
        "modification_date": DatabaseNow(),
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
