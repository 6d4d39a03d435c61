"""Recovering the jobs of workers that died (kill -9, OOM, a lost host).

A worker is lost when its heartbeat is older than
``PARVIRAPTOR_HEARTBEAT_TIMEOUT`` by the database's clock. Its PROCESSING
jobs go back to NEW with ``error_count + 1`` (or FAILED when the class sets
``RETRY_ON_WORKER_LOSS = False``). Any worker runs this on every heartbeat.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from parviraptor import conf
from parviraptor.dbtime import db_now
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.locking import lock_queue
from parviraptor.worker.models import WorkerHeartbeat
from parviraptor.worker.outcomes import outcome_for_lost_worker
from parviraptor.worker.transitions import database_for, record_outcome, release_jobs

logger = logging.getLogger("parviraptor.worker")


def recover_lost_jobs(
    job_class: type[AbstractJob], threshold: int = 19, limit: int = 100
) -> int:
    """Recover up to ``limit`` jobs of lost workers; how many were recovered."""
    using = database_for(job_class)
    cutoff = db_now(using) - timedelta(seconds=conf.heartbeat_timeout())
    heartbeats = WorkerHeartbeat.objects.using(using)
    live = list(
        heartbeats.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True)
    )
    claimed_long_ago = Q(claimed_at__lt=cutoff) | Q(
        claimed_at__isnull=True, modification_date__lt=cutoff
    )
    lost = (
        job_class._default_manager.db_manager(using)
        .filter(status=JobStatus.PROCESSING)
        .exclude(claimed_by__in=live)
        .filter(claimed_long_ago)
        .order_by("pk")[:limit]
    )
    lost_jobs = list(lost)
    if job_class.is_keyed():
        with transaction.atomic(using=using):
            lock_queue(job_class, using)
            recovered = _recover_runs(job_class, lost_jobs, threshold)
    else:
        recovered = sum(_recover(job, threshold) for job in lost_jobs)
    heartbeats.filter(last_seen__lt=cutoff).delete()
    return recovered


def _recover(job: AbstractJob, threshold: int) -> bool:
    outcome = outcome_for_lost_worker(job, threshold)
    if record_outcome(job, outcome, job.claimed_by):
        logger.warning("%s recovered from lost worker %s", job, job.claimed_by)
        return True
    return False


def _recover_runs(
    job_class: type[AbstractJob], lost: list[AbstractJob], threshold: int
) -> int:
    """Per key and lost worker: the first job was (or was about to be) running;
    the rest of its run never started and is given back unsequenced."""
    runs: dict[tuple[Any, ...], list[AbstractJob]] = defaultdict(list)
    for job in lost:
        runs[(job.claimed_by, *job.key_filter().values())].append(job)
    recovered = 0
    for run in runs.values():
        recovered += _recover(run[0], threshold)
        release_jobs(job_class, [job.pk for job in run[1:]], run[0].claimed_by)
    return recovered
