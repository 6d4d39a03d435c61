"""Worker processes that die, and workers asked to stop (SIGTERM/SIGINT)."""

from __future__ import annotations

import signal
import time

import pytest

from parviraptor.models import JobStatus
from parviraptor.worker.models import WorkerHeartbeat

from testproject.jobs.models import IndependentJob, JobEvent, KeyedJob, NoRetryJob

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# A lost worker is noticed quickly; the interval leaves the timeout a margin
# of many beats on a busy machine.
FAST_HEARTBEATS = {
    "PARVIRAPTOR_HEARTBEAT_TIMEOUT": "3",
    "PARVIRAPTOR_HEARTBEAT_INTERVAL": "0.2",
    "PARVIRAPTOR_POLL_INTERVAL": "0.05",
}

MODELS = {
    "IndependentJob": IndependentJob,
    "NoRetryJob": NoRetryJob,
    "KeyedJob": KeyedJob,
}


def events(job, event="start"):
    return list(
        JobEvent.objects.filter(
            queue=type(job).__name__, job_id=job.pk, event=event
        ).order_by("pk")
    )


def status_of(job):
    return type(job).objects.values_list("status", flat=True).get(pk=job.pk)


@pytest.mark.parametrize(
    ("model", "death"),
    [
        ("IndependentJob", "kill -9"),
        ("IndependentJob", "os._exit"),
        ("IndependentJob", "segfault"),
        ("KeyedJob", "kill -9"),
        ("NoRetryJob", "kill -9"),
    ],
)
def test_jobs_of_a_dead_worker_are_recovered_by_another(
    model, death, start_worker, wait_until
):
    job_class = MODELS[model]
    key = {"shop": 1, "product": 1} if job_class is KeyedJob else {}
    if death == "kill -9":
        job = job_class.objects.create(
            **key, behaviour="until_terminated", sleep_seconds=120
        )
    elif death == "segfault":
        job = job_class.objects.create(**key, behaviour="segfault")
    else:
        job = job_class.objects.create(**key, behaviour="exit")
    successor = job_class.objects.create(**key) if key else None

    doomed = start_worker(model, env=FAST_HEARTBEATS)
    wait_until(lambda: events(job), message=lambda: doomed.describe())
    if death == "kill -9":
        doomed.send_signal(signal.SIGKILL)
        assert doomed.wait() == -signal.SIGKILL
    elif death == "segfault":
        assert doomed.wait() == -signal.SIGSEGV, doomed.describe()
    else:
        assert doomed.wait() == 3, doomed.describe()
    assert status_of(job) == JobStatus.PROCESSING
    if successor is not None:
        # Claimed with its key's head as a run, or still waiting: not started.
        assert status_of(successor) in (JobStatus.NEW, JobStatus.PROCESSING)
        assert not events(successor)
    # The next attempt succeeds.
    job_class.objects.filter(pk=job.pk).update(behaviour="ok", sleep_seconds=0)

    rescuer = start_worker(model, env=FAST_HEARTBEATS)
    final = JobStatus.FAILED if job_class is NoRetryJob else JobStatus.PROCESSED
    wait_until(
        lambda: (
            status_of(job) == final
            and (successor is None or status_of(successor) == JobStatus.PROCESSED)
        ),
        timeout=90,
        message=lambda: rescuer.describe(),
    )
    rescuer.send_signal(signal.SIGTERM)
    assert rescuer.wait() == 0, rescuer.describe()

    job.refresh_from_db()
    assert job.error_count == 1
    lost_worker = f":{doomed.pid}:"
    assert "recovered from lost worker" in rescuer.stderr
    assert lost_worker in rescuer.stderr
    if job_class is NoRetryJob:
        assert "worker lost" in job.error_message
        assert lost_worker in job.error_message
        assert len(events(job)) == 1  # never retried
    else:
        assert not job.error_message  # cleared by the successful retry
        attempts = events(job)
        assert [event.pid for event in attempts] == [doomed.pid, rescuer.pid]
    if successor is not None:
        # The key's order holds across the recovery; the successor never ran
        # on the dead worker, so its error count stays untouched.
        assert events(successor)[0].pk > events(job, "end")[0].pk
        successor.refresh_from_db()
        assert successor.error_count == 0
    # The dead worker's heartbeats were removed.
    assert not WorkerHeartbeat.objects.filter(pid=doomed.pid).exists()


def test_a_long_job_of_a_live_worker_is_not_taken_away(start_worker, wait_until):
    # Longer than the heartbeat timeout: only the heartbeat keeps it.
    long_job = IndependentJob.objects.create(
        behaviour="until_terminated", sleep_seconds=5
    )
    first = start_worker("IndependentJob", env=FAST_HEARTBEATS)
    wait_until(lambda: events(long_job), message=lambda: first.describe())
    second = start_worker("IndependentJob", env=FAST_HEARTBEATS)
    wait_until(
        lambda: status_of(long_job) == JobStatus.PROCESSED,
        message=lambda: first.describe() + second.describe(),
    )
    for worker in (first, second):
        worker.send_signal(signal.SIGTERM)
        assert worker.wait() == 0, worker.describe()
    long_job.refresh_from_db()
    assert long_job.error_count == 0
    assert len(events(long_job)) == 1
    assert "recovered" not in first.stderr + second.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_stop_signal_during_a_job(signum, start_worker, wait_until):
    running = IndependentJob.objects.create(
        behaviour="until_terminated", sleep_seconds=120
    )
    waiting = [IndependentJob.objects.create() for _ in range(3)]
    worker = start_worker("IndependentJob")
    wait_until(lambda: events(running), message=lambda: worker.describe())

    worker.send_signal(signum)

    assert worker.wait(timeout=60) == 0, worker.describe()
    assert "Traceback" not in worker.stderr
    assert len(events(running, "terminated")) == 1  # on_job_terminated() called
    running.refresh_from_db()
    assert running.status == JobStatus.PROCESSED
    assert len(events(running, "end")) == 1
    for job in waiting:
        job.refresh_from_db()
        assert job.status == JobStatus.NEW
        assert job.claimed_by is None
        assert events(job) == []
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.parametrize("concurrency", ["1", "3"])
def test_stop_signal_interrupts_an_idle_wait(concurrency, start_worker, wait_until):
    worker = start_worker(
        "IndependentJob", "--poll-interval", "30", "--concurrency", concurrency
    )
    # Running: its slots have registered their heartbeats.
    wait_until(
        lambda: (
            WorkerHeartbeat.objects.filter(pid=worker.pid).count() == int(concurrency)
        ),
        message=lambda: worker.describe(),
    )
    started = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=10) == 0, worker.describe()
    assert time.monotonic() - started < 10
    assert not WorkerHeartbeat.objects.filter(pid=worker.pid).exists()
