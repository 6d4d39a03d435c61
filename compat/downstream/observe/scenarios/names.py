"""Which of the original's public names import, and as what kind of thing.

The list is the union of what 2.2.2 and 4.1 expose (modules, classes,
functions, constants, class attributes); private helpers (``_...``) are left
out. Each name is resolved as downstream code would: ``import`` of the
longest module prefix, then attribute access.
"""

from __future__ import annotations

import importlib
import inspect

P = "parviraptor"
ABSTRACT_JOB = f"{P}.models.abstract.AbstractJob"

NAMES = [
    P,
    f"{P}.__version__",
    f"{P}.apps.ParviraptorConfig",
    *(
        f"{P}.exceptions.{name}"
        for name in (
            "DeferJob",
            "IgnoreJob",
            "UnprocessableJob",
            "InvalidJobError",
            "TemporaryJobFailure",
        )
    ),
    f"{P}.models.AbstractJobFactory",
    f"{P}.models.abstract.AbstractJobFactory",
    f"{P}.models.abstract.AbstractJobFactory.make_base_class",
    f"{P}.models.abstract.JobStatus",
    f"{P}.models.abstract.BackoffStrategy",
    ABSTRACT_JOB,
    *(
        f"{ABSTRACT_JOB}.{name}"
        for name in (
            "Status",
            "MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN",
            "MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN",
            "BACKOFF_STEP_MINUTES",
            "BACKOFF_STRATEGY",
            "MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS",
            "get_dependent_fields",
            "process",
            "is_processable",
            "on_job_terminated",
            "update_job_for_being_resumed",
            "fetch_next_job",
            "get_queryset_filters_for_disjoint_queues",
            "count_failed_jobs",
            "count_long_processing_jobs",
            "count_long_unprocessed_jobs",
            "raise_temporary_failure",
        )
    ),
    f"{P}.monitoring.QueueMonitoringResult",
    f"{P}.monitoring.monitor_queue_entries",
    f"{P}.utils.enumerate_job_models",
    f"{P}.utils.iter_chunks",
    f"{P}.worker.QueueWorker",
    f"{P}.worker.QueueWorker.run",
    f"{P}.worker.JobWorker",
    f"{P}.worker.JobWorker.process",
    f"{P}.worker.QueueWorkerLogger",
    f"{P}.worker.DEFAULT_TEMPORARY_FAILURE_THRESHOLD",
    f"{P}.worker.DEFAULT_DEFERRED_RETRY_THRESHOLD",
    f"{P}.urls.urlpatterns",
    f"{P}.views.OpenQueueEntriesView",
    f"{P}.views.queue_monitoring",
    f"{P}.views.open_queue_entries.OpenQueueEntriesView",
    f"{P}.test.QueueTestCase",
    f"{P}.test.make_test_case_for_all_queues",
    f"{P}.test.case.QueueTestCase",
    f"{P}.test.case.QueueTestCase.process_queue",
    f"{P}.test.case.QueueTestCase.get_ordered_ids",
    f"{P}.test.factory.make_test_case_for_all_queues",
    f"{P}.test.utils.measure_stats",
    f"{P}.test.worker.InfinityLoopFreeQueueWorker",
    f"{P}.management.commands.process_queue.Command",
    f"{P}.management.commands.clean_old_finished_jobs.Command",
]


def observe() -> dict:
    return {name: kind_of(name) for name in NAMES}


def kind_of(dotted: str) -> str:
    """ "module", "class", "callable", a value's type name, or "missing"."""
    try:
        value = resolve(dotted)
    except (ImportError, AttributeError):
        return "missing"
    if inspect.ismodule(value):
        return "module"
    if inspect.isclass(value):
        return "class"
    if callable(value):
        return "callable"
    return type(value).__name__


def resolve(dotted: str):
    parts = dotted.split(".")
    value = importlib.import_module(parts[0])
    for depth, part in enumerate(parts[1:], start=2):
        try:
            value = getattr(value, part)
        except AttributeError:
            if not inspect.ismodule(value):
                raise
            value = importlib.import_module(".".join(parts[:depth]))
    return value
