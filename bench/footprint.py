"""Queries per job and worker memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.drain import ROOT, enqueue, wait_for_workers
from parviraptor.models import JobStatus
from parviraptor.worker.loop import QueueWorker

from testproject.jobs.models import IndependentJob, KeyedJob


def queries_per_job(kind_model: type, jobs: int = 2000) -> float:
    """Database queries a worker slot issues per no-op job (in this process)."""
    kind = "per-key" if kind_model is KeyedJob else "independent"
    enqueue(kind, jobs)
    kind_model.objects.update(not_before=None)
    worker = QueueWorker(kind_model, stop_when_empty=True, own_heartbeat=False)
    with CaptureQueriesContext(connection) as captured:
        worker.run()
    done = kind_model.objects.filter(status=JobStatus.PROCESSED).count()
    if done != jobs:
        raise RuntimeError(f"only {done} of {jobs} processed")
    return len(captured.captured_queries) / jobs


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def worker_rss(jobs: int) -> tuple[int, int]:
    """RSS (KiB) of one worker after start-up and after ``jobs`` no-op jobs."""
    enqueue("independent", jobs)
    env = dict(os.environ, PARVIRAPTOR_DB_NAME=connection.settings_dict["NAME"])
    command = [sys.executable, str(ROOT / "manage.py"), "process_queue", "jobs",
               "IndependentJob", "-v0"]  # fmt: skip
    proc = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        wait_for_workers(1, [proc])
        IndependentJob.objects.update(not_before=None)
        while IndependentJob.objects.filter(status=JobStatus.PROCESSED).count() < 500:
            time.sleep(0.05)
        start = rss_kib(proc.pid)
        while IndependentJob.objects.filter(status=JobStatus.PROCESSED).count() < jobs:
            time.sleep(0.2)
        return start, rss_kib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
