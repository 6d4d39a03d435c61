"""The shop's data: shops, their products and a ledger of bookings.

The job queues that change them live in ``shop.jobs``.
"""

from __future__ import annotations

from django.db import models


class Shop(models.Model):
    name = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    sku = models.CharField(max_length=40)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    stock = models.IntegerField(default=0)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku"], name="unique_sku_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.shop}/{self.sku}"


class LedgerEntry(models.Model):
    """One booking; ``balance`` is the running total after it."""

    text = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    balance = models.DecimalField(max_digits=12, decimal_places=2)

    def __str__(self) -> str:
        return f"{self.text}: {self.amount} -> {self.balance}"


from shop.jobs import LedgerJob, MailJob, ProductSyncJob  # noqa: E402

__all__ = ["LedgerEntry", "LedgerJob", "MailJob", "Product", "ProductSyncJob", "Shop"]
