"""Writing jobs' new states: guarded by their claim, in few short statements.

Each result is one compare-and-set UPDATE (``result_row``), written as its
job finishes, with the database's time as its ``modification_date``, so the
completion order of a key reads back from it. A job that gives up its key's
place hands the key on in the same transaction, under the queue lock; jobs
given back unstarted return to NEW untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import router, transaction

from parviraptor.dbtime import DatabaseNow
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.changes import changed_fields
from parviraptor.worker.locking import lock_queue
from parviraptor.worker.outcomes import Outcome
from parviraptor.worker.result_row import holds_its_place, write_result
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

    A job that gives up its key's place (see ``Outcome.leaves_its_place``;
    a job whose fields are refused is FAILED) hands its key on in the same
    transaction, under the queue lock.
    ``hand_on=False``: the rest of this key's run follows, no key is passed
    on, so the queue lock is not needed either.
    """
    using = database_for(job_class)
    if not (hand_on and any(_may_leave_its_place(item) for item in finished)):
        return len(_apply(job_class, finished, claimer, using))
    with transaction.atomic(using=using):
        lock_queue(job_class, using)
        applied = _apply(job_class, finished, claimer, using)
        _hand_on_keys(job_class, using, applied)
    return len(applied)


def _may_leave_its_place(item: Finished) -> bool:
    if not holds_its_place(item.job):
        return False
    return item.outcome.leaves_its_place or bool(changed_fields(item.job))


def _apply(
    job_class: type[AbstractJob],
    finished: Sequence[Finished],
    claimer: str | None,
    using: str,
) -> list[Finished]:
    """Write each result; the ones whose claim still held, as written."""
    applied = []
    for item in finished:
        written = write_result(job_class, using, item.job, item.outcome, claimer)
        if written is not None:
            applied.append(Finished(item.job, written))
        else:
            logger.warning(
                "%s: result %s of %s dropped: its claim by %s was lost "
                "(recovered by another worker?)",
                job_class.__name__,
                item.outcome.status,
                item.job,
                claimer,
            )
    return applied


def hand_on_after(job_class: type[AbstractJob], jobs: Sequence[AbstractJob]) -> None:
    """Pass on the keys of ``jobs``, whose results are written already."""
    using = database_for(job_class)
    with transaction.atomic(using=using):
        lock_queue(job_class, using)
        hand_on_keys(job_class, using, list(jobs))


def _hand_on_keys(
    job_class: type[AbstractJob], using: str, finished: Sequence[Finished]
) -> None:
    """Per key, after its last result in this batch: pass the key on if done."""
    last_per_key: dict[tuple[Any, ...], Finished] = {}
    for item in finished:
        if holds_its_place(item.job):
            last_per_key[tuple(item.job.key_filter().values())] = item
    leaving = [
        item.job for item in last_per_key.values() if item.outcome.leaves_its_place
    ]
    if leaving:
        hand_on_keys(job_class, using, leaving)


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
