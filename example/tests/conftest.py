"""Fixtures of the shop's tests; parviraptor's come from its pytest plugin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shop.catalogue import catalogue


@pytest.fixture(autouse=True)
def supplier() -> Iterator:
    """The supplier catalogue, answering and with nothing in stock, per test."""
    catalogue.stock.clear()
    catalogue.unavailable = False
    yield catalogue
    catalogue.stock.clear()
    catalogue.unavailable = False
