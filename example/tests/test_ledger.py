"""The ledger: one strict FIFO queue, checked with QueueTestCase."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parviraptor.test import QueueTestCase

from shop.models import LedgerEntry, LedgerJob


class LedgerTests(QueueTestCase):
    def test_bookings_apply_in_order_with_parallel_workers(self) -> None:
        amounts = [100, -30, 45, -15, -100]
        jobs = [LedgerJob(text=f"#{n}", amount=a) for n, a in enumerate(amounts)]

        self.process_queue(LedgerJob, jobs, 4)

        self.assertJobsFinishedInOrder(LedgerJob)
        balances = LedgerEntry.objects.order_by("pk").values_list("balance", flat=True)
        self.assertEqual([int(b) for b in balances], [100, 70, 115, 100, 0])

    def test_an_overdraft_is_reported_with_its_reason(self) -> None:
        jobs = [LedgerJob(text="rent", amount=Decimal("-5"))]
        with self.assertRaises(AssertionError) as raised:
            self.process_queue(LedgerJob, jobs, 1)
        self.assertIn(
            "IGNORED: would overdraw the account to -5.00", str(raised.exception)
        )


@pytest.mark.django_db
def test_overdraft_is_ignored(drain_queue) -> None:
    LedgerJob.objects.create(text="rent", amount=-5)
    LedgerJob.objects.create(text="sale", amount=20)
    summary = drain_queue(LedgerJob)
    assert summary.counts == {"PROCESSED": 1, "IGNORED": 1}
    assert LedgerEntry.objects.get().balance == 20
