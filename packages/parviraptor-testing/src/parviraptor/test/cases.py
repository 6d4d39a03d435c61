"""``QueueTestCase``: a ``TransactionTestCase`` that processes job queues."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.test import TransactionTestCase

from parviraptor.models import AbstractJob
from parviraptor.test.draining import drain
from parviraptor.test.ordering import find_order_violations
from parviraptor.test.summary import QueueSummary

__all__ = ["QueueTestCase", "QueueTestMixin"]


def _workers(number_of_threads: int) -> str:
    return (
        "1 worker"
        if number_of_threads == 1
        else f"{number_of_threads} parallel workers"
    )


class QueueTestMixin:
    """Queue assertions for any Django test case.

    With a ``TestCase`` (one wrapping transaction) only one thread may
    process; parallel processing needs a ``TransactionTestCase``.
    """

    def process_queue(
        self,
        JobClass: type[AbstractJob],
        jobs: Iterable[AbstractJob],
        number_of_threads: int = 1,
        create_jobs: bool = True,
        **options: Any,
    ) -> QueueSummary:
        """Create ``jobs`` (unless ``create_jobs`` is False), process the
        queue with ``number_of_threads`` workers, and assert that every one
        of ``jobs`` (every job of the queue if none are given) ended
        PROCESSED. Returns the summary; ``options`` go to the workers.
        """
        jobs = list(jobs)
        for job in jobs:
            if not isinstance(job, JobClass):
                raise TypeError(f"{job!r} is not a {JobClass.__name__}")
            if create_jobs:
                job.save()
        pks = [job.pk for job in jobs] or None
        summary = drain(JobClass, number_of_threads, pks=pks, **options)
        self.assertAllJobsProcessed(summary, _workers(number_of_threads))
        return summary

    def assertAllJobsProcessed(self, summary: QueueSummary, how: str = "") -> None:
        """Fail, listing each job that did not end PROCESSED and why."""
        if summary.all_processed:
            return
        left = summary.total - summary.processed
        how = f" (processed with {how})" if how else ""
        self.fail(  # type: ignore[attr-defined]
            f"{left} of {summary.total} {summary.queue} jobs did not end "
            f"PROCESSED{how}:\n{summary.describe()}"
        )

    def get_ordered_ids(self, qs: QuerySet[Any], field: str) -> list[Any]:
        """The primary keys of ``qs`` ordered by ``field``, as in the original:
        compare ``"pk"`` with ``"modification_date"`` to see the order in
        which jobs finished. Ties are broken by primary key (the original
        left them to the database): jobs finished in one write share their
        ``modification_date``, and the order between them is not known."""
        return list(qs.order_by(field, "pk").values_list("pk", flat=True))

    def assertJobsFinishedInOrder(self, JobClass: type[AbstractJob]) -> None:
        """Fail if any key's jobs finished out of id order."""
        violations = find_order_violations(JobClass)
        if violations:
            lines = "\n".join(f"  {violation}" for violation in violations[:20])
            self.fail(  # type: ignore[attr-defined]
                f"{JobClass._meta.label}: {len(violations)} jobs finished before "
                f"an earlier job of their key:\n{lines}"
            )


class QueueTestCase(QueueTestMixin, TransactionTestCase):
    """A ``TransactionTestCase`` whose ``process_queue`` may use parallel
    workers (threads, each with its own database connection)."""
