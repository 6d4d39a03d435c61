"""Checking the result against the plan: statuses, per-key order, strict order.

- every queue's jobs ended with the statuses ``enqueue`` expected;
- each product has the price of its last successful update and as many
  revisions as it had successful updates (FIFO per shop and SKU);
- the ledger's entries are the PROCESSED bookings in id order and every
  running balance adds up (strict FIFO).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from demo.enqueue import Batch


def check_statuses(batch: Batch, counts: dict[str, dict[str, int]]) -> list[str]:
    """Queues whose final status counts differ from what was planned."""
    problems = []
    for queue, expected in batch.expected.items():
        actual = Counter(counts.get(queue, {}))
        if actual != expected:
            problems.append(
                f"{queue}: expected {dict(sorted(expected.items()))}, "
                f"got {dict(sorted(actual.items()))}"
            )
    return problems


def check_products() -> list[str]:
    """Products whose price or revision does not match their updates in order."""
    from shop.catalogue import catalogue
    from shop.models import Product, ProductSyncJob

    last_price: dict[tuple[Any, str], str] = {}
    applied: Counter[tuple[Any, str]] = Counter()
    processed = ProductSyncJob.objects.filter(status="PROCESSED").order_by("pk")
    for shop_id, sku, price in processed.values_list("shop_id", "sku", "price"):
        last_price[shop_id, sku] = price
        applied[shop_id, sku] += 1
    problems = []
    products = Product.objects.values_list("shop_id", "sku", "price", "revision")
    for shop_id, sku, price, revision in products:
        key = (shop_id, sku)
        expected = catalogue.parse_price(last_price.get(key, "0"))
        if price != expected or revision != applied[key]:
            problems.append(
                f"product {sku} of shop {shop_id}: price {price} after "
                f"{revision} revisions, expected {expected} after {applied[key]}"
            )
    missing = len(last_price) - products.count()
    if missing:
        problems.append(f"{missing} products with processed updates do not exist")
    return problems[:5]


def check_ledger() -> list[str]:
    """Differences between the ledger and the PROCESSED bookings in id order."""
    from shop.models import LedgerEntry, LedgerJob

    bookings = list(
        LedgerJob.objects.filter(status="PROCESSED")
        .order_by("pk")
        .values_list("text", "amount")
    )
    entries = list(
        LedgerEntry.objects.order_by("pk").values_list("text", "amount", "balance")
    )
    if [(text, amount) for text, amount, _ in entries] != bookings:
        return ["the ledger's entries are not the processed bookings in id order"]
    balance = Decimal(0)
    for text, amount, recorded in entries:
        balance += amount
        if recorded != balance:
            return [f"ledger entry {text!r}: balance {recorded}, expected {balance}"]
    return []


def verify(batch: Batch, counts: dict[str, dict[str, int]]) -> list[str]:
    """Everything that is not as planned; empty when all is well."""
    return [*check_statuses(batch, counts), *check_products(), *check_ledger()]
