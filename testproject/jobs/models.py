"""Job queues of the shared test project: one per ordering kind.

Each job's behaviour is data (``behaviour``, ``fail_times``, ``sleep_seconds``,
``counter``, ``effects``) so that a test creates exactly the jobs it needs;
every attempt is written to ``JobEvent`` so tests can see overlaps and
completion order. ``effects`` lists what ``process()`` does to the job itself
before it ends as ``behaviour`` says (see ``BehaviourMixin._effects``).
"""

from __future__ import annotations

import ctypes
import os
import threading
import time

from django.db import connection, models
from django.db.models import F

from parviraptor.exceptions import (
    DeferJob,
    IgnoreJob,
    InvalidJobError,
    TemporaryJobFailure,
)
from parviraptor.models import AbstractJobFactory


class Counter(models.Model):
    name = models.CharField(max_length=50, unique=True)
    value = models.IntegerField(default=0)


class JobEvent(models.Model):
    """One row per attempt start/end, written by the job itself."""

    queue = models.CharField(max_length=50)
    job_id = models.BigIntegerField()
    event = models.CharField(max_length=20)
    pid = models.IntegerField(default=0)
    at = models.DateTimeField(auto_now_add=True)


class NotAJob(models.Model):
    name = models.CharField(max_length=20, default="")


class BehaviourMixin(models.Model):
    """What ``process()`` does, chosen per job by its fields."""

    behaviour = models.CharField(max_length=20, default="ok")
    message = models.CharField(max_length=200, blank=True, default="")
    fail_times = models.PositiveIntegerField(default=0)
    sleep_seconds = models.FloatField(default=0)
    counter = models.CharField(max_length=50, blank=True, default="")
    effects = models.CharField(max_length=200, blank=True, default="")
    # Fields a job sets on itself (effect "fields"):
    result = models.CharField(max_length=200, blank=True, default="")
    response_code = models.IntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    terminated: threading.Event

    class Meta:
        abstract = True

    def process(self) -> None:
        if self.behaviour == "noop":  # the benchmark's job: no work at all
            return
        if self.behaviour == "noop_result":  # the same, keeping a result
            self.result = "done"
            self.response_code = 200
            return
        self._event("start")
        self._sleep()
        if self.counter:
            Counter.objects.filter(name=self.counter).update(value=F("value") + 1)
        for effect in filter(None, self.effects.split(",")):
            EFFECTS[effect](self)
        self._behave()
        self._event("end")

    def on_job_terminated(self) -> None:
        self._terminated().set()
        self._event("terminated")

    def _terminated(self) -> threading.Event:
        if not hasattr(self, "terminated"):
            self.terminated = threading.Event()
        return self.terminated

    def _sleep(self) -> None:
        if self.behaviour == "until_terminated":
            self._terminated().wait(self.sleep_seconds or 60)
        elif self.behaviour == "rendezvous":  # until two processes run jobs
            _wait_for_a_second_process(type(self).__name__, self.sleep_seconds or 120)
        elif self.sleep_seconds:
            time.sleep(self.sleep_seconds)

    def _behave(self) -> None:
        behaviour, message = self.behaviour, self.message or self.behaviour
        if behaviour == "temporary" and self.error_count < self.fail_times:
            self.raise_temporary_failure(message)
        if behaviour == "temporary_always":
            raise TemporaryJobFailure(message, self.error_count)
        if behaviour == "temporary_n":  # carries an error count of its own
            raise TemporaryJobFailure(message, self.fail_times)
        if behaviour == "huge":  # a message of fail_times two-byte characters
            raise RuntimeError("\u00e9" * self.fail_times)
        if behaviour == "lose_connection":
            _lose_connection()
        if behaviour == "defer" and self.error_count < self.fail_times:
            raise DeferJob(message)
        if behaviour == "defer_always":
            raise DeferJob(message)
        if behaviour == "ignore":
            raise IgnoreJob(message)
        if behaviour == "invalid":
            raise InvalidJobError(message)
        if behaviour == "crash":
            raise RuntimeError(message)
        if behaviour == "exit":
            os._exit(3)
        if behaviour == "segfault":
            # A real one, in this thread: os.kill() would signal the process,
            # and the job's thread could write its result before some other
            # thread takes the signal and the process dies.
            ctypes.string_at(0)

    def _event(self, event: str) -> None:
        JobEvent.objects.create(
            queue=type(self).__name__, job_id=self.pk, event=event, pid=os.getpid()
        )


def _wait_for_a_second_process(queue: str, deadline: float) -> None:
    """Poll until jobs of ``queue`` have started in two processes (or the
    deadline passes): a test that must see several worker processes at work
    holds its first jobs here instead of hoping the others start in time."""
    give_up = time.monotonic() + deadline
    events = JobEvent.objects.filter(queue=queue, event="start")
    while time.monotonic() < give_up:
        if events.values("pid").distinct().count() >= 2:
            return
        time.sleep(0.02)


def _lose_connection() -> None:
    """The server ends this connection, as in an outage (not on SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        else:
            cursor.execute("KILL CONNECTION CONNECTION_ID()")
        cursor.execute("SELECT 1")


def _set_fields(job: BehaviourMixin) -> None:
    """Results a job keeps on itself; ``data`` is changed in place."""
    job.result = f"result of {job.pk}, attempt {job.error_count + 1}"
    job.response_code = 200 + job.error_count
    job.data.setdefault("attempts", []).append(job.error_count)


def _hijack(job: BehaviourMixin) -> None:
    """Set the worker's columns as if the job were NEW and unclaimed."""
    job.status = "NEW"
    job.error_count = 0
    job.error_message = "hijacked"
    job.claimed_by = None
    job.claimed_at = None
    job.key_head = None
    job.not_before = None


def _fail_itself(job: BehaviourMixin) -> None:
    job.status = "FAILED"
    job.error_message = "failed by itself"
    job.key_head = None


def _update_row(job: BehaviourMixin) -> None:
    """Put its own row back to NEW behind the instance's back."""
    type(job).objects.filter(pk=job.pk).update(
        status="NEW", error_count=0, key_head=None, not_before=None
    )


def _move_key(job: BehaviourMixin) -> None:
    if hasattr(job, "product"):
        job.product += 1000


def _refused_fields(job: BehaviourMixin) -> None:
    """A result no database column can hold."""
    job.result = "kept only if the others can be saved"
    job.response_code = 2**70


EFFECTS = {
    "fields": _set_fields,
    "refused_fields": _refused_fields,
    "save": lambda job: job.save(),
    "hijack": _hijack,
    "fail_itself": _fail_itself,
    "update_row": _update_row,
    "move_key": _move_key,
}


class IndependentJob(BehaviourMixin, AbstractJobFactory.make_base_class(None)):
    pass


class FifoJob(BehaviourMixin, AbstractJobFactory.make_base_class([])):
    BACKOFF_STRATEGY = "CONSTANT"
    BACKOFF_STEP_MINUTES = 1


class KeyedJob(BehaviourMixin, AbstractJobFactory.make_base_class(["shop", "product"])):
    shop = models.IntegerField()
    product = models.IntegerField()

    class Meta:
        verbose_name = "keyed job"  # a Meta of its own must keep the job indexes


class NoRetryJob(BehaviourMixin, AbstractJobFactory.make_base_class(None)):
    RETRY_ON_WORKER_LOSS = False
    MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS = None
