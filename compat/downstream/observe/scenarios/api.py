"""The model and worker API as documented: values, defaults, helpers."""

from __future__ import annotations

import signal
from contextlib import contextmanager
from datetime import timedelta

from jobs.models import DirectJob, FifoJob, IndependentJob, KeyedJob

from observe import jobs, rows
from observe.driving import drain, retry_at_once, run_once

DEFAULTS = (
    "MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN",
    "MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN",
    "BACKOFF_STEP_MINUTES",
    "BACKOFF_STRATEGY",
    "MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS",
)
MONITORED = (
    "failed_jobs_count",
    "long_processing_jobs_count",
    "long_unprocessed_jobs_count",
)


def observe_models() -> dict:
    from parviraptor.models.abstract import AbstractJob, BackoffStrategy, JobStatus

    return {
        "Status_is_JobStatus": jobs.attempt(lambda: AbstractJob.Status is JobStatus),
        "JobStatus": [[m.name, m.value, str(m.label)] for m in JobStatus],
        "BackoffStrategy": [[m.name, repr(m.value)] for m in BackoffStrategy],
        "defaults": {
            name: _plain(jobs.attempt(lambda n=name: getattr(AbstractJob, n)))
            for name in DEFAULTS
        },
        "dependent_fields": _dependent_fields(),
        "disjoint_queue_filters": _disjoint_filters(),
        "exceptions": _exceptions(),
        "monitoring": _monitoring(),
        "utils": _utils(),
        "fetch_next_job": _fetch_next_job(),
        "update_job_for_being_resumed": _resume(),
    }


def _plain(value):
    return getattr(value, "name", value)


def _dependent_fields() -> dict:
    return {
        model.__name__: {
            "get_dependent_fields": jobs.attempt(model.get_dependent_fields),
            "dependent_fields": jobs.attempt(lambda m=model: m.dependent_fields),
        }
        for model in (IndependentJob, FifoJob, KeyedJob, DirectJob)
    }


def _disjoint_filters() -> dict:
    jobs.clear()
    for shop, product in (("s1", "p1"), ("s1", "p2"), ("s2", "p1")):
        KeyedJob.objects.create(tag=f"{shop}{product}", shop=shop, product=product)
    FifoJob.objects.create(tag="f")
    IndependentJob.objects.create(tag="i")
    return {
        model.__name__: jobs.present(
            ",".join(f"{k}={v}" for k, v in sorted(f.items())) or "(all)"
            for f in model.get_queryset_filters_for_disjoint_queues()
        )
        for model in (IndependentJob, FifoJob, KeyedJob)
    }


def _exceptions() -> dict:
    from parviraptor.exceptions import TemporaryJobFailure

    failure = TemporaryJobFailure("try later", 2)
    job = IndependentJob(tag="x", error_count=3)
    try:
        job.raise_temporary_failure("from the job")
        raised = "nothing"
    except TemporaryJobFailure as exc:
        raised = [str(exc), exc.message, exc.error_count]
    return {
        "TemporaryJobFailure": [str(failure), failure.message, failure.error_count],
        "raise_temporary_failure": raised,
    }


def _monitoring() -> dict:
    from parviraptor.monitoring import monitor_queue_entries

    jobs.clear()
    jobs.create(
        FifoJob,
        [("failed", "ok", {"status": "FAILED"}), ("stuck", "ok"), ("old", "ok")],
    )
    FifoJob.objects.filter(tag="stuck").update(status="PROCESSING")
    jobs.age(FifoJob, "stuck", minutes=31, field="modification_date")
    jobs.age(FifoJob, "old", minutes=961, field="creation_date")
    results = monitor_queue_entries([FifoJob, IndependentJob])
    return {
        "results": [_result_counts(result) for result in results],
        "counts": {
            name: getattr(FifoJob, name)()
            for name in (
                "count_failed_jobs",
                "count_long_processing_jobs",
                "count_long_unprocessed_jobs",
            )
        },
    }


def _result_counts(result) -> dict:
    counts = {a: jobs.attempt(lambda a=a: getattr(result, a)) for a in MONITORED}
    return {"queue_name": result.queue_name, **counts}


def _utils() -> dict:
    from parviraptor import utils

    return {
        "enumerate_job_models": jobs.present(
            m.__name__ for m in utils.enumerate_job_models()
        ),
        "iter_chunks": jobs.attempt(
            lambda: [list(c) for c in utils.iter_chunks(3, range(7))]
        ),
    }


def _fetch_next_job() -> dict:
    jobs.clear()
    IndependentJob.objects.create(tag="next")
    fetched = jobs.attempt(lambda: type(IndependentJob.fetch_next_job()).__name__)
    empty = jobs.attempt(lambda: repr(FifoJob.fetch_next_job()))
    return {
        "with_a_job": fetched,
        "row_after": rows.statuses(IndependentJob),
        "empty_queue": empty,
    }


def _resume() -> dict:
    jobs.clear()
    IndependentJob.objects.create(tag="resume", status="PROCESSING")
    job = IndependentJob.objects.get(tag="resume")
    called = jobs.attempt(lambda: job.update_job_for_being_resumed() or "called")
    return {
        "call": called,
        "status_after": IndependentJob.objects.get(tag="resume").status,
    }


@contextmanager
def _own_signal_handlers():
    """The original's worker installs SIGTERM/SIGINT handlers: put ours back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def observe_worker() -> dict:
    from parviraptor.worker import QueueWorker

    with _own_signal_handlers():
        return {
            "QueueWorker(Job)": _worker_attributes(lambda: QueueWorker(IndependentJob)),
            "QueueWorker(Job, pause, 7)": _worker_attributes(
                lambda: QueueWorker(IndependentJob, timedelta(seconds=5), 7)
            ),
            "InfinityLoopFreeQueueWorker(Job, pause)": _positional_pause(),
            "InfinityLoopFreeQueueWorker threshold": _thresholds(),
        }


def _worker_attributes(make) -> dict:
    worker = jobs.attempt(make)
    if isinstance(worker, str):
        return {"constructed": worker}
    pause = jobs.attempt(lambda: worker.pause_if_queue_empty)
    return {
        "Job": jobs.attempt(lambda: worker.Job.__name__),
        "pause_if_queue_empty": pause.total_seconds()
        if isinstance(pause, timedelta)
        else repr(pause),
        "temporary_failure_threshold": jobs.attempt(
            lambda: worker.temporary_failure_threshold
        ),
    }


def _positional_pause() -> dict:
    jobs.clear()
    jobs.create(IndependentJob, [("p1", "ok"), ("p2", "ok")])
    ended = run_once(IndependentJob, timedelta(seconds=0))
    return {"run": ended, "rows": rows.statuses(IndependentJob)}


def _thresholds() -> dict:
    jobs.clear()
    jobs.create(IndependentJob, [("kw", "always_temp")])
    jobs.create(FifoJob, [("positional", "always_temp")])
    with retry_at_once(IndependentJob, FifoJob):
        keyword = drain(IndependentJob, temporary_failure_threshold=3)
        positional = drain(FifoJob, timedelta(seconds=0), 2)
    return {
        "keyword": {**keyword, "rows": rows.snapshot(IndependentJob)},
        "positional": {**positional, "rows": rows.snapshot(FifoJob)},
    }
