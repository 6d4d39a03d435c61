"""The chaos run's report: jobs, faults, invariants, durations."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from django.db.models import Count

from chaos.faults import Injector
from chaos.fleet import Fleet
from chaos.invariants import (
    Run,
    check_all,
    load_jobs,
    load_runs,
    table,
    uncounted_reruns,
)
from chaos.jobs import models

LOG_MARKERS = {
    "jobs recovered from lost workers": "recovered from lost worker",
    "'results dropped' warnings (incl. recovery races)": "results (",
    "heartbeat rows not removed at exit": "could not remove heartbeat rows",
    "claims given back after a DB error": "gave back",
    "worker log lines 'database error'": "database error",
    "tracebacks in worker logs": "Traceback",
}


def _statuses(name: str) -> str:
    rows = getattr(models, name).objects.values("status").annotate(n=Count("pk"))
    return ", ".join(f"{r['status']} {r['n']}" for r in rows.order_by("status"))


def _recovery_gaps(runs: dict[tuple[str, int], list[Run]]) -> list[float]:
    """Seconds from a kill to the next attempt of the killed attempt's job."""
    gaps = []
    for attempts in runs.values():
        for earlier, later in itertools.pairwise(attempts):
            if earlier.how == "killed":
                gaps.append(later.start - earlier.end)
    return gaps


def _log_counts(logs: Path) -> dict[str, int]:
    counts = dict.fromkeys(LOG_MARKERS, 0)
    for path in logs.glob("*.log"):
        for line in path.read_text(errors="replace").splitlines():
            for label, marker in LOG_MARKERS.items():
                if marker in line:
                    counts[label] += 1
    return counts


def report(
    config: Any,
    before: dict[str, int],
    fleet: Fleet,
    injector: Injector,
    durations: dict[str, float],
    logs: Path,
) -> bool:
    """Print the report; True when every invariant held."""
    jobs = {name: load_jobs(getattr(models, name)) for name in before}
    runs = load_runs(fleet.history, logs)
    checks = check_all(before, jobs, runs, fleet.history)
    how = Counter(a.how for attempts in runs.values() for a in attempts)
    gaps = _recovery_gaps(runs)
    print(
        f"\n## chaos run: {config.db}, {sum(before.values())} jobs, seed {config.seed}"
    )
    print("\n### jobs")
    for name, count in before.items():
        kinds = Counter(r["kind"] for r in jobs[name])
        print(f"- {name}: {count} ({dict(kinds)}) -> {_statuses(name)}")
    print(
        f"- keys (per-key queue): {len({r['key_no'] for r in jobs['ChaosKeyedJob']})}"
    )
    print("\n### faults injected")
    for label, count in sorted(injector.counts.items()):
        print(f"- {label}: {count}")
    for downtime in injector.restarts:
        print(f"- server restart took {downtime:.2f}s")
    missed = injector.missed()
    print(f"- scheduled but never injected: {missed or 'nothing'}")
    print(f"- worker processes started in all: {len(fleet.history)}")
    unexpected = [
        w for w in fleet.history.values() if w.returncode not in (0, -9, None)
    ]
    print(
        "- workers ending with a status other than 0 / -9: "
        f"{[(w.pid, w.seat.model, w.returncode) for w in unexpected]}"
    )
    print("\n### attempts")
    print(f"- attempts: {sum(how.values())} ({dict(how)})")
    max_errors = max(
        (r["error_count"] for rows in jobs.values() for r in rows), default=0
    )
    print(f"- highest error_count: {max_errors}")
    if gaps:
        print(
            f"- kill -> next attempt of that job: min {min(gaps):.2f}s, "
            f"median {statistics.median(gaps):.2f}s, max {max(gaps):.2f}s ({len(gaps)})"
        )
    uncounted = uncounted_reruns(jobs, runs)
    print(
        f"- re-runs not counted in error_count (attempts > error_count + 1): "
        f"{len(uncounted)} {uncounted[:5]}"
    )
    for label, count in _log_counts(logs).items():
        print(f"- {label}: {count}")
    print("\n### invariants")
    print(table(checks))
    print("\n### durations")
    for label, seconds in durations.items():
        print(f"- {label}: {seconds:.1f}s")
    return not missed and not any(check.violations for check in checks)
