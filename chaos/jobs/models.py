"""The chaos run's queues and the side table recording every attempt.

Each job writes an ``Attempt`` row when it starts (committed at once, so a
worker killed mid-job leaves a start without an end) and closes it with the
database's time in a transaction of its own at the end. If that write fails
(connection killed, server restarting), the process remembers when the
attempt was abandoned and records it with its next attempt; it also appends
that time to a file in ``CHAOS_ABANDONED_DIR``, for a process that exits
before it can write to the database again.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timezone

from django.db import DatabaseError, models, transaction

from parviraptor.dbtime import DatabaseNow
from parviraptor.exceptions import InvalidJobError
from parviraptor.models import AbstractJobFactory, BackoffStrategy

PERMANENT_FAILURE = "chaos: fails for good"
TEMPORARY_FAILURE = "chaos: fails for now"


class Attempt(models.Model):
    """One run of ``process()``: who ran it, when it started and ended."""

    queue = models.CharField(max_length=30)
    job_id = models.BigIntegerField()
    pid = models.IntegerField()
    slot = models.CharField(max_length=100)
    error_count = models.IntegerField()
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True)
    outcome = models.CharField(max_length=10, default="")

    class Meta:
        indexes = [models.Index(fields=["queue", "job_id"])]

    def __str__(self) -> str:
        return f"{self.queue} #{self.job_id} by {self.pid}"


_abandoned: list[tuple[str, int, datetime]] = []
_abandoned_lock = threading.Lock()


def _remember_abandoned(queue: str, job_id: int) -> None:
    at = datetime.now(timezone.utc)
    with _abandoned_lock:
        _abandoned.append((queue, job_id, at))
    folder = os.environ.get("CHAOS_ABANDONED_DIR")
    if folder:
        line = f"{queue} {job_id} {os.getpid()} {at.timestamp()!r}\n"
        with open(os.path.join(folder, f"abandoned-{os.getpid()}.txt"), "a") as out:
            out.write(line)


def _record_abandoned() -> None:
    """Close attempts of this process whose end could not be written."""
    with _abandoned_lock:
        pending = list(_abandoned)
        _abandoned.clear()
    try:
        for queue, job_id, at in pending:
            Attempt.objects.filter(
                queue=queue, job_id=job_id, pid=os.getpid(), ended_at=None
            ).update(ended_at=at, outcome="aborted")
    except DatabaseError:
        with _abandoned_lock:
            _abandoned.extend(pending)
        raise


class ChaosBehaviour(models.Model):
    """What a job does: ``kind`` ok / temporary / fail, optionally sleeping."""

    BACKOFF_STRATEGY = BackoffStrategy.CONSTANT
    BACKOFF_STEP_MINUTES = 0.001  # 60 ms: retries come quickly

    kind = models.CharField(max_length=10, default="ok")
    fail_times = models.PositiveSmallIntegerField(default=0)
    sleep_seconds = models.FloatField(default=0)

    class Meta:
        abstract = True

    def process(self) -> None:
        queue = type(self).__name__
        try:
            _record_abandoned()
            Attempt.objects.create(
                queue=queue,
                job_id=self.pk,
                pid=os.getpid(),
                slot=getattr(self, "claimed_by", None) or "",
                error_count=self.error_count,
                started_at=DatabaseNow(),
            )
        except DatabaseError:
            _remember_abandoned(queue, self.pk)
            raise
        if self.sleep_seconds:
            time.sleep(self.sleep_seconds)
        outcome = self._outcome()
        try:
            with transaction.atomic():
                Attempt.objects.filter(
                    queue=queue, job_id=self.pk, pid=os.getpid(), ended_at=None
                ).update(ended_at=DatabaseNow(), outcome=outcome)
        except DatabaseError:
            _remember_abandoned(queue, self.pk)
            raise
        if outcome == "temporary":
            self.raise_temporary_failure(TEMPORARY_FAILURE)
        if outcome == "failed":
            raise InvalidJobError(PERMANENT_FAILURE)

    def _outcome(self) -> str:
        if self.kind == "fail":
            return "failed"
        if self.kind == "temporary" and self.error_count < self.fail_times:
            return "temporary"
        return "ok"


class ChaosIndependentJob(  # noqa: DJ008  (AbstractJob has __str__)
    ChaosBehaviour, AbstractJobFactory.make_base_class(None)
):
    """Independent jobs: any order, in parallel."""


class ChaosFifoJob(  # noqa: DJ008  (AbstractJob has __str__)
    ChaosBehaviour, AbstractJobFactory.make_base_class([])
):
    """One strict FIFO queue."""


class ChaosKeyedJob(  # noqa: DJ008  (AbstractJob has __str__)
    ChaosBehaviour, AbstractJobFactory.make_base_class(["key_no"])
):
    """FIFO per ``key_no``."""

    key_no = models.IntegerField()
