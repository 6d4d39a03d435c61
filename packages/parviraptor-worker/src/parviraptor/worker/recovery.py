"""Recovering the jobs of workers that died (kill -9, OOM, a lost host).

A worker is lost when its heartbeat is older than
``PARVIRAPTOR_HEARTBEAT_TIMEOUT`` by the database's clock. Its PROCESSING
jobs go back to NEW with ``error_count + 1`` (or FAILED when the class sets
``RETRY_ON_WORKER_LOSS = False``). Any worker runs this on every heartbeat.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Q

from parviraptor import conf
from parviraptor.dbtime import db_now
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.models import WorkerHeartbeat
from parviraptor.worker.outcomes import outcome_for_lost_worker
from parviraptor.worker.transitions import database_for, record_outcome

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
    recovered = 0
    for job in lost:
        outcome = outcome_for_lost_worker(job, threshold)
        if record_outcome(job, outcome, job.claimed_by):
            recovered += 1
            logger.warning("%s recovered from lost worker %s", job, job.claimed_by)
    heartbeats.filter(last_seen__lt=cutoff).delete()
    return recovered
