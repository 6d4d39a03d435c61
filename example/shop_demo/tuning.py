"""How the demo changes the shop's behaviour, driven by settings.

``SHOP_DEMO_BACKOFF_SECONDS``  every shop queue retries a temporary failure
                               after this many seconds (CONSTANT backoff)
                               instead of the default 2 minutes and more.
``SHOP_DEMO_FLAKY_SKU_PREFIX`` products whose SKU starts with it come from a
                               flaky supplier: the first stock lookup of each
                               such product in a worker process times out.

Greylisting of e-mail is the job of ``shop_demo.mail.GreylistingBackend``.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings

from parviraptor.models.abstract import BackoffStrategy

from shop.catalogue import Catalogue, CatalogueUnavailable, catalogue
from shop.models import LedgerJob, MailJob, ProductSyncJob


class FlakySupplierCatalogue(Catalogue):
    """A catalogue whose first answer per flaky product is a timeout."""

    flaky_prefix: str = ""
    seen: set[str]

    def stock_of(self, sku: str) -> int:
        flaky = bool(self.flaky_prefix) and sku.startswith(self.flaky_prefix)
        if flaky and sku not in self.seen:
            self.seen.add(sku)
            raise CatalogueUnavailable(f"supplier timed out looking up {sku}")
        return super().stock_of(sku)


def apply_tuning() -> None:
    """Shorten the backoff of the shop's queues and make the supplier flaky."""
    step_minutes = float(settings.SHOP_DEMO_BACKOFF_SECONDS) / 60
    for job_class in (ProductSyncJob, MailJob, LedgerJob):
        job_class.BACKOFF_STRATEGY = BackoffStrategy.CONSTANT
        job_class.BACKOFF_STEP_MINUTES = step_minutes

    # ``shop.jobs`` holds a reference to this very object: change its class.
    catalogue.__class__ = FlakySupplierCatalogue
    flaky = cast(FlakySupplierCatalogue, catalogue)
    flaky.flaky_prefix = settings.SHOP_DEMO_FLAKY_SKU_PREFIX
    flaky.seen = set()
