"""Rows that workers of the original parviraptor (2.x, 4.x) left behind.

An old worker claims a job by making it PROCESSING, without the claim
columns (``claimed_by`` NULL) and without ``key_head``. In an ordered queue
such a row holds its key's place: ``adopt_old_claims`` makes it its key's
head, so no later job of its key starts while it is PROCESSING. Should its
old worker still finish it, the row ends with ``key_head`` True (the old
worker does not know the column), a state the worker's own writes never
leave: ``hand_on_left_heads`` then passes its key on (or fails what waits
behind it, if it FAILED). Rows an old worker left DEFERRED as a key's head
step out of their key's order the same way (see ``sequencing``).

If the old worker is gone, ``recovery`` takes such a row back like a lost
worker's job once its ``modification_date`` is older than
``legacy_timeout``: an old worker sends no heartbeat, so only the row's age
tells that nobody is running it any more.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction

from parviraptor import conf
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.locking import lock_queue
from parviraptor.worker.sequencing import hand_on_keys

LIMIT = 100  # rows per call: the next heartbeat takes the rest

LEFT_HEAD_STATUSES = (*JobStatus.finished_statuses(), JobStatus.DEFERRED)


def legacy_timeout(job_class: type[AbstractJob]) -> timedelta:
    """How long an old worker's PROCESSING row is left alone: the class's
    ``MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN`` (a job running longer shows
    as "long processing" anyway), at least ``PARVIRAPTOR_HEARTBEAT_TIMEOUT``."""
    minutes = timedelta(minutes=job_class.MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN)
    return max(minutes, timedelta(seconds=conf.heartbeat_timeout()))


def tidy_old_rows(job_class: type[AbstractJob], using: str) -> None:
    """Adopt old claims as heads, hand on keys whose old head finished."""
    if job_class.is_keyed():
        adopt_old_claims(job_class, using)
        hand_on_left_heads(job_class, using)


def _jobs(job_class: type[AbstractJob], using: str) -> Any:
    return job_class._default_manager.db_manager(using)


def adopt_old_claims(job_class: type[AbstractJob], using: str) -> int:
    """Make old workers' PROCESSING rows their keys' heads; how many."""
    old = _jobs(job_class, using).filter(
        status=JobStatus.PROCESSING, key_head__isnull=True, claimed_by__isnull=True
    )
    pks = list(old.values_list("pk", flat=True)[:LIMIT])  # no locks while none
    if not pks:
        return 0
    with transaction.atomic(using=using):
        lock_queue(job_class, using)
        return int(old.filter(pk__in=pks).update(key_head=True))


def hand_on_left_heads(job_class: type[AbstractJob], using: str) -> int:
    """Pass on the keys of heads that left their place behind the worker's
    back (finished or deferred by an old worker); how many."""
    left = _jobs(job_class, using).filter(status__in=LEFT_HEAD_STATUSES, key_head=True)
    if not left.exists():
        return 0
    with transaction.atomic(using=using):
        lock_queue(job_class, using)
        heads = list(left.order_by("pk")[:LIMIT])
        left.filter(pk__in=[job.pk for job in heads]).update(key_head=None)
        hand_on_keys(job_class, using, heads)
    return len(heads)
