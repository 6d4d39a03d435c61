"""Printing what a run found: unlisted differences (the to-do list), stale
entries, and a one-line summary."""

from __future__ import annotations

from collections import defaultdict

from compat.diff import Difference

Found = dict[tuple[str, str], list[Difference]]


def merged(unlisted: Found) -> dict[str, dict[str, dict[str, list[str]]]]:
    """original -> scenario -> difference line -> the databases it was found on."""
    grouped: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for (original, database), found in sorted(unlisted.items()):
        for difference in found:
            line = f"{difference.path}: original {difference.expected!r} | ours {difference.actual!r}"
            grouped[original][difference.scenario][line].append(database)
    return grouped


def print_unlisted(unlisted: Found, databases: list[str], out) -> None:
    for original, scenarios in merged(unlisted).items():
        print(
            f"\n== differences from parviraptor {original} not in differences.toml",
            file=out,
        )
        for scenario, lines in scenarios.items():
            print(f"-- {scenario}", file=out)
            for line, found_on in lines.items():
                where = (
                    ""
                    if len(found_on) == len(databases)
                    else f"  [{', '.join(found_on)} only]"
                )
                print(f"   {line}{where}", file=out)


def print_stale(stale: list[str], out) -> None:
    if stale:
        print(
            "\n== stale entries of compat/differences.toml (they match no difference)",
            file=out,
        )
        for line in stale:
            print(f"   {line}", file=out)


def summary(total: int, unlisted: int, stale: int, failures: list[str]) -> str:
    parts = [
        f"{total} differences",
        f"{total - unlisted} intended",
        f"{unlisted} unlisted",
        f"{stale} stale entries",
    ]
    if failures:
        parts.append(f"{len(failures)} runs failed")
    return "compat: " + ", ".join(parts)
