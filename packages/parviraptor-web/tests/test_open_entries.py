"""``open-queue-entries/``: the table structure and the open counts."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from parviraptor.models import JobStatus
from parviraptor.utils import enumerate_job_models

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob

URL = "/open-queue-entries/"
pytestmark = pytest.mark.django_db


class TableParser(HTMLParser):
    """The rows of the page's first <table>: [(cell tag, text), ...] per row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []
        self.tables = 0
        self.cell: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self.tables += 1
        elif tag == "tr" and self.tables == 1:
            self.rows.append([])
        elif tag in ("td", "th") and self.tables == 1:
            self.cell, self.text = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell:
            self.rows[-1].append((self.cell, self.text.strip()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell:
            self.text += data


def table_rows(html: str) -> list[list[tuple[str, str]]]:
    parser = TableParser()
    parser.feed(html)
    return parser.rows


def test_table_of_open_counts(staff_client: Client, make_job: Any) -> None:
    make_job(IndependentJob)
    make_job(IndependentJob, status=JobStatus.PROCESSING)
    make_job(IndependentJob, status=JobStatus.FAILED)
    make_job(IndependentJob, status=JobStatus.DEFERRED)
    make_job(KeyedJob, shop=1, product=1)
    make_job(FifoJob, status=JobStatus.PROCESSED)
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    rows = table_rows(response.content.decode())
    header, *body = rows
    assert header and all(tag == "th" for tag, _ in header)
    assert all([tag for tag, _ in row] == ["td", "td"] for row in body)
    # the original's markup, cell for cell: scrapers match on it
    assert "<tr><td>IndependentJob</td><td>2</td></tr>" in response.content.decode()
    counts = {name: int(count) for (_, name), (_, count) in body}
    assert counts == {
        model.__name__: {"IndependentJob": 2, "KeyedJob": 1}.get(model.__name__, 0)
        for model in enumerate_job_models()
    }


def test_styled(staff_client: Client) -> None:
    html = staff_client.get(URL).content.decode()
    assert re.search(r"<style>.+</style>", html, re.S)


def test_public_by_default(client: Client, plain_client: Client) -> None:
    """As in the original parviraptor: no login needed."""
    rows = table_rows(client.get(URL).content.decode())
    assert [name for _, name in rows[0]] == ["job class name", "open entries"]
    assert plain_client.get(URL).status_code == 200


def test_can_be_closed(client: Client, plain_client: Client, settings: Any) -> None:
    settings.PARVIRAPTOR_WEB_ACCESS = {"open-queue-entries": "staff"}
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"] and "next=" in response["Location"]
    assert plain_client.get(URL).status_code == 403


def test_one_query_per_queue(
    staff_client: Client, django_assert_max_num_queries: Any
) -> None:
    staff_client.get(URL)  # session and user cached in the client's first request
    with django_assert_max_num_queries(len(enumerate_job_models()) + 2):
        staff_client.get(URL)
