"""The shop's three job queues, one per ordering kind.

``ProductSyncJob``  FIFO per (shop, sku): the updates of one product apply
                    in the order they were queued; other products in parallel.
``MailJob``         independent: any order, all in parallel.
``LedgerJob``       one strict FIFO: each booking sees the balance before it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import models

from parviraptor.exceptions import IgnoreJob, InvalidJobError
from parviraptor.models import AbstractJobFactory

from shop.catalogue import CatalogueUnavailable, catalogue


class QueuedBy(models.Model):
    """Who queued a job (a user, an import, a test): for the audit trail."""

    queued_by = models.CharField(max_length=100, default="shop")

    class Meta:
        abstract = True


class ProductSyncJob(QueuedBy, AbstractJobFactory.make_base_class(["shop", "sku"])):
    """Apply a price from the supplier and fetch the current stock."""

    shop = models.ForeignKey("shop.Shop", on_delete=models.CASCADE)
    sku = models.CharField(max_length=40)
    price = models.CharField(max_length=20, help_text="as the supplier sent it")

    def process(self) -> None:
        from shop.models import Product

        try:
            price = catalogue.parse_price(self.price)
        except ArithmeticError:
            raise InvalidJobError(f"price {self.price!r} is not a number") from None
        try:
            stock = catalogue.stock_of(self.sku)
        except CatalogueUnavailable as exc:
            self.raise_temporary_failure(str(exc))
        product, _ = Product.objects.get_or_create(shop=self.shop, sku=self.sku)
        product.price = price
        product.stock = stock
        product.revision += 1
        product.save()


class MailJob(QueuedBy, AbstractJobFactory.make_base_class(None)):
    """Send one e-mail."""

    recipient = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True, default="")

    def process(self) -> None:
        try:
            validate_email(self.recipient)
        except Exception:
            raise InvalidJobError(f"{self.recipient!r} is no e-mail address") from None
        send_mail(self.subject, self.body, settings.SHOP_MAIL_SENDER, [self.recipient])


class LedgerJob(QueuedBy, AbstractJobFactory.make_base_class([])):
    """Book an amount; a booking that would overdraw the account is ignored."""

    text = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    def process(self) -> None:
        from shop.models import LedgerEntry

        last = LedgerEntry.objects.order_by("-pk").first()
        balance = (last.balance if last else Decimal(0)) + Decimal(self.amount)
        if balance < 0:
            raise IgnoreJob(f"would overdraw the account to {balance}")
        LedgerEntry.objects.create(text=self.text, amount=self.amount, balance=balance)
