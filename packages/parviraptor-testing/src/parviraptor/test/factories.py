"""``JobEntryFactory``: where ``make_test_case_for_all_queues`` gets its jobs."""

from __future__ import annotations

from collections.abc import Iterable

from parviraptor.models import AbstractJob

__all__ = ["JobEntryFactory"]


class JobEntryFactory:
    """Builds the jobs a generated queue test processes.

    Subclass it and implement ``build_jobs``::

        class ShopJobs(JobEntryFactory):
            def build_jobs(self, job_class):
                if job_class is ProductSyncJob:
                    shop = Shop.objects.create(name="s")
                    return [ProductSyncJob(shop=shop, sku=f"p{i % 3}") for i in range(9)]
                if job_class is MailJob:
                    return [MailJob(recipient=f"u{i}@example.com") for i in range(5)]
                return []

    ``build_jobs`` runs inside the test, once per queue and test, so it may
    create the rows the jobs refer to. It returns unsaved job instances in
    the order they are to be created (ids grow in that order); an empty
    list leaves the queue to the test case's ``setUp``.
    """

    def build_jobs(self, job_class: type[AbstractJob]) -> Iterable[AbstractJob]:
        raise NotImplementedError(
            f"{type(self).__name__}.build_jobs(job_class) is missing: return "
            "unsaved instances of job_class"
        )
