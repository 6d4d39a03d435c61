"""``differences.toml``: the intended differences from the original, and
matching the found differences against them.

Each entry is listed once::

    [[difference]]
    id = "health-text-plain"
    originals = ["2.2.2", "4.1"]          # which original(s) it concerns
    databases = ["mariadb"]               # optional; default: every database
    scenario = "urls"
    paths = ["*/queue-monitoring/.body"]  # fnmatch patterns ("*" spans dots)
    what = "..."                          # what differs, for the README
    reason = "..."                        # why ours differs on purpose

An entry whose difference shows in several scenarios has, instead of
``scenario`` and ``paths``, one ``[[difference.match]]`` table (with
``scenario`` and ``paths``) per scenario.

A difference no scenario observes (an error path, a refused value, a race)
names instead the tests of our suite that pin our behaviour:
``covered_by = ["packages/<pkg>/tests/test_x.py::test_name", ...]``; each
must exist. Such an entry is never stale.

A found difference is intended when an entry of its original (and
database) has its scenario and a path pattern matching its path. An entry
that matches nothing in a run where it applies is stale, and an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

import tomllib

from compat.diff import Difference

__all__ = [
    "Comparison",
    "DifferenceListError",
    "Intended",
    "load",
    "unlisted_and_stale",
]

REQUIRED = ("id", "originals", "what", "reason")
ORIGINALS = ("2.2.2", "4.1")


class DifferenceListError(ValueError):
    """``differences.toml`` is malformed (one line saying where)."""


@dataclass(frozen=True)
class Intended:
    id: str
    originals: tuple[str, ...]
    #: (scenario, path patterns) pairs
    matchers: tuple[tuple[str, tuple[str, ...]], ...]
    what: str
    reason: str
    databases: tuple[str, ...] = field(default=())
    covered_by: tuple[str, ...] = field(default=())

    def applies_to(self, original: str, database: str) -> bool:
        return original in self.originals and (
            not self.databases or database in self.databases
        )

    def matches(self, found: Difference) -> bool:
        return any(
            found.scenario == scenario
            and any(fnmatchcase(found.path, p) for p in paths)
            for scenario, paths in self.matchers
        )


def load(path: Path) -> list[Intended]:
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DifferenceListError(f"{path}: {exc}") from None
    entries = [
        _entry(raw, path, n) for n, raw in enumerate(data.get("difference", []), 1)
    ]
    ids = [entry.id for entry in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DifferenceListError(f"{path}: ids listed twice: {', '.join(duplicates)}")
    return entries


def _entry(raw: dict, path: Path, number: int) -> Intended:
    missing = [key for key in REQUIRED if not raw.get(key)]
    if missing:
        raise DifferenceListError(
            f"{path}: difference #{number} lacks {', '.join(missing)}"
        )
    unknown = [o for o in raw["originals"] if o not in ORIGINALS]
    if unknown:
        raise DifferenceListError(f"{path}: {raw['id']}: unknown original(s) {unknown}")
    return Intended(
        id=raw["id"],
        originals=tuple(raw["originals"]),
        matchers=_matchers(raw, path),
        what=raw["what"].strip(),
        reason=raw["reason"].strip(),
        databases=tuple(raw.get("databases", ())),
        covered_by=_covered_by(raw, path),
    )


def _covered_by(raw: dict, path: Path) -> tuple[str, ...]:
    """The tests named by ``covered_by``; each file must define its test."""
    tests = tuple(raw.get("covered_by", ()))
    for test in tests:
        file, _, name = test.partition("::")
        source = path.parent.parent / file
        if not name or not source.is_file() or f"def {name}(" not in source.read_text():
            raise DifferenceListError(f"{path}: {raw['id']}: no test {test}")
    return tests


def _matchers(raw: dict, path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    tables = raw.get("match", []) + ([raw] if "scenario" in raw else [])
    if not tables and raw.get("covered_by"):
        return ()
    if not tables or any(not t.get("scenario") or not t.get("paths") for t in tables):
        raise DifferenceListError(
            f"{path}: {raw['id']}: give scenario and paths (or [[difference.match]] tables)"
        )
    return tuple((t["scenario"], tuple(t["paths"])) for t in tables)


@dataclass
class Comparison:
    """The differences of one original against ours on one database."""

    original: str
    database: str
    found: list[Difference]


def unlisted_and_stale(
    entries: list[Intended], comparisons: Iterable[Comparison]
) -> tuple[dict[tuple[str, str], list[Difference]], list[str]]:
    """Differences no entry explains (per original and database), and stale entries."""
    unlisted: dict[tuple[str, str], list[Difference]] = {}
    used: dict[str, set[tuple[str, str]]] = {e.id: set() for e in entries}
    applied: dict[str, set[tuple[str, str]]] = {e.id: set() for e in entries}
    for comparison in comparisons:
        where = (comparison.original, comparison.database)
        relevant = [e for e in entries if e.matchers and e.applies_to(*where)]
        for entry in relevant:
            applied[entry.id].add(where)
        for found in comparison.found:
            matching = [e for e in relevant if e.matches(found)]
            for entry in matching:
                used[entry.id].add(where)
            if not matching:
                unlisted.setdefault(where, []).append(found)
    stale = [
        f"{entry_id}: matches nothing on {', '.join('/'.join(w) for w in sorted(places - used[entry_id]))}"
        for entry_id, places in applied.items()
        if places - used[entry_id]
    ]
    return unlisted, stale
