"""Recovering the jobs of workers that died (kill -9, OOM, a lost host).

A worker is lost when its heartbeat is older than
``PARVIRAPTOR_HEARTBEAT_TIMEOUT`` by the database's clock. Its PROCESSING
jobs go back to NEW with ``error_count + 1`` (or FAILED when the class sets
``RETRY_ON_WORKER_LOSS = False``). Any worker runs this on every heartbeat.

Rows an old worker of the original library left PROCESSING (no claim
columns) are recovered the same way once older than ``legacy_timeout`` (see
``legacy``).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction

from parviraptor import conf
from parviraptor.dbtime import db_now
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.legacy import legacy_timeout, tidy_old_rows
from parviraptor.worker.locking import lock_queue
from parviraptor.worker.models import WorkerHeartbeat
from parviraptor.worker.outcomes import outcome_for_lost_worker
from parviraptor.worker.transitions import database_for, record_outcome, release_jobs

logger = logging.getLogger("parviraptor.worker")


def recover_lost_jobs(
    job_class: type[AbstractJob], threshold: int = 19, limit: int = 100
) -> int:
    """Recover the jobs of up to ``limit`` lost workers; how many were charged."""
    using = database_for(job_class)
    now = db_now(using)
    cutoff = now - timedelta(seconds=conf.heartbeat_timeout())
    heartbeats = WorkerHeartbeat.objects.using(using)
    live = list(
        heartbeats.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True)
    )
    lost_claimers = (
        job_class._default_manager.db_manager(using)
        .filter(
            status=JobStatus.PROCESSING,
            claimed_by__isnull=False,
            claimed_at__lt=cutoff,
        )
        .exclude(claimed_by__in=live)
        .order_by()
        .values_list("claimed_by", flat=True)
        .distinct()[:limit]
    )
    recovered = 0
    for claimer in list(lost_claimers):
        recovered += _recover_claimer(job_class, using, claimer, threshold)
    recovered += recover_old_workers_rows(job_class, threshold, limit)
    _delete_stale_heartbeats(heartbeats, cutoff)
    return recovered


def recover_old_workers_rows(
    job_class: type[AbstractJob], threshold: int = 19, limit: int = 100
) -> int:
    """Recover rows an old worker of the original left PROCESSING, untouched
    for longer than ``legacy_timeout``; tidy the rest (``legacy``).

    Also safe when a worker starts, before its first heartbeat: unlike a
    lost worker's claim, such a row is judged by its own age on the
    database's clock, not by heartbeats this worker may have missed.
    """
    using = database_for(job_class)
    cutoff = db_now(using) - legacy_timeout(job_class)
    recovered = _recover_unnamed(job_class, using, cutoff, threshold, limit)
    tidy_old_rows(job_class, using)
    return recovered


def _delete_stale_heartbeats(heartbeats: Any, cutoff: Any) -> None:
    """Read the stale rows without locks, then delete them by key.

    A ``DELETE ... WHERE last_seen < cutoff`` scans the ``last_seen`` index
    with locks up to the first live row, the oldest heartbeat, which is the
    next to beat: on MariaDB the two deadlocked (16 workers, 5 of 5 runs).
    """
    stale = list(
        heartbeats.filter(last_seen__lt=cutoff).values_list("worker_id", flat=True)
    )
    if stale:
        heartbeats.filter(worker_id__in=stale, last_seen__lt=cutoff).delete()


def _recover_claimer(
    job_class: type[AbstractJob], using: str, claimer: str, threshold: int
) -> int:
    """A slot writes each result before starting its next job, in id order:
    of its claims, the first was running and is charged; the others never
    started and go back untouched (unsequenced, for ordered queues)."""
    with transaction.atomic(using=using):
        if job_class.is_keyed():
            lock_queue(job_class, using)
        held = list(
            job_class._default_manager.db_manager(using)
            .filter(status=JobStatus.PROCESSING, claimed_by=claimer)
            .order_by("pk")
        )
        if not held:
            return 0
        release_jobs(job_class, [job.pk for job in held[1:]], claimer)
        return int(_recover(held[0], threshold))


def _recover_unnamed(
    job_class: type[AbstractJob], using: str, cutoff: Any, threshold: int, limit: int
) -> int:
    """Rows an old worker left PROCESSING (no claim), untouched since ``cutoff``."""
    stale = (
        job_class._default_manager.db_manager(using)
        .filter(
            status=JobStatus.PROCESSING,
            claimed_by__isnull=True,
            modification_date__lt=cutoff,
        )
        .order_by("pk")[:limit]
    )
    return sum(_recover(job, threshold) for job in stale)


def _recover(job: AbstractJob, threshold: int) -> bool:
    outcome = outcome_for_lost_worker(job, threshold)
    if record_outcome(job, outcome, job.claimed_by):
        logger.warning("%s recovered from lost worker %s", job, job.claimed_by)
        return True
    return False
