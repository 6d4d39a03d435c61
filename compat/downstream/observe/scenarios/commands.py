"""The management commands as a deployment calls them: exit codes and effects.

Compared are exit statuses, whether a traceback was printed, and what the
command did to the rows; not the exact wording of the output.
"""

from __future__ import annotations

import signal

from jobs.models import IndependentJob

from observe import jobs, procs, rows


def observe() -> dict:
    return {
        "process_queue drains, then SIGTERM": _drain_then_stop(),
        "process_queue --help": procs.manage("process_queue", "--help"),
        "process_queue unknown model": procs.manage(
            "process_queue", "jobs", "NoSuchJob", timeout=30
        ),
        "process_queue unknown app": procs.manage(
            "process_queue", "nosuchapp", "Job", timeout=30
        ),
        "process_queue not a job model": procs.manage(
            "process_queue", "jobs", "Gate", timeout=30
        ),
    }


def _drain_then_stop() -> dict:
    jobs.create(
        IndependentJob,
        [("q1", "ok"), ("q2", "ok"), ("q3", "ignore"), ("q4", "crash"), ("q5", "ok")],
    )
    worker = procs.Process(["manage.py", "process_queue", "jobs", "IndependentJob"])
    drained = procs.wait_until(
        lambda: (
            not worker.running()
            or not IndependentJob.objects.filter(
                status__in=["NEW", "PROCESSING"]
            ).exists()
        )
    )
    worker.signal(signal.SIGTERM)
    status = worker.wait(30)
    return {
        "drained": drained,
        "exit": status,
        **procs.describe_output(*worker.output()),
        "rows": rows.statuses(IndependentJob),
    }


#: (tag, status, age in days): what a queue holds after some weeks.
CLEANUP_ROWS = [
    ("c1_processed_old", "PROCESSED", 10),
    ("c2_ignored_old", "IGNORED", 10),
    ("c3_failed_old", "FAILED", 10),
    ("c4_processed_old", "PROCESSED", 10),
    ("c5_deferred_old", "DEFERRED", 10),
    ("c6_new_old", "NEW", 10),
    ("c7_processed_recent", "PROCESSED", 1),
]

CLEANUP_CALLS = {
    "2.2.2 form: days --all-queues": ["clean_old_finished_jobs", "7", "--all-queues"],
    "2.2.2 form: days --queue": [
        "clean_old_finished_jobs",
        "7",
        "--queue",
        "jobs.IndependentJob",
    ],
    "4.1 form: --all-queues": ["clean_old_finished_jobs", "--all-queues"],
    "4.1 form: --queue": ["clean_old_finished_jobs", "--queue", "jobs.IndependentJob"],
    "4.1 form: --dry-run": ["clean_old_finished_jobs", "--all-queues", "--dry-run"],
    "no arguments": ["clean_old_finished_jobs"],
    "clean_old_processed_jobs --all-queues": [
        "clean_old_processed_jobs",
        "--all-queues",
    ],
}


def observe_cleanup() -> dict:
    observed = {}
    for name, argv in CLEANUP_CALLS.items():
        IndependentJob.objects.all().delete()
        for tag, status, days in CLEANUP_ROWS:
            IndependentJob.objects.create(tag=tag, status=status)
            jobs.age(IndependentJob, tag, days=days, field="modification_date")
        observed[name] = {
            **procs.manage(*argv, timeout=60),
            "left": jobs.present(IndependentJob.objects.values_list("tag", flat=True)),
        }
    return observed
