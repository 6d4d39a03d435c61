"""``QueueWorker(Job).run()`` called directly in a process's main thread, as
the original's docstring shows: SIGTERM and SIGINT stop it gracefully.

Each test runs a real worker process (``manage.py shell -c``) and sends it
a real signal.
"""

from __future__ import annotations

import signal
import textwrap

import pytest

from parviraptor.models import JobStatus
from parviraptor.worker.models import WorkerHeartbeat

from testproject.jobs.models import IndependentJob, JobEvent, KeyedJob

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RUN_WORKER = """
from datetime import timedelta
from parviraptor.worker import QueueWorker
from testproject.jobs.models import {model}
{setup}
QueueWorker({model}, timedelta(minutes=10)).run()
print("run() returned")
"""

# on_job_terminated() gives the job back, as 4.1's docstring suggests for
# rolling restarts; the job then finishes (its result must not be saved).
RESUME_ON_TERMINATION = """
terminated = {model}.on_job_terminated
def on_job_terminated(self):
    self.update_job_for_being_resumed()
    terminated(self)
{model}.on_job_terminated = on_job_terminated
"""


def start_run(start_manage, model="IndependentJob", setup=""):
    code = RUN_WORKER.format(model=model, setup=setup.format(model=model))
    return start_manage("shell", "-c", textwrap.dedent(code))


def events(job, event):
    return JobEvent.objects.filter(
        queue=type(job).__name__, job_id=job.pk, event=event
    ).count()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_running_job_finishes_and_nothing_new_starts(
    signum, start_manage, wait_until
) -> None:
    running = IndependentJob.objects.create(behaviour="until_terminated")
    waiting = IndependentJob.objects.create()
    worker = start_run(start_manage)
    wait_until(lambda: events(running, "start"), message=worker.describe)
    worker.send_signal(signum)
    assert worker.wait() == 0, worker.describe()
    assert "run() returned" in worker.stdout
    assert events(running, "terminated") == 1  # on_job_terminated() was called
    assert events(running, "end") == 1
    running.refresh_from_db()
    waiting.refresh_from_db()
    assert running.status == JobStatus.PROCESSED
    assert (waiting.status, events(waiting, "start")) == (JobStatus.NEW, 0)
    assert waiting.claimed_by is None
    assert not WorkerHeartbeat.objects.exists()


def test_an_idle_wait_ends_at_once(start_manage, wait_until) -> None:
    """The pause is 10 minutes: only an interrupted wait ends within the deadline."""
    worker = start_run(start_manage)
    wait_until(WorkerHeartbeat.objects.exists, message=worker.describe)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait() == 0, worker.describe()
    assert "run() returned" in worker.stdout


def test_a_job_given_back_on_termination_stays_new(start_manage, wait_until) -> None:
    job = IndependentJob.objects.create(behaviour="until_terminated")
    worker = start_run(start_manage, setup=RESUME_ON_TERMINATION)
    wait_until(lambda: events(job, "start"), message=worker.describe)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait() == 0, worker.describe()
    assert events(job, "end") == 1  # it ran to its end, its result dropped
    job.refresh_from_db()
    assert (job.status, job.error_count, job.claimed_by) == (JobStatus.NEW, 0, None)


def test_a_keyed_job_given_back_keeps_its_place(start_manage, wait_until) -> None:
    """Its successor (claimed with it, given back unstarted) must not overtake it."""
    from parviraptor.test.worker import InfinityLoopFreeQueueWorker

    key = {"shop": 1, "product": 1}
    job = KeyedJob.objects.create(**key, behaviour="until_terminated")
    successor = KeyedJob.objects.create(**key)
    worker = start_run(start_manage, "KeyedJob", RESUME_ON_TERMINATION)
    wait_until(lambda: events(job, "start"), message=worker.describe)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait() == 0, worker.describe()
    assert set(KeyedJob.objects.values_list("status", flat=True)) == {JobStatus.NEW}
    assert events(successor, "start") == 0

    KeyedJob.objects.filter(pk=job.pk).update(behaviour="ok")
    InfinityLoopFreeQueueWorker(KeyedJob).run()
    assert set(KeyedJob.objects.values_list("status", flat=True)) == {
        JobStatus.PROCESSED
    }
    started = JobEvent.objects.filter(queue="KeyedJob", event="start")
    assert list(started.order_by("pk").values_list("job_id", flat=True)) == [
        job.pk,
        job.pk,
        successor.pk,
    ]
