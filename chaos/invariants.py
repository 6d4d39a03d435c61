"""The invariants a chaos run must keep, judged from the final tables.

An attempt's interval starts at its recorded start and ends at its recorded
end; an attempt without an end is open until its process noted it abandoned
(an end it could not write, kept in a file), was killed or exited. Times are
seconds since the epoch (the database runs on this host's clock).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chaos.fleet import Worker
from chaos.jobs.models import PERMANENT_FAILURE, Attempt
from parviraptor.models import JobStatus
from parviraptor.worker.sequencing import DEPENDENT_JOBS_FAILED

OPEN = set(JobStatus.open_statuses())


@dataclass
class Check:
    """One row of the table: what was checked, how often, what broke."""

    name: str
    checked: int = 0
    violations: list[str] = field(default_factory=list)

    def fail(self, detail: str) -> None:
        self.violations.append(detail)


@dataclass(frozen=True)
class Run:
    """One attempt, with its interval resolved."""

    pid: int
    start: float
    end: float
    how: str  # ended | aborted | killed | exited | open
    outcome: str


Abandoned = dict[tuple[str, int, int], list[float]]

# Seconds after an attempt's recorded end within which its process may
# still learn that the commit of that end failed (a server restart).
ACK_WINDOW = 5.0


def load_abandoned(folder: Path) -> Abandoned:
    """(queue, job id, pid) -> times the process gave an attempt up."""
    found: Abandoned = defaultdict(list)
    for path in folder.glob("abandoned-*.txt"):
        for line in path.read_text().splitlines():
            queue, job_id, pid, at = line.split()
            found[(queue, int(job_id), int(pid))].append(float(at))
    return found


def resolve(
    attempt: dict[str, Any], history: dict[int, Worker], abandoned: Abandoned
) -> Run:
    start = attempt["started_at"].timestamp()
    key = (attempt["queue"], attempt["job_id"], attempt["pid"])
    given_up = [at for at in abandoned.get(key, []) if at >= start]
    if attempt["ended_at"] is not None:
        end = attempt["ended_at"].timestamp()
        outcome = attempt["outcome"]
        if outcome == "ok" and any(at <= end + ACK_WINDOW for at in given_up):
            # Its end committed, but the commit's answer was lost: the job
            # saw an error, failed for now and runs again. Not a success.
            outcome = "unacknowledged"
        how = "aborted" if outcome == "aborted" else "ended"
        return Run(attempt["pid"], start, end, how, outcome)
    if given_up:
        return Run(attempt["pid"], start, min(given_up), "aborted", "")
    worker = history.get(attempt["pid"])
    if worker is not None and worker.killed_at is not None:
        return Run(attempt["pid"], start, worker.killed_at, "killed", "")
    if worker is not None and worker.exited_at is not None:
        return Run(attempt["pid"], start, worker.exited_at, "exited", "")
    return Run(attempt["pid"], start, math.inf, "open", "")


def load_runs(
    history: dict[int, Worker], logs: Path
) -> dict[tuple[str, int], list[Run]]:
    abandoned = load_abandoned(logs)
    runs: dict[tuple[str, int], list[Run]] = defaultdict(list)
    rows = Attempt.objects.order_by("started_at", "pk").values()
    for row in rows.iterator(chunk_size=5000):
        runs[(row["queue"], row["job_id"])].append(resolve(row, history, abandoned))
    return runs


def load_jobs(model: Any) -> list[dict[str, Any]]:
    fields = ["pk", "status", "error_count", "error_message", "modification_date"]
    fields += ["kind"]
    if model.__name__ == "ChaosKeyedJob":
        fields.append("key_no")
    rows = list(model.objects.order_by("pk").values(*fields))
    for row in rows:
        row.setdefault("key_no", 0)
    return rows


def check_final(jobs: dict[str, list[dict[str, Any]]]) -> Check:
    check = Check("every job reached a final state")
    for name, rows in jobs.items():
        for row in rows:
            check.checked += 1
            if row["status"] in OPEN:
                check.fail(f"{name} #{row['pk']} is {row['status']}")
    return check


def check_overlaps(runs: dict[tuple[str, int], list[Run]]) -> Check:
    check = Check("no two attempts of one job overlapped in time")
    for (queue, pk), attempts in runs.items():
        check.checked += 1
        for earlier, later in itertools.pairwise(attempts):
            if later.start < earlier.end:
                check.fail(
                    f"{queue} #{pk}: attempt by {later.pid} started "
                    f"{earlier.end - later.start:.3f}s before the one by "
                    f"{earlier.pid} ended ({earlier.how})"
                )
    return check


def _killed(run: Run, history: dict[int, Worker]) -> bool:
    worker = history.get(run.pid)
    return worker is not None and worker.killed_at is not None


def check_explained(
    jobs: dict[str, list[dict[str, Any]]],
    runs: dict[tuple[str, int], list[Run]],
    history: dict[int, Worker],
) -> Check:
    """Attempts <= 1 + error_count + kills of its workers; likewise successes."""
    check = Check("no job ran more often than failures and recoveries explain")
    for name, rows in jobs.items():
        for row in rows:
            attempts = runs.get((name, row["pk"]), [])
            check.checked += 1
            label = f"{name} #{row['pk']}"
            kills = sum(_killed(a, history) for a in attempts)
            if len(attempts) > 1 + row["error_count"] + kills:
                check.fail(
                    f"{label}: {len(attempts)} attempts, error_count "
                    f"{row['error_count']}, {kills} killed"
                )
            successes = [a for a in attempts if a.outcome == "ok"]
            explained = sum(_killed(a, history) for a in successes)
            if len(successes) > 1 + explained:
                check.fail(
                    f"{label}: {len(successes)} successful attempts, "
                    f"{explained} explained by kills"
                )
            if row["status"] == JobStatus.PROCESSED and not successes:
                check.fail(f"{label}: PROCESSED without a successful attempt")
    return check


def uncounted_reruns(
    jobs: dict[str, list[dict[str, Any]]], runs: dict[tuple[str, int], list[Run]]
) -> list[str]:
    """Jobs that ran more often than error_count + 1: a re-run nobody counted."""
    found = []
    for name, rows in jobs.items():
        for row in rows:
            attempts = runs.get((name, row["pk"]), [])
            if len(attempts) > row["error_count"] + 1:
                found.append(
                    f"{name} #{row['pk']} ({len(attempts)}x, e={row['error_count']})"
                )
    return found


def _by_key(rows: list[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
    keys: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        keys[row["key_no"]].append(row)
    return keys


def check_key_order(
    jobs: dict[str, list[dict[str, Any]]], runs: dict[tuple[str, int], list[Run]]
) -> Check:
    """Per key: completion order is id order; a job starts only after every
    earlier job succeeded once; no two attempts of the key at the same time."""
    check = Check("per-key completion order = id order, no interleaved attempts")
    for name in ("ChaosFifoJob", "ChaosKeyedJob"):
        for key, rows in _by_key(jobs[name]).items():
            check.checked += 1
            label = f"{name} key {key}"
            done = [r for r in rows if r["status"] == JobStatus.PROCESSED]
            by_completion = sorted(
                done, key=lambda r: (r["modification_date"], r["pk"])
            )
            if [r["pk"] for r in by_completion] != [r["pk"] for r in done]:
                check.fail(f"{label}: completed out of id order")
            _check_starts(
                check, label, [(r["pk"], runs.get((name, r["pk"]), [])) for r in rows]
            )
    return check


def _check_starts(check: Check, label: str, jobs: list[tuple[int, list[Run]]]) -> None:
    done_at, done_pk = -math.inf, None
    for pk, attempts in jobs:
        if not attempts:
            continue
        first = min(a.start for a in attempts)
        if first < done_at:
            check.fail(
                f"{label}: #{pk} started {done_at - first:.3f}s before #{done_pk} "
                "first succeeded"
            )
        ends = [a.end for a in attempts if a.outcome == "ok"] or [
            max(a.end for a in attempts)
        ]
        done_at, done_pk = max(done_at, min(ends)), pk
    every = sorted(
        ((a, pk) for pk, attempts in jobs for a in attempts), key=lambda x: x[0].start
    )
    for (earlier, epk), (later, lpk) in itertools.pairwise(every):
        if later.start < earlier.end:
            check.fail(
                f"{label}: #{lpk} ran while #{epk} ran "
                f"({earlier.end - later.start:.3f}s overlap, {earlier.how})"
            )


def check_dependents(
    jobs: dict[str, list[dict[str, Any]]], runs: dict[tuple[str, int], list[Run]]
) -> Check:
    """Per key: PROCESSED up to the first failing job, FAILED from there on."""
    check = Check("a FAILED job's later same-key jobs are 'dependent jobs failed'")
    for name in ("ChaosFifoJob", "ChaosKeyedJob"):
        for key, rows in _by_key(jobs[name]).items():
            failed_at = None
            for row in rows:
                label = f"{name} key {key} #{row['pk']}"
                if failed_at is not None:
                    check.checked += 1
                    if row["status"] != JobStatus.FAILED or (
                        row["error_message"] != DEPENDENT_JOBS_FAILED
                    ):
                        check.fail(f"{label}: {row['status']} {row['error_message']!r}")
                    if runs.get((name, row["pk"])):
                        check.fail(f"{label}: ran after #{failed_at} FAILED")
                elif row["status"] == JobStatus.FAILED:
                    failed_at = row["pk"]
    return check


def check_outcomes(jobs: dict[str, list[dict[str, Any]]]) -> Check:
    """Every job ended as its behaviour says (independent of the faults)."""
    check = Check("every job ended as designed (PROCESSED / FAILED)")
    for name, rows in jobs.items():
        for key_rows in (
            _by_key(rows).values() if name != "ChaosIndependentJob" else [rows]
        ):
            broken = False
            for row in key_rows:
                check.checked += 1
                if broken:
                    continue  # judged by check_dependents
                if row["kind"] == "fail":
                    expected = (JobStatus.FAILED, PERMANENT_FAILURE)
                    broken = name != "ChaosIndependentJob"
                else:
                    expected = (JobStatus.PROCESSED, "")
                # A cleared message is NULL (as the original wrote it) or "".
                actual = (row["status"], row["error_message"] or "")
                if actual != expected:
                    check.fail(f"{name} #{row['pk']}: {actual} instead of {expected}")
    return check


def check_counts(
    before: dict[str, int],
    jobs: dict[str, list[dict[str, Any]]],
    runs: dict[tuple[str, int], list[Run]],
) -> Check:
    check = Check("job counts before = after; attempts only of known jobs")
    known = set()
    for name, rows in jobs.items():
        check.checked += 1
        if before[name] != len(rows):
            check.fail(f"{name}: {before[name]} before, {len(rows)} after")
        known.update((name, row["pk"]) for row in rows)
    for key in runs:
        if key not in known:
            check.fail(f"attempt of unknown job {key}")
    return check


def check_all(
    before: dict[str, int],
    jobs: dict[str, list[dict[str, Any]]],
    runs: dict[tuple[str, int], list[Run]],
    history: dict[int, Worker],
) -> list[Check]:
    return [
        check_final(jobs),
        check_overlaps(runs),
        check_explained(jobs, runs, history),
        check_key_order(jobs, runs),
        check_dependents(jobs, runs),
        check_outcomes(jobs),
        check_counts(before, jobs, runs),
    ]


def table(checks: list[Check], details: int = 5) -> str:
    lines = ["| invariant | checked | violations |", "|---|---:|---:|"]
    for check in checks:
        lines.append(f"| {check.name} | {check.checked} | {len(check.violations)} |")
    for check in checks:
        for detail in check.violations[:details]:
            lines.append(f"  ! {check.name}: {detail}")
        if len(check.violations) > details:
            lines.append(f"  ! ... and {len(check.violations) - details} more")
    return "\n".join(lines)
