"""Temporary failures: what is saved, who waits, and for how long.

The backoff delay is read where each implementation keeps it: the
original's worker sleeps for it (its ``_calc_latency_in_minutes`` is
recorded), ours stores ``not_before`` with the job (read back as
``not_before - modification_date``; no ``not_before`` means no wait).
"""

from __future__ import annotations

from jobs.models import IndependentJob

from observe import jobs, rows
from observe.driving import class_settings, drain, retry_at_once, run_once


def observe_fields() -> dict:
    """One run with the default backoff: fields set before each outcome."""
    jobs.create(
        IndependentJob,
        [
            ("crash", "crash"),
            ("ignore", "ignore"),
            ("invalid", "invalid"),
            ("save_self", "save_self", {"a": 3}),
            ("set_temp", "set_temp", {"fail_times": 5}),
        ],
    )
    ended = run_once(IndependentJob)
    return {"run": ended, "rows": rows.snapshot(IndependentJob)}


def observe_sleeps() -> dict:
    """One run, retry at once: does a temporary failure hold up other jobs?"""
    jobs.create(
        IndependentJob,
        [("fails_once", "temp", {"fail_times": 1}), ("next", "ok"), ("last", "ok")],
    )
    with retry_at_once(IndependentJob):
        ended = run_once(IndependentJob)
    return {
        "run": ended,
        "rows": rows.snapshot(IndependentJob, ("status", "error_count")),
    }


#: (tag, error_count before the failure, kind, b): each fails exactly once.
BACKOFF_JOBS = [
    ("n0", 0, "temp", 0),
    ("n1", 1, "temp", 0),
    ("n3", 3, "temp", 0),
    ("n7", 7, "temp", 0),
    ("explicit_4", 0, "temp_n", 4),
]


def observe_backoff() -> dict:
    """The first retry's delay in minutes, per strategy and step."""
    from parviraptor.models.abstract import BackoffStrategy

    cases = {
        "EXPONENTIAL step 2": (BackoffStrategy.EXPONENTIAL, 2),
        "EXPONENTIAL step 0": (BackoffStrategy.EXPONENTIAL, 0),
        "CONSTANT step 3": (BackoffStrategy.CONSTANT, 3),
    }
    observed = {}
    for name, (strategy, step) in cases.items():
        IndependentJob.objects.all().delete()
        with class_settings(
            IndependentJob, BACKOFF_STRATEGY=strategy, BACKOFF_STEP_MINUTES=step
        ):
            observed[name] = _delays()
    return observed


def _delays() -> dict[str, float]:
    for tag, errors, kind, b in BACKOFF_JOBS:
        IndependentJob.objects.create(
            tag=tag, kind=kind, b=b, error_count=errors, fail_times=errors + 1
        )
    slept: list[float] = []
    drain(IndependentJob, worker=_recording_worker(slept))
    if hasattr(IndependentJob, "not_before"):
        return _stored_delays()
    return dict(zip([tag for tag, *_ in BACKOFF_JOBS], slept, strict=False))


def _recording_worker(slept: list[float]):
    """The test worker, noting each backoff the original's worker sleeps."""
    from parviraptor.test.worker import InfinityLoopFreeQueueWorker

    class Recording(InfinityLoopFreeQueueWorker):
        def _calc_latency_in_minutes(self, error_count):
            minutes = super()._calc_latency_in_minutes(error_count)
            slept.append(minutes)
            return minutes

    return Recording


def _stored_delays() -> dict[str, float]:
    """Ours: the wait stored with each job after its failure (0: none)."""
    delays = {}
    for job in IndependentJob.objects.order_by("pk"):
        waited = job.not_before - job.modification_date if job.not_before else None
        delays[job.tag] = round(waited.total_seconds() / 60, 3) if waited else 0
    return delays
