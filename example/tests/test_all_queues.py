"""Every queue of the shop, processed sequentially and by 8 parallel workers,
each product's and the ledger's jobs in order: the generated tests
``test_can_process_queue_sequentially`` / ``..._concurrently``, one subtest
per queue."""

from __future__ import annotations

from parviraptor.test import make_test_case_for_all_queues

from factories import ShopJobs
from shop.models import LedgerEntry, LedgerJob


class TestShopQueues(
    make_test_case_for_all_queues(
        job_entry_factory=ShopJobs,
        job_fields={"queued_by": "queue test"},  # set on every job ShopJobs builds
        maxDiff=None,  # keyword arguments are class attributes of the test case
    )
):
    """The generated tests, extended to check what the jobs did, too."""

    def check_queue(self, job_class, workers):
        super().check_queue(job_class, workers)
        queued_by = set(job_class.objects.values_list("queued_by", flat=True))
        self.assertEqual(queued_by, {"queue test"})  # the job field
        if job_class is LedgerJob:
            entries = LedgerEntry.objects.order_by("pk")
            balances = [int(b) for b in entries.values_list("balance", flat=True)]
            self.assertEqual(balances, [10, 19, 27, 34, 40, 45, 49, 52])


def test_every_queue_is_covered() -> None:
    assert sorted(TestShopQueues.queues) == ["LedgerJob", "MailJob", "ProductSyncJob"]
    assert TestShopQueues.maxDiff is None
