"""parviraptor's pages are served exactly where parviraptor-web is installed.

``SHOP_EXPECT_WEB=1`` (or ``0``) makes the test insist on either; without it
the test follows what is installed.
"""

from __future__ import annotations

import importlib.util
import os

import pytest
from django.urls import reverse

WEB = importlib.util.find_spec("parviraptor.web") is not None


def test_installation_is_as_expected() -> None:
    expected = os.environ.get("SHOP_EXPECT_WEB")
    if expected is None:
        pytest.skip("SHOP_EXPECT_WEB is not set")
    assert WEB is (expected == "1")


@pytest.mark.skipif(not WEB, reason="parviraptor-web is not installed")
@pytest.mark.django_db
def test_queue_pages_are_served(client, admin_client) -> None:
    response = client.get(reverse("queue-monitoring"))  # the original's URL name
    assert response.status_code == 200
    assert response.content.decode() == "Alles OK"
    entries = client.get("/open-queue-entries/")  # public, as the health text
    assert entries.status_code == 200
    assert "<td>ProductSyncJob</td>" in entries.content.decode()
    assert admin_client.get("/queue-dashboard/").status_code == 200
    metrics = admin_client.get("/queue-metrics/").content.decode()
    assert 'queue="LedgerJob"' in metrics


@pytest.mark.skipif(WEB, reason="parviraptor-web is installed")
def test_no_queue_pages_without_parviraptor_web(client) -> None:
    assert client.get("/queue-monitoring/").status_code == 404
