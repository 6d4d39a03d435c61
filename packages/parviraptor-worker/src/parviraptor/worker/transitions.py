"""Writing jobs' new states: guarded by their claim, in few short statements.

Every write checks that the job is still claimed by the same worker slot
(compare-and-set), so a result arriving after the job was recovered from a
presumed-dead worker is dropped instead of overwriting the newer state. The
same UPDATE writes the fields ``process()`` changed (see ``changes``) and
every column the worker owns: ``status``, ``error_count``,
``error_message``, ``key_head``, the claim, ``not_before``. Whatever a job
did to those itself is overwritten by the outcome the worker decided.

Each result is written as its job finishes, with the database's time as its
``modification_date``, so the completion order of a key reads back from it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import router, transaction

from parviraptor.dbtime import DatabaseNow, db_now_plus
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.changes import changed_fields
from parviraptor.worker.db import is_transient_error
from parviraptor.worker.db.results import ResultValues, write_prepared_result
from parviraptor.worker.locking import lock_queue
from parviraptor.worker.outcomes import Outcome, describe, truncated
from parviraptor.worker.sequencing import hand_on_keys

logger = logging.getLogger("parviraptor.worker")

UNSAVED_FIELDS = "the fields the job set could not be saved ({}): {}"


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


def holds_its_place(job: AbstractJob) -> bool:
    """Whether ``job`` holds its key's place in an ordered queue: it is its
    key's head (or runs behind it in one claim), or an old worker left it
    PROCESSING without a claim. A DEFERRED job's retry runs out of order."""
    return type(job).is_keyed() and (job.key_head is True or job.claimed_by is None)


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
        written = _write(job_class, using, item, claimer)
        if written is not None:
            applied.append(written)
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


def _write(
    job_class: type[AbstractJob], using: str, item: Finished, claimer: str | None
) -> Finished | None:
    """One UPDATE, compare-and-set on the claim: the outcome and the fields
    the job changed. What was written; None if the claim was lost.

    Fields the database refuses (too long, out of range, not JSON ...)
    would fail the write on every retry: the job is written FAILED instead,
    without them, and never takes its worker down.
    """
    job, outcome = item.job, item.outcome
    changed = changed_fields(job)
    try:
        rows = _write_row(job_class, using, job, outcome, claimer, changed)
    except Exception as exc:  # OverflowError, TypeError too: refused values
        if not changed or is_transient_error(exc):
            raise
        outcome = _unsaved_fields(job, changed, exc)
        rows = _write_row(job_class, using, job, outcome, claimer, {})
    job.status = outcome.status
    return Finished(job, outcome) if rows == 1 else None


def _write_row(
    job_class: type[AbstractJob],
    using: str,
    job: AbstractJob,
    outcome: Outcome,
    claimer: str | None,
    changed: dict[str, Any],
) -> int:
    """The UPDATE; rows changed. Inside a transaction, values that may be
    refused get a savepoint, so that the FAILED result can still follow."""
    guarded = changed and transaction.get_connection(using).in_atomic_block
    with transaction.atomic(using=using) if guarded else nullcontext():
        values = _values(job, outcome)
        if claimer is not None and not outcome.retry_after:
            args = (job_class, using, job.pk, claimer, values, changed)
            rows = write_prepared_result(*args)
            if rows is not None:
                return rows
        manager = job_class._default_manager.db_manager(using)
        claimed = manager.filter(pk=job.pk, **_claimed_by(claimer))
        return int(claimed.update(**_changes(values, outcome), **changed))


def _unsaved_fields(
    job: AbstractJob, changed: dict[str, Any], exc: Exception
) -> Outcome:
    reason = describe(exc).strip().splitlines() or [type(exc).__name__]
    message = truncated(UNSAVED_FIELDS.format(", ".join(sorted(changed)), reason[0]))
    logger.error("%s: %s", job, message)
    return Outcome(JobStatus.FAILED, message)


def _values(job: AbstractJob, outcome: Outcome) -> ResultValues:
    message = outcome.error_message
    if message is None and not _nullable_message(type(job)):
        message = ""
    errors = job.error_count + outcome.error_increment
    return ResultValues(outcome.status, message, errors, _key_head(job, outcome))


@cache
def _nullable_message(job_class: type[AbstractJob]) -> bool:
    return bool(job_class._meta.get_field("error_message").null)


def _key_head(job: AbstractJob, outcome: Outcome) -> bool | None:
    """``key_head`` after ``outcome`` (see ``sequencing`` for its states).

    A job retried later keeps its place (or is sequenced again, if it had
    none); a job that FAILED out of its key's order (a DEFERRED job's retry)
    gets ``False``: it blocks no later job of its key.
    """
    if not type(job).is_keyed():
        return None
    if outcome.status == JobStatus.NEW:
        return job.key_head
    if outcome.status == JobStatus.FAILED and not holds_its_place(job):
        return False
    return None


def _claimed_by(claimer: str | None) -> dict[str, Any]:
    """The compare-and-set: a named claim is ours while it carries our name
    (whatever ``status`` a job set itself); a job an old worker left
    PROCESSING without a name, while it is still that."""
    if claimer is None:
        return {"status": JobStatus.PROCESSING, "claimed_by__isnull": True}
    return {"claimed_by": claimer}


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


def _changes(values: ResultValues, outcome: Outcome) -> dict[str, Any]:
    not_before = db_now_plus(outcome.retry_after) if outcome.retry_after else None
    return {
        "status": values.status,
        "error_message": values.error_message,
        "error_count": values.error_count,
        "key_head": values.key_head,
        "modification_date": DatabaseNow(),
        "claimed_by": None,
        "claimed_at": None,
        "not_before": not_before,
    }


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
