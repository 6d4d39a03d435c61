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

from testproject.jobs.models import IndependentJob, JobEvent

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RUN_WORKER = """
from datetime import timedelta
from parviraptor.worker import QueueWorker
from testproject.jobs.models import {model}
{setup}
QueueWorker({model}, timedelta(minutes=10)).run()
print("run() returned")
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
