"""A real ``manage.py process_queue`` worker running beside the test."""

from __future__ import annotations

import pytest

from shop.models import Product, ProductSyncJob, Shop

pytestmark = pytest.mark.slow


def test_live_worker_syncs_products(queue_worker_process, wait_for_jobs) -> None:
    queue_worker_process(ProductSyncJob, concurrency=2)
    shop = Shop.objects.create(name="north")
    for price in ("1.00", "2.00", "3.00"):
        for sku in ("chair", "table"):
            ProductSyncJob.objects.create(shop=shop, sku=sku, price=price)

    wait_for_jobs(ProductSyncJob, "PROCESSED", timeout=30)

    assert {(p.sku, str(p.price), p.revision) for p in Product.objects.all()} == {
        ("chair", "3.00", 3),
        ("table", "3.00", 3),
    }
    # at the end of the test the worker gets SIGTERM and must exit 0
