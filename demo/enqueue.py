"""The batch of jobs the demo enqueues, and what should become of each.

About 55 % e-mails (independent), 35 % product price updates (FIFO per shop
and SKU, a few dozen updates per product) and 10 % ledger bookings (one
strict FIFO). Along the way:

- every 10th product comes from the flaky supplier (SKU ``acme-...``): its
  first lookup in each worker process times out, a temporary failure;
- every 40th e-mail goes to a greylisting domain: refused once, then sent;
- every 50th booking would overdraw the account: IGNORED (not a failure);
- unless ``failures`` is off: a few e-mail addresses are invalid (FAILED) and
  three products get a price that is no number (FAILED, and the later
  updates of the same product FAILED with "dependent jobs failed").

Jobs are enqueued the way an application would: plain ``bulk_create`` in a
transaction, updates of different products interleaved.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

QUEUED_BY = "demo"
SHOPS = ("north", "south", "east")
BAD_PRICE = "n/a"
OVERDRAFT = Decimal("-1000000.00")


@dataclass(frozen=True)
class Plan:
    """How many jobs of which kind, and whether some fail for good."""

    jobs: int = 20_000
    max_keys: int = 300
    failures: bool = True

    @property
    def products(self) -> int:
        return self.jobs * 35 // 100

    @property
    def ledger(self) -> int:
        return self.jobs // 10

    @property
    def mails(self) -> int:
        return self.jobs - self.products - self.ledger

    @property
    def keys(self) -> int:
        """Products in the per-key queue: at least about 5 updates each."""
        return max(1, min(self.max_keys, self.products // 5))


@dataclass
class Batch:
    """What was enqueued: jobs per queue and the final statuses expected."""

    totals: dict[str, int] = field(default_factory=dict)
    expected: dict[str, Counter[str]] = field(default_factory=dict)
    keys: int = 0

    def expect(self, queue: str, status: str, count: int = 1) -> None:
        self.expected.setdefault(queue, Counter())[status] += count


def sku_for(index: int) -> str:
    """The SKU of product ``index``; every 10th from the flaky supplier."""
    prefix = "acme" if index % 10 == 3 else "sku"
    return f"{prefix}-{index:05d}"


def bad_keys(plan: Plan) -> set[int]:
    """The products that get a price that is no number (none without failures)."""
    if not plan.failures:
        return set()
    keys = plan.keys
    return {keys * quarter // 4 for quarter in (1, 2, 3)} if keys >= 4 else {0}


def enqueue(plan: Plan) -> Batch:
    """Create the shops and all jobs in one transaction; what to expect of them."""
    batch = Batch(keys=plan.keys)
    with transaction.atomic():
        _enqueue_products(plan, batch)
        _enqueue_mails(plan, batch)
        _enqueue_ledger(plan, batch)
    return batch


def _enqueue_products(plan: Plan, batch: Batch) -> None:
    from shop.models import ProductSyncJob, Shop

    shops = [Shop.objects.create(name=name) for name in SHOPS]
    broken = bad_keys(plan)
    keys = plan.keys
    jobs = []
    failed_from: dict[int, int] = {}  # key -> its update number that is bad
    for n in range(plan.products):
        key, update = n % keys, n // keys
        updates_of_key = (plan.products - key + keys - 1) // keys
        price = f"{10 + update}.{key % 100:02d}"
        if key in broken and update == updates_of_key // 2:
            price = BAD_PRICE
            failed_from[key] = update
        failed = key in failed_from and update >= failed_from[key]
        batch.expect("ProductSyncJob", "FAILED" if failed else "PROCESSED")
        jobs.append(
            ProductSyncJob(
                shop=shops[key % len(shops)],
                sku=sku_for(key),
                price=price,
                queued_by=QUEUED_BY,
            )
        )
    ProductSyncJob.objects.bulk_create(jobs, batch_size=1000)
    batch.totals["ProductSyncJob"] = len(jobs)


def _enqueue_mails(plan: Plan, batch: Batch) -> None:
    from shop.models import MailJob

    jobs = []
    for n in range(plan.mails):
        if plan.failures and n % 2000 == 100:
            recipient, status = f"customer {n} at example.com", "FAILED"
        elif n % 40 == 7:
            recipient, status = f"customer{n}@greylisted.example", "PROCESSED"
        else:
            recipient, status = f"customer{n}@example.com", "PROCESSED"
        batch.expect("MailJob", status)
        jobs.append(
            MailJob(
                recipient=recipient,
                subject=f"Your order #{100_000 + n}",
                body="Thank you for your order.",
                queued_by=QUEUED_BY,
            )
        )
    MailJob.objects.bulk_create(jobs, batch_size=1000)
    batch.totals["MailJob"] = len(jobs)


def _enqueue_ledger(plan: Plan, batch: Batch) -> None:
    from shop.models import LedgerJob

    jobs = []
    for n in range(plan.ledger):
        if n % 50 == 49:
            text, amount, status = f"refund #{n} (too large)", OVERDRAFT, "IGNORED"
        elif n % 3 == 0:
            text, amount, status = f"payment #{n}", Decimal("100.00"), "PROCESSED"
        else:
            text, amount, status = f"payout #{n}", Decimal("-30.00"), "PROCESSED"
        batch.expect("LedgerJob", status)
        jobs.append(LedgerJob(text=text, amount=amount, queued_by=QUEUED_BY))
    LedgerJob.objects.bulk_create(jobs, batch_size=1000)
    batch.totals["LedgerJob"] = len(jobs)
