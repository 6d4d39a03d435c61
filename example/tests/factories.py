"""Jobs for the generated all-queues test."""

from __future__ import annotations

from decimal import Decimal

from parviraptor.test import JobEntryFactory

from shop.models import LedgerJob, MailJob, ProductSyncJob, Shop


class ShopJobs(JobEntryFactory):
    """A realistic mix per queue: several updates per product, a few mails,
    bookings that never overdraw."""

    def build_jobs(self, job_class):
        if job_class is ProductSyncJob:
            shops = [Shop.objects.create(name=f"shop {n}") for n in range(2)]
            return [
                ProductSyncJob(shop=shop, sku=f"sku-{n % 3}", price=f"{n}.50")
                for shop in shops
                for n in range(9)
            ]
        if job_class is MailJob:
            return [
                MailJob(recipient=f"customer{n}@example.com", subject="Your order")
                for n in range(6)
            ]
        if job_class is LedgerJob:
            return [
                LedgerJob(text=f"booking {n}", amount=Decimal(10 - n)) for n in range(8)
            ]
        return []
