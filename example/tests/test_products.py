"""Product sync: FIFO per (shop, sku), retries when the supplier is down."""

from __future__ import annotations

import pytest

from shop.models import Product, ProductSyncJob, Shop


@pytest.mark.django_db(transaction=True)
def test_updates_of_each_product_apply_in_order(drain_queue, supplier) -> None:
    supplier.stock.update({"chair": 4, "table": 1})
    shops = [Shop.objects.create(name=name) for name in ("north", "south")]
    for shop in shops:
        for price in ("10.00", "12.50", "11.00"):
            for sku in ("chair", "table"):
                ProductSyncJob.objects.create(shop=shop, sku=sku, price=price)

    summary = drain_queue(ProductSyncJob, workers=4)

    assert summary.counts == {"PROCESSED": 12}, summary
    for product in Product.objects.all():
        # the last update wins, after all three were applied
        assert (str(product.price), product.revision) == ("11.00", 3)
    assert Product.objects.get(shop=shops[0], sku="chair").stock == 4


@pytest.mark.django_db
def test_supplier_outage_is_retried_later(drain_queue, supplier) -> None:
    supplier.unavailable = True
    shop = Shop.objects.create(name="north")
    job = ProductSyncJob.objects.create(shop=shop, sku="chair", price="5")

    summary = drain_queue(ProductSyncJob)

    job.refresh_from_db()
    assert summary.counts == {"NEW": 1}
    assert (job.error_count, job.error_message) == (1, "supplier catalogue timed out")
    assert job.not_before is not None  # not eligible before its backoff passed


@pytest.mark.django_db
def test_a_bad_price_fails_only_its_product(drain_queue) -> None:
    shop = Shop.objects.create(name="north")
    bad = ProductSyncJob.objects.create(shop=shop, sku="chair", price="ten")
    behind = ProductSyncJob.objects.create(shop=shop, sku="chair", price="10")
    ProductSyncJob.objects.create(shop=shop, sku="table", price="99")

    summary = drain_queue(ProductSyncJob)

    assert summary.counts == {"PROCESSED": 1, "FAILED": 2}
    assert [(job.pk, job.error_message) for job in summary.failed] == [
        (bad.pk, "price 'ten' is not a number"),
        (behind.pk, "dependent jobs failed"),
    ]
    assert Product.objects.get().sku == "table"
