"""What must hold after the upgrade: pure functions of the observed facts.

Each check returns a ``Check``: its name, whether it held, and the details
that show why not. The names are what the report lists.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

__all__ = ["Check", "database_checks", "migration_check"]

FINISHED = ("PROCESSED", "FAILED", "IGNORED", "SQUASHED")
ORDERED = ("FifoJob", "KeyedJob")
BLOCK = "block"
ADDITIVE_SQL = re.compile(r"^(ALTER TABLE \S+ ADD COLUMN |CREATE INDEX )", re.I)


@dataclass
class Check:
    name: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def migration_check(ops: dict) -> Check:
    """makemigrations after the upgrade adds nullable columns and indexes only."""
    check = Check("makemigrations: only nullable AddField and AddIndex")
    if ops["migration"].startswith("0001"):
        check.problems.append("makemigrations wrote no upgrade migration")
    for op in ops["operations"]:
        additive = op["operation"] == "AddIndex" or (
            op["operation"] == "AddField" and op["null"]
        )
        if not additive:
            check.problems.append(
                f"{op['operation']} {op['model']}.{op['name']}: {op['field']}"
            )
    return check


def database_checks(facts) -> list[Check]:
    before, after = _rows(facts.before), _rows(facts.after)
    log = [(entry["queue"], entry["job_id"]) for entry in facts.after["log"]]
    return [
        _sqlmigrate_additive(facts.sqlmigrate),
        _workers_exit_zero(facts.workers),
        _open_jobs_processed(before, after),
        _old_processing_recovered(before, after, log),
        _blocked_job_not_overtaken(before, log),
        _per_key_order(before, log),
        _each_job_once(before, log),
        _finished_rows_untouched(before, after),
        _health_text(facts.after, facts.health),
    ]


def _rows(snapshot: dict) -> dict[tuple[str, int], dict]:
    return {
        (queue, row["id"]): row
        for queue, rows in snapshot["jobs"].items()
        for row in rows
    }


def _sqlmigrate_additive(sql: str) -> Check:
    check = Check("sqlmigrate: only ADD COLUMN and CREATE INDEX")
    for statement in _statements(sql):
        if not ADDITIVE_SQL.match(statement):
            check.problems.append(statement[:200])
    return check


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.startswith("--")]
    statements = [s.strip() for s in " ".join(lines).split(";")]
    return [s for s in statements if s and s.upper() not in ("BEGIN", "COMMIT")]


def _workers_exit_zero(workers: dict) -> Check:
    check = Check("process_queue --until-empty exits 0")
    for queue, (code, output) in workers.items():
        if code != 0:
            check.problems.append(f"{queue}: exit {code}: {output.strip()[-600:]}")
    return check


def _open_jobs_processed(before: dict, after: dict) -> Check:
    check = Check(
        "every NEW/DEFERRED job PROCESSED, its result saved, error count kept"
    )
    for ident, old in before.items():
        if old["status"] not in ("NEW", "DEFERRED") or old["payload"] == BLOCK:
            continue
        new = after[ident]
        expected = (
            "PROCESSED", f"done:{old['payload']}", old["error_count"], None
        )  # fmt: skip
        got = (
            new["status"],
            new["result"],
            new["error_count"],
            new["error_message"] or None,
        )
        if got != expected:
            check.problems.append(f"{_name(ident)} (was {old['status']}): {got}")
    return check


def _old_processing_recovered(before: dict, after: dict, log: list) -> Check:
    check = Check("a job left PROCESSING by a killed old worker is recovered and run")
    for ident, old in before.items():
        if old["status"] != "PROCESSING":
            continue
        new = after[ident]
        got = (new["status"], new["error_count"], log.count(ident))
        if got != ("PROCESSED", old["error_count"] + 1, 1):
            check.problems.append(
                f"{_name(ident)}: (status, error_count, runs) = {got}, "
                f"expected ('PROCESSED', {old['error_count'] + 1}, 1)"
            )
    return check


def _blocked_job_not_overtaken(before: dict, log: list) -> Check:
    check = Check("no successor of a job left PROCESSING runs before it")
    for ident, old in before.items():
        if old["status"] != "PROCESSING" or ident[0] not in ORDERED:
            continue
        position = log.index(ident) if ident in log else len(log)
        for other in _same_key_after(before, ident):
            if other in log and log.index(other) < position:
                check.problems.append(f"{_name(other)} ran before {_name(ident)}")
    return check


def _same_key_after(before: dict, ident: tuple[str, int]) -> list[tuple[str, int]]:
    key = before[ident]["key"]
    return [
        other
        for other, row in before.items()
        if other[0] == ident[0] and row["key"] == key and other[1] > ident[1]
    ]


def _per_key_order(before: dict, log: list) -> Check:
    """In ordered queues, the NEW and PROCESSING jobs of a key run in id order.

    Old DEFERRED rows are left out: the contract retries them once no NEW
    job is eligible, which may be after later NEW jobs of their key.
    """
    check = Check("per key, the open jobs run in id order")
    runs = defaultdict(list)
    for ident in log:
        row = before.get(ident)
        if ident[0] in ORDERED and row and row["status"] in ("NEW", "PROCESSING"):
            runs[(ident[0], row["key"])].append(ident[1])
    for (queue, key), ids in sorted(runs.items()):
        if ids != sorted(ids):
            check.problems.append(f"{queue} key {key!r}: ran {ids}")
    return check


def _each_job_once(before: dict, log: list) -> Check:
    check = Check("each open job runs exactly once, no finished job runs")
    counts = defaultdict(int)
    for ident in log:
        counts[ident] += 1
    for ident, old in before.items():
        expected = 0 if old["status"] in FINISHED else 1
        if counts[ident] != expected:
            check.problems.append(
                f"{_name(ident)} ({old['status']}) ran {counts[ident]}x"
            )
    return check


def _finished_rows_untouched(before: dict, after: dict) -> Check:
    check = Check("rows the old version finished are left as they were")
    for ident, old in before.items():
        if old["status"] in FINISHED and after.get(ident) != old:
            changed = {
                k: (v, after[ident][k]) for k, v in old.items() if after[ident][k] != v
            }
            check.problems.append(f"{_name(ident)}: {changed}")
    return check


def _health_text(snapshot: dict, health: dict) -> Check:
    check = Check(
        "queue-monitoring: the failed rows, nothing long processing or unprocessed"
    )
    expected = set()
    for queue, rows in snapshot["jobs"].items():
        failed = sum(row["status"] == "FAILED" for row in rows)
        if failed:
            expected.add(
                f"There are {failed} failed, 0 long processing and 0 long unprocessed {queue}s."
            )
    answer = health.get("queue-monitoring", {})
    lines = {" ".join(line.split()) for line in answer.get("body", "").splitlines()}
    lines.discard("")
    if answer.get("status") != 200 or lines != (expected or {"Alles OK"}):
        check.problems.append(
            f"got {answer.get('status')} {sorted(lines)}, expected {sorted(expected)}"
        )
    if health.get("open-queue-entries", {}).get("status") != 200:
        check.problems.append(
            f"open-queue-entries answered {health.get('open-queue-entries')}"
        )
    return check


def _name(ident: tuple[str, int]) -> str:
    return f"{ident[0]} {ident[1]}"
