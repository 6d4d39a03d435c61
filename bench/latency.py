"""Pickup latency: an idle worker, a job enqueued, time until process() starts."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time

from django.db import connection

from bench.drain import ROOT, wait_for_workers

from testproject.jobs.models import IndependentJob, JobEvent


def pickup_latencies(poll_interval: float, samples: int = 50) -> list[float]:
    """Seconds from commit of a new job to its ``JobEvent('start')``."""
    IndependentJob.objects.all().delete()
    JobEvent.objects.all().delete()
    env = dict(
        os.environ,
        PARVIRAPTOR_DB_NAME=connection.settings_dict["NAME"],
        PARVIRAPTOR_POLL_INTERVAL=str(poll_interval),
    )
    command = [sys.executable, str(ROOT / "manage.py"), "process_queue", "jobs",
               "IndependentJob", "-v0"]  # fmt: skip
    proc = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        wait_for_workers(1, [proc])
        return [_one_pickup(poll_interval) for _ in range(samples)]
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def _one_pickup(poll_interval: float) -> float:
    # A random phase against the worker's poll cycle, like real arrivals.
    time.sleep(random.uniform(0, poll_interval))
    enqueued = time.time()
    job = IndependentJob.objects.create()
    deadline = time.monotonic() + 30
    while True:
        event = JobEvent.objects.filter(job_id=job.pk, event="start").first()
        if event is not None:
            return event.at.timestamp() - enqueued
        if time.monotonic() > deadline:
            raise RuntimeError("a job was not picked up within 30 s")
        time.sleep(0.002)
