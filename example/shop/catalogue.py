"""The supplier's catalogue the shop syncs from (a stand-in for an HTTP API).

Tests set what it answers; ``unavailable`` makes every call fail the way a
timeout would.
"""

from __future__ import annotations

from decimal import Decimal


class CatalogueUnavailable(Exception):
    """The supplier did not answer."""


class Catalogue:
    def __init__(self) -> None:
        self.stock: dict[str, int] = {}
        self.unavailable = False

    def stock_of(self, sku: str) -> int:
        if self.unavailable:
            raise CatalogueUnavailable("supplier catalogue timed out")
        return self.stock.get(sku, 0)

    @staticmethod
    def parse_price(text: str) -> Decimal:
        return Decimal(text).quantize(Decimal("0.01"))


catalogue = Catalogue()
