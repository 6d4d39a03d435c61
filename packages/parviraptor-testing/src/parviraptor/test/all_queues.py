"""``make_test_case_for_all_queues``: one test case class covering every queue.

For each installed concrete job queue the generated class has two tests:
``test_<app>_<model>_sequentially`` (one worker) and
``test_<app>_<model>_concurrently`` (``concurrent_workers`` = 8 workers in
parallel threads). Each creates the queue's jobs, drains the queue, asserts
that every job ended PROCESSED and that each key's jobs finished in id order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

from parviraptor.models import AbstractJob
from parviraptor.test.cases import QueueTestCase
from parviraptor.test.draining import drain
from parviraptor.test.factories import JobEntryFactory
from parviraptor.utils import enumerate_job_models

__all__ = ["AllQueuesTestCase", "make_test_case_for_all_queues"]

JobClassRef = type[AbstractJob] | str


class AllQueuesTestCase(QueueTestCase):
    """Base of the generated classes; its own tests come from the factory."""

    #: Model names of the covered queues.
    queues: list[str] = []
    job_classes: list[type[AbstractJob]] = []
    job_entry_factory: JobEntryFactory | None = None
    static_fields: dict[str, Any] = {}
    concurrent_workers = 8

    def check_queue(self, job_class: type[AbstractJob], workers: int) -> None:
        """Create the queue's jobs, drain it, check outcome and order."""
        self.create_job_entries(job_class)
        if not job_class._default_manager.exists():
            self.fail(self.no_entries_message(job_class))
        summary = drain(job_class, workers)
        how = "1 worker" if workers == 1 else f"{workers} parallel workers"
        self.assertAllJobsProcessed(summary, how)
        self.assertJobsFinishedInOrder(job_class)

    def create_job_entries(self, job_class: type[AbstractJob]) -> list[AbstractJob]:
        """Save the factory's jobs for ``job_class`` with the static fields set."""
        if self.job_entry_factory is None:
            return []
        jobs = list(self.job_entry_factory.build_jobs(job_class) or ())
        for job in jobs:
            if not isinstance(job, job_class):
                raise TypeError(
                    f"{type(self.job_entry_factory).__name__}.build_jobs("
                    f"{job_class.__name__}) returned {job!r}, not a "
                    f"{job_class.__name__}"
                )
            for name, value in self.static_fields.items():
                setattr(job, name, value)
            job.save()
        return jobs

    def no_entries_message(self, job_class: type[AbstractJob]) -> str:
        name = job_class.__name__
        return (
            f"queue {job_class._meta.label} has no jobs to test. Give it some: "
            f"create {name} rows in {type(self).__name__}.setUp(), or return "
            f"unsaved {name} instances from build_jobs() of the JobEntryFactory "
            "passed as make_test_case_for_all_queues(job_entry_factory=...), "
            f"or leave the queue out with job_classes_to_ignore=[{name}]."
        )


def _ignored(refs: Iterable[JobClassRef] | None) -> Callable[[type[AbstractJob]], bool]:
    """A predicate for job classes given as classes, labels or model names."""
    refs = list(refs or ())
    classes = {ref for ref in refs if isinstance(ref, type)}
    names = {ref.lower() for ref in refs if isinstance(ref, str)}

    def ignored(job_class: type[AbstractJob]) -> bool:
        return job_class in classes or bool(
            {job_class._meta.label_lower, job_class.__name__.lower()} & names
        )

    return ignored


def _queue_test(
    job_class: type[AbstractJob], concurrently: bool
) -> Callable[..., None]:
    def test(self: AllQueuesTestCase) -> None:
        self.check_queue(job_class, self.concurrent_workers if concurrently else 1)

    how = "with parallel workers" if concurrently else "with one worker"
    test.__doc__ = f"{job_class._meta.label}: all jobs PROCESSED, in order, {how}."
    return test


def _slug(job_class: type[AbstractJob]) -> str:
    return f"{job_class._meta.app_label}_{job_class._meta.model_name}"


def make_test_case_for_all_queues(
    job_classes_to_ignore: Iterable[JobClassRef] | None = None,
    job_entry_factory: JobEntryFactory | type[JobEntryFactory] | None = None,
    **static_fields: Any,
) -> type[AllQueuesTestCase]:
    """A ``QueueTestCase`` class testing every installed concrete job queue.

    Jobs come from the subclass's ``setUp`` (rows it creates) and/or from
    ``job_entry_factory.build_jobs(job_class)``; ``static_fields`` are set on
    every job the factory builds. A queue without any job fails its tests
    with a message saying how to give it some. ``job_classes_to_ignore``
    holds classes, ``"app_label.ModelName"`` labels or model names.
    """
    if isinstance(job_entry_factory, type):
        job_entry_factory = job_entry_factory()
    ignored = _ignored(job_classes_to_ignore)
    job_classes = [cls for cls in enumerate_job_models() if not ignored(cls)]
    attrs: dict[str, Any] = {
        "__module__": sys._getframe(1).f_globals.get("__name__", __name__),
        "queues": [cls.__name__ for cls in job_classes],
        "job_classes": job_classes,
        "job_entry_factory": job_entry_factory,
        "static_fields": dict(static_fields),
    }
    for job_class in job_classes:
        attrs[f"test_{_slug(job_class)}_sequentially"] = _queue_test(job_class, False)
        attrs[f"test_{_slug(job_class)}_concurrently"] = _queue_test(job_class, True)
    return type("AllQueuesTest", (AllQueuesTestCase,), attrs)
