"""Writing a job's new state: guarded by its claim, in one short transaction.

Every write checks that the job is still PROCESSING under the same claim
(compare-and-set), so a result arriving after the job was recovered from a
presumed-dead worker is dropped instead of overwriting the newer state.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import router, transaction
from django.db.models import F

from parviraptor.dbtime import DatabaseNow, db_now_plus
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.locking import lock_queue
from parviraptor.worker.outcomes import Outcome
from parviraptor.worker.sequencing import hand_on_key

logger = logging.getLogger("parviraptor.worker")


def database_for(job_class: type[AbstractJob]) -> str:
    return router.db_for_write(job_class) or "default"


def record_outcome(job: AbstractJob, outcome: Outcome, claimer: str | None) -> bool:
    """Move ``job`` (claimed by ``claimer``) to ``outcome``; False if it lost the claim."""
    job_class = type(job)
    using = database_for(job_class)
    if not (job_class.is_keyed() and outcome.is_final):
        # One statement, no transaction needed: nothing else changes with it.
        return _apply(job, outcome, claimer, using)
    with transaction.atomic(using=using):
        lock_queue(job_class, using)
        if not _apply(job, outcome, claimer, using):
            return False
        hand_on_key(job_class, using, job)
    return True


def _apply(job: AbstractJob, outcome: Outcome, claimer: str | None, using: str) -> bool:
    if not _claimed(job, claimer, using).update(**_changes(outcome)):
        logger.warning(
            "%s: result %s dropped, the claim of %s was lost (recovered "
            "by another worker?)",
            job,
            outcome.status,
            claimer,
        )
        return False
    job.status = outcome.status
    return True


def _claimed(job: AbstractJob, claimer: str | None, using: str) -> Any:
    manager = type(job)._default_manager.db_manager(using)
    return manager.filter(pk=job.pk, status=JobStatus.PROCESSING, claimed_by=claimer)


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


def release_jobs(job_class: type[AbstractJob], pks: Iterable[Any], claimer: str) -> int:
    """Give claimed but unstarted jobs back: NEW (or DEFERRED) again, untouched."""
    pks = list(pks)
    if not pks:
        return 0
    using = database_for(job_class)
    manager = job_class._default_manager.db_manager(using)
    claimed = manager.filter(
        pk__in=pks, status=JobStatus.PROCESSING, claimed_by=claimer
    )
    return claimed.update(
        status=JobStatus.NEW,
        claimed_by=None,
        claimed_at=None,
        modification_date=DatabaseNow(),
    )
