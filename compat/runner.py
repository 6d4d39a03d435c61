"""``just compat``: observe every target on every database, diff each
original against ours, and fail on any difference not in differences.toml
(and on stale entries, and on an out-of-date README list)."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from compat import readme, report
from compat.diff import diff
from compat.differences import Comparison, load, unlisted_and_stale
from compat.observers import Run, observe_all
from compat.targets import Target
from compat.venvs import VenvError, ensure_venv

__all__ = ["REPO", "Options", "run"]

REPO = Path(__file__).resolve().parent.parent
#: Venvs and observations; CI points it outside its fresh clone to keep them.
CACHE = Path(os.environ.get("PARVIRAPTOR_COMPAT_CACHE") or REPO / ".compat-venvs")
DIFFERENCES = REPO / "compat" / "differences.toml"
README = REPO / "README.md"


@dataclass
class Options:
    targets: list[Target]
    databases: list[str]
    parallel: int = 3
    only: str = ""
    keep_databases: bool = False
    failures: list[str] = field(default_factory=list)


def run(options: Options, out=sys.stdout) -> int:
    entries = load(DIFFERENCES)
    runs = _prepared_runs(options)
    started = time.monotonic()
    observe_all(runs, options.parallel, options.only, options.keep_databases)
    options.failures += [r.failure for r in runs if r.failure]
    comparisons = _comparisons(runs)
    unlisted, stale = unlisted_and_stale(entries, comparisons)
    if options.only:  # a partial run cannot tell a stale entry
        stale = []
    report.print_unlisted(unlisted, options.databases, out)
    report.print_stale(stale, out)
    for failure in options.failures:
        print(f"FAILED: {failure}", file=out)
    readme_ok = readme.is_current(README, entries)
    if not readme_ok:
        print(
            "README.md's list of intended differences is out of date: run `just compat-readme`",
            file=out,
        )
    total = sum(len(c.found) for c in comparisons)
    count = sum(len(found) for found in unlisted.values())
    print(
        f"\n{report.summary(total, count, len(stale), options.failures)} ({time.monotonic() - started:.0f}s)",
        file=out,
    )
    return 0 if not (unlisted or stale or options.failures) and readme_ok else 1


def _prepared_runs(options: Options) -> list[Run]:
    runs = []
    out_dir = CACHE / "observations"
    out_dir.mkdir(parents=True, exist_ok=True)
    for target in options.targets:
        try:
            python = ensure_venv(CACHE, target, REPO / "dist")
        except VenvError as exc:
            options.failures.append(f"{target.name}: {exc}")
            continue
        for database in options.databases:
            runs.append(
                Run(
                    target, database, python, out_dir / f"{target.name}-{database}.json"
                )
            )
    return runs


def _comparisons(runs: list[Run]) -> list[Comparison]:
    ours = {
        r.database: r.observation
        for r in runs
        if r.target.from_wheels and r.observation
    }
    return [
        Comparison(r.target.label, r.database, diff(r.observation, ours[r.database]))
        for r in runs
        if r.target.is_original and r.observation and r.database in ours
    ]
