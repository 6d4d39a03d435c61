"""URL names: ours and the original's (issue 11, item 6)."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import Client
from django.urls import resolve, reverse

NAMES = {
    "queue-monitoring": "parviraptor-queue-monitoring",
    "open-queue-entries": "parviraptor-open-queue-entries",
}


@pytest.mark.parametrize("original,ours", NAMES.items())
def test_both_names_reverse_to_the_same_path(original: str, ours: str) -> None:
    assert reverse(original) == reverse(ours) == f"/{original}/"


@pytest.mark.parametrize("original", NAMES)
def test_resolving_gives_the_original_name(original: str) -> None:
    assert resolve(f"/{original}/").url_name == original


def test_url_tag_with_the_original_names() -> None:
    template = engines["django"].from_string(
        "{% url 'queue-monitoring' %} {% url 'open-queue-entries' %}"
    )
    assert template.render({}) == "/queue-monitoring/ /open-queue-entries/"


@pytest.mark.django_db
@pytest.mark.parametrize("original", NAMES)
def test_the_original_names_serve_the_pages(client: Client, original: str) -> None:
    assert client.get(reverse(original)).status_code == 200
