"""``make_test_case_for_all_queues``: one test case class covering every queue.

The generated class has the original parviraptor's two tests, by its names
(downstream suites override or skip them): ``test_can_process_queue_sequentially``
(one worker) and ``test_can_process_queue_concurrently`` (``concurrent_workers``
= 8 workers in parallel threads). Each processes every covered queue as a
subtest named after the queue's model: the queue must have jobs (rows the
subclass's ``setUp`` created and/or the ``JobEntryFactory``'s), every job
must end PROCESSED and each key's jobs must finish in id order.
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
    """Base of the generated classes; their two tests come from the factory."""

    #: Model names of the covered queues.
    queues: list[str] = []
    job_classes: list[type[AbstractJob]] = []
    job_entry_factory: JobEntryFactory | None = None
    #: Field values set on every job the ``job_entry_factory`` builds.
    job_fields: dict[str, Any] = {}
    concurrent_workers = 8

    def process_all_queues(self, workers: int) -> None:
        """Check every covered queue, each in a subtest named after its model."""
        for job_class in self.job_classes:
            with self.subTest(job_class.__name__):
                self.check_queue(job_class, workers)

    def check_queue(self, job_class: type[AbstractJob], workers: int) -> None:
        """Create the factory's jobs, drain the queue, check outcome and order."""
        self.create_job_entries(job_class)
        if not job_class._default_manager.exists():
            self.fail(self.no_entries_message(job_class))
        summary = drain(job_class, workers)
        how = "1 worker" if workers == 1 else f"{workers} parallel workers"
        self.assertAllJobsProcessed(summary, how)
        self.assertJobsFinishedInOrder(job_class)

    def create_job_entries(self, job_class: type[AbstractJob]) -> list[AbstractJob]:
        """Save the factory's jobs for ``job_class`` with ``job_fields`` set."""
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
            for name, value in self.job_fields.items():
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


class _AllQueuesTests(AllQueuesTestCase):
    """The two tests of every generated class."""

    def test_can_process_queue_sequentially(self) -> None:
        """Every queue, one worker: all jobs PROCESSED, each key in order."""
        self.process_all_queues(1)

    def test_can_process_queue_concurrently(self) -> None:
        """Every queue, parallel workers: all jobs PROCESSED, each key in order."""
        self.process_all_queues(self.concurrent_workers)


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


def make_test_case_for_all_queues(
    job_classes_to_ignore: Iterable[JobClassRef] | None = None,
    job_entry_factory: JobEntryFactory | type[JobEntryFactory] | None = None,
    *,
    job_fields: dict[str, Any] | None = None,
    **static_fields: Any,
) -> type[AllQueuesTestCase]:
    """A ``QueueTestCase`` class testing every installed concrete job queue.

    - ``job_classes_to_ignore``: classes, ``"app_label.ModelName"`` labels or
      model names of queues to leave out (e.g. queues that feed each other).
    - ``job_entry_factory``: a ``JobEntryFactory`` (or its class) whose
      ``build_jobs(job_class)`` gives each queue jobs, besides (or instead of)
      the rows the subclass's ``setUp`` creates.
    - ``job_fields``: field values set on every job the factory builds.
    - ``static_fields``: class attributes of the test case, as in the
      original, e.g. ``maxDiff=None``, ``fixtures=["shop.json"]``,
      ``databases={"default", "other"}``.
    """
    if job_fields and job_entry_factory is None:
        raise TypeError("job_fields are set on a job_entry_factory's jobs: give one")
    if isinstance(job_entry_factory, type):
        job_entry_factory = job_entry_factory()
    ignored = _ignored(job_classes_to_ignore)
    job_classes = [cls for cls in enumerate_job_models() if not ignored(cls)]
    attrs: dict[str, Any] = {
        "__module__": sys._getframe(1).f_globals.get("__name__", __name__),
        "queues": [cls.__name__ for cls in job_classes],
        "job_classes": job_classes,
        "job_entry_factory": job_entry_factory,
        "job_fields": dict(job_fields or {}),
        **static_fields,
    }
    return type("AllQueuesTest", (_AllQueuesTests,), attrs)
