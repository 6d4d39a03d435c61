"""Workers that end: killed with SIGKILL, or stopped with SIGTERM.

A killed worker's job: the original leaves it PROCESSING for good (and its
key blocked); ours gives it to another worker once the heartbeat is stale.
The wait for that is a poll with a deadline, long enough for ours on a busy
machine (heartbeat timeout 2 s in the project's settings).
"""

from __future__ import annotations

import signal

from jobs.models import HangJob, IndependentJob

from observe import jobs, procs, rows

RECOVERY_DEADLINE = 25.0


def _open(model) -> bool:
    return model.objects.filter(status__in=["NEW", "PROCESSING"]).exists()


def observe() -> dict:
    jobs.create(HangJob, [("h1", "hang"), ("h2", "ok")])
    first = procs.Process(["manage.py", "process_queue", "jobs", "HangJob"])
    started = procs.wait_until(
        lambda: HangJob.objects.filter(tag="h1", status="PROCESSING").exists()
    )
    first.signal(signal.SIGKILL)
    killed = first.wait(30)
    second = procs.Process(["manage.py", "process_queue", "jobs", "HangJob"])
    finished = procs.wait_until(lambda: not _open(HangJob), timeout=RECOVERY_DEADLINE)
    second.signal(signal.SIGTERM)
    return {
        "hang_started": started,
        "first_worker": killed,
        "all_finished_before_deadline": finished,
        "second_worker_exit": second.wait(30),
        "rows": rows.snapshot(HangJob, ("status", "error_count")),
    }


def observe_own_worker() -> dict:
    """``QueueWorker(Job).run()`` in a script of the project, then SIGTERM."""
    jobs.create(IndependentJob, [("o1", "ok"), ("o2", "ok"), ("o3", "ok")])
    worker = procs.Process(["own_worker.py", "IndependentJob"])
    drained = procs.wait_until(
        lambda: not worker.running() or not _open(IndependentJob)
    )
    worker.signal(signal.SIGTERM)
    status = worker.wait(30)
    stdout, _ = worker.output()
    return {
        "drained": drained,
        "exit": status,
        "returned_from_run": "worker returned" in stdout,
        "rows": rows.statuses(IndependentJob),
    }
