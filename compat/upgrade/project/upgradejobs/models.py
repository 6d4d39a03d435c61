"""The job models, as a project on parviraptor 2.2.2 declares them.

``process()`` logs the call and sets ``result`` (a field the job owns). A
job whose ``payload`` is ``"block"`` hangs while ``UPGRADE_BLOCK_DIR`` is set
(after touching a file there), so that the scenario can kill the old worker
in the middle of it and leave the row PROCESSING.
"""

import os
import time
from pathlib import Path

from django.db import models

from parviraptor.models import AbstractJobFactory

BLOCK = "block"


class ProcessingLog(models.Model):
    """One row per ``process()`` call; the id gives the order of calls."""

    queue = models.CharField(max_length=40)
    job_id = models.BigIntegerField()
    key = models.CharField(max_length=20)

    def __str__(self):
        return f"{self.queue} {self.job_id}"


def _hang_if_asked(job) -> None:
    block_dir = os.environ.get("UPGRADE_BLOCK_DIR")
    if not block_dir or job.payload != BLOCK:
        return
    Path(block_dir, f"{type(job).__name__}-{job.id}").touch()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:  # killed long before
        time.sleep(1)


class LoggedJobMixin:
    # 3 s instead of 30 min: after the upgrade, a row an old worker left
    # PROCESSING counts as lost once older than this (and the heartbeat
    # timeout), and the rehearsal should not wait half an hour for it.
    MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN = 0.05

    def process(self):
        _hang_if_asked(self)
        ProcessingLog.objects.create(
            queue=type(self).__name__, job_id=self.id, key=self.key
        )
        self.result = f"done:{self.payload}"

    def __str__(self):
        return f"{type(self).__name__} {self.id}"


class IndependentJob(LoggedJobMixin, AbstractJobFactory.make_base_class(None)):
    key = models.CharField(max_length=20)
    payload = models.CharField(max_length=40)
    result = models.CharField(max_length=80, blank=True, default="")


class FifoJob(LoggedJobMixin, AbstractJobFactory.make_base_class([])):
    key = models.CharField(max_length=20)
    payload = models.CharField(max_length=40)
    result = models.CharField(max_length=80, blank=True, default="")


class KeyedJob(LoggedJobMixin, AbstractJobFactory.make_base_class(["key"])):
    key = models.CharField(max_length=20)
    payload = models.CharField(max_length=40)
    result = models.CharField(max_length=80, blank=True, default="")


JOB_MODELS = (IndependentJob, FifoJob, KeyedJob)
