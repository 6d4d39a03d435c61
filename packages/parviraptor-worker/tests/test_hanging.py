"""A job that hangs in a live worker shows as "long processing" and is kept.

Monitoring (``parviraptor.monitoring`` and, where parviraptor-web is
installed, the health text of ``/queue-monitoring/``) counts a job as long
processing once it has been PROCESSING for longer than its class's
``MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN`` (30 minutes by default). That is
the operator's only sign of a job that hangs in a worker that is otherwise
alive: the worker's heartbeat keeps the job from being recovered, so nothing
else will ever touch it.

The test runs such a job (behaviour ``until_terminated``) in a real
``process_queue`` subprocess with fast heartbeats, sets the class's threshold
to a few seconds in the test process (the one that asks monitoring; the class
attribute is the documented knob), and waits until the queue is reported as
long processing. The threshold is twice the heartbeat timeout, so by then
the job is old enough to be recovered were its worker's heartbeat silent; a
second worker of the queue runs recovery too, and a stale heartbeat row
planted afterwards must disappear (proof that a recovery pass ran while the
job was that old). The job must still be PROCESSING under its first claim,
with no error. SIGTERM then tells the job to stop (``on_job_terminated``),
the worker exits 0, the job ends PROCESSED and monitoring is all clear again.
"""

from __future__ import annotations

import signal
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from parviraptor.dbtime import db_now
from parviraptor.models import JobStatus
from parviraptor.monitoring import (
    QueueMonitoringResult,
    count_queue_problems,
    monitor_queue_entries,
)
from parviraptor.utils import enumerate_job_models
from parviraptor.worker.locking import queue_label
from parviraptor.worker.models import WorkerHeartbeat

from testproject.jobs.models import IndependentJob, JobEvent

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

HEARTBEAT_TIMEOUT = 3.0
FAST_HEARTBEATS = {
    "PARVIRAPTOR_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT),
    "PARVIRAPTOR_HEARTBEAT_INTERVAL": "0.2",
    "PARVIRAPTOR_POLL_INTERVAL": "0.05",
}
# Long processing after twice the heartbeat timeout: by then the job could
# have been recovered, had its worker stopped beating.
LONG_PROCESSING_SECONDS = 2 * HEARTBEAT_TIMEOUT
HEALTH_URL = "/queue-monitoring/"


def events(job, event):
    return list(
        JobEvent.objects.filter(queue="IndependentJob", job_id=job.pk, event=event)
    )


def health_text() -> str | None:
    """The text of ``/queue-monitoring/``; None without parviraptor-web."""
    if "parviraptor.web" not in settings.INSTALLED_APPS:
        return None
    response = Client().get(HEALTH_URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_hanging_job_shows_as_long_processing_while_its_worker_lives(
    start_worker, wait_until, monkeypatch
):
    job = IndependentJob.objects.create(behaviour="until_terminated", sleep_seconds=600)
    workers = [start_worker("IndependentJob", env=FAST_HEARTBEATS) for _ in range(2)]

    def describe() -> str:
        return "\n".join(worker.describe() for worker in workers)

    wait_until(lambda: events(job, "start"), message=describe)
    job.refresh_from_db()
    assert job.status == JobStatus.PROCESSING
    claim = job.claimed_by
    (owner,) = [w for w in workers if w.pid == events(job, "start")[0].pid]

    # With the class's own threshold (30 minutes) the job is fine.
    assert count_queue_problems(IndependentJob).is_ok

    monkeypatch.setattr(
        IndependentJob,
        "MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN",
        LONG_PROCESSING_SECONDS / 60,
    )
    result = wait_until(
        lambda: count_queue_problems(IndependentJob).long_processing,
        timeout=60,
        message=lambda: f"the job to count as long processing\n{describe()}",
    )
    assert result == 1
    assert count_queue_problems(IndependentJob) == QueueMonitoringResult(
        IndependentJob, failed=0, long_processing=1, long_unprocessed=0
    )
    (troubled,) = monitor_queue_entries(enumerate_job_models())
    assert troubled.job_class is IndependentJob
    text = health_text()
    if text is not None:
        assert text == (
            "There are 0 failed, 1 long processing and 0 long unprocessed "
            "IndependentJobs."
        )

    # Old enough to be recovered, yet the owner's heartbeat is fresh...
    now = db_now()
    job.refresh_from_db()
    assert job.claimed_at < now - timedelta(seconds=HEARTBEAT_TIMEOUT)
    beats = WorkerHeartbeat.objects.filter(pid=owner.pid)
    assert beats.exists()
    assert all(
        beat.last_seen >= now - timedelta(seconds=HEARTBEAT_TIMEOUT) for beat in beats
    )
    # ...and recovery does run: it removes a lost worker's stale heartbeat.
    ghost = WorkerHeartbeat.objects.create(
        worker_id="ghost:1:dead/0",
        queue=queue_label(IndependentJob),
        hostname="ghost",
        pid=1,
        started_at=now - timedelta(hours=1),
        last_seen=now - timedelta(hours=1),
    )
    wait_until(
        lambda: not WorkerHeartbeat.objects.filter(pk=ghost.pk).exists(),
        timeout=60,
        message=lambda: f"a recovery pass to remove the stale heartbeat\n{describe()}",
    )
    # The hanging job was left alone: same claim, no error, started once.
    job.refresh_from_db()
    assert job.status == JobStatus.PROCESSING
    assert job.claimed_by == claim
    assert job.error_count == 0
    assert not job.error_message  # cleared
    assert len(events(job, "start")) == 1
    assert all(worker.is_running() for worker in workers), describe()

    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        assert worker.wait(timeout=60) == 0, worker.describe()
        assert "Traceback" not in worker.stderr, worker.describe()
        assert "recovered" not in worker.stderr, worker.describe()

    job.refresh_from_db()
    assert job.status == JobStatus.PROCESSED
    assert job.error_count == 0
    assert job.claimed_by is None
    assert len(events(job, "terminated")) == 1
    assert len(events(job, "end")) == 1
    assert not WorkerHeartbeat.objects.exists()
    # Monitoring is all clear again, with the small threshold still set.
    assert count_queue_problems(IndependentJob).is_ok
    assert monitor_queue_entries(enumerate_job_models()) == []
    text = health_text()
    if text is not None:
        assert text == "Alles OK"
