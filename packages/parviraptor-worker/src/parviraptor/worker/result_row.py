"""One job's result: a single UPDATE, compare-and-set on the job's claim.

The UPDATE checks that the job is still claimed by the same worker slot, so
a result arriving after the job was recovered from a presumed-dead worker is
dropped instead of overwriting the newer state. It writes the fields
``process()`` changed (see ``changes``) and every column the worker owns:
``status``, ``error_count``, ``error_message``, ``key_head``, the claim,
``not_before``. Whatever a job did to those itself is overwritten by the
outcome the worker decided.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from functools import cache
from typing import Any

from django.db import transaction

from parviraptor.dbtime import DatabaseNow, db_now_plus
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.changes import changed_fields
from parviraptor.worker.db import is_transient_error
from parviraptor.worker.db.results import ResultValues, write_prepared_result
from parviraptor.worker.outcomes import Outcome, describe, truncated

logger = logging.getLogger("parviraptor.worker")

UNSAVED_FIELDS = "the fields the job set could not be saved ({}): {}"


def holds_its_place(job: AbstractJob) -> bool:
    """Whether ``job`` holds its key's place in an ordered queue: it is its
    key's head (or runs behind it in one claim), or an old worker left it
    PROCESSING without a claim. A DEFERRED job's retry runs out of order."""
    return type(job).is_keyed() and (job.key_head is True or job.claimed_by is None)


def write_result(
    job_class: type[AbstractJob],
    using: str,
    job: AbstractJob,
    outcome: Outcome,
    claimer: str | None,
) -> Outcome | None:
    """One UPDATE, compare-and-set on the claim: the outcome and the fields
    the job changed. The outcome written; None if the claim was lost.

    Fields the database refuses (too long, out of range, not JSON ...)
    would fail the write on every retry: the job is written FAILED instead,
    without them, and never takes its worker down.
    """
    changed = changed_fields(job)
    try:
        rows = _write_row(job_class, using, job, outcome, claimer, changed)
    except Exception as exc:  # OverflowError, TypeError too: refused values
        if not changed or is_transient_error(exc):
            raise
        outcome = _unsaved_fields(job, changed, exc)
        rows = _write_row(job_class, using, job, outcome, claimer, {})
    job.status = outcome.status
    return outcome if rows == 1 else None


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
