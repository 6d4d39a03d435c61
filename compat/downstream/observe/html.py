"""Reading responses: a page's text and its tables, whatever the markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script", "title")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script", "title") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    """The visible text, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    return collapse(" ".join(parser.parts))


class _Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []
        self.cell: list[str] | None = None
        self.cell_tag = ""

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.cell, self.cell_tag = [], tag

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append((self.cell_tag, collapse("".join(self.cell))))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_of(html: str) -> dict:
    """The first table: how many header cells, and its data rows (sorted)."""
    parser = _Table()
    parser.feed(html)
    if not parser.rows:
        return {"found": False}
    header, *body = parser.rows
    return {
        "found": True,
        "header_cells": [tag for tag, _ in header],
        "rows": {row[0][1]: [text for _, text in row[1:]] for row in body if row},
    }
