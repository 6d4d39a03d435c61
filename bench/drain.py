"""Drain throughput: enqueue a backlog of no-op jobs, time worker processes.

Every run checks its own result (all PROCESSED, per-key order kept) so a
fast wrong run cannot pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from parviraptor.models import JobStatus
from parviraptor.worker.models import WorkerHeartbeat

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"independent": IndependentJob, "fifo": FifoJob, "per-key": KeyedJob}


def enqueue(kind: str, backlog: int, keys: int = 100, behaviour: str = "noop") -> None:
    """``backlog`` jobs that do nothing (``noop``) or only set two of their
    fields (``noop_result``: the cost of saving what a job changed)."""
    model = KINDS[kind]
    model.objects.all().delete()
    if kind == "per-key":
        jobs = [
            model(shop=i % keys, product=0, behaviour=behaviour) for i in range(backlog)
        ]
    else:
        jobs = [model(behaviour=behaviour) for _ in range(backlog)]
    # Held back until the workers are up: the clock measures draining only.
    hold = timezone.now() + timedelta(days=1)
    for job in jobs:
        job.not_before = hold
    model.objects.bulk_create(jobs, batch_size=2000)


def drain(kind: str, workers: int, poll: float = 0.05) -> float:
    """Seconds until ``workers`` worker processes have processed the backlog.

    Workers run as in production (no ``--until-empty``) and are stopped with
    SIGTERM once every job is PROCESSED, so all of them work until the end.
    """
    model = KINDS[kind]
    total = model.objects.count()
    env = dict(
        os.environ,
        PARVIRAPTOR_DB_NAME=connection.settings_dict["NAME"],
        PARVIRAPTOR_POLL_INTERVAL=str(poll),
    )
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "process_queue",
        "jobs",
        model.__name__,
        "-v0",
    ]
    procs = [subprocess.Popen(command, env=env, cwd=ROOT) for _ in range(workers)]
    try:
        wait_for_workers(workers, procs)
        model.objects.update(not_before=None)
        started = time.perf_counter()
        while model.objects.filter(status=JobStatus.PROCESSED).count() < total:
            if any(proc.poll() is not None for proc in procs):
                raise RuntimeError("a worker died during the drain")
            time.sleep(0.02)  # polling the result, not synchronising workers
        elapsed = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
        codes = [proc.wait(timeout=60) for proc in procs]
    if any(codes):
        raise RuntimeError(f"a worker exited with {codes}")
    verify(kind)
    return elapsed


def wait_for_workers(count: int, procs: list[subprocess.Popen[bytes]]) -> None:
    """Until ``count`` worker slots have registered their heartbeat."""
    deadline = time.monotonic() + 120
    while WorkerHeartbeat.objects.count() < count:
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            raise RuntimeError("workers did not start")
        time.sleep(0.05)


def verify(kind: str) -> None:
    model = KINDS[kind]
    counts = dict(model.objects.values_list("status").annotate(n=Count("pk")))
    if set(counts) != {JobStatus.PROCESSED}:
        raise RuntimeError(f"{kind}: not all PROCESSED: {counts}")
    if kind == "independent":
        return
    key = ["shop"] if kind == "per-key" else []
    rows = model.objects.order_by(*key, "modification_date", "pk")
    last: dict[object, int] = {}
    for row in rows.values_list(*(key or ["pk"]), "pk"):
        k, pk = (row[0], row[1]) if key else (None, row[1])
        if last.get(k, 0) > pk:
            raise RuntimeError(f"{kind}: key {k} completed out of id order")
        last[k] = pk
