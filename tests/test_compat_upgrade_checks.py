"""The upgrade scenario's checks (compat/upgrade/checks.py) on made-up facts.

A correct upgrade passes every check; each defect the scenario is there to
catch fails the check named for it, and only that one.
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest

from compat.upgrade.checks import database_checks, migration_check

ADD = "ALTER TABLE `q_keyedjob` ADD COLUMN `claimed_at` datetime(6) NULL;"
INDEX = "CREATE INDEX `q_keyedjob_i` ON `q_keyedjob` (`status`, `id`);"
HEALTH = "There are 1 failed, 0 long processing and 0 long unprocessed KeyedJobs."


def _row(id_, key, status, payload="p", count=0, message=None, result=""):
    return {
        "id": id_, "key": key, "payload": payload, "result": result,
        "status": status, "error_count": count, "error_message": message,
        "creation_date": "2026-01-01 00:00:00+00:00",
        "modification_date": f"2026-01-01 00:00:0{id_}+00:00",
    }  # fmt: skip


def _good_facts() -> SimpleNamespace:
    before = [
        _row(1, "a", "PROCESSED"),
        _row(2, "a", "FAILED", count=3, message="boom"),
        _row(3, "b", "DEFERRED", count=1, message="later"),
        _row(4, "b", "PROCESSING", payload="block"),
        _row(5, "b", "NEW", count=2, message="temporary"),
        _row(6, "b", "NEW"),
    ]
    after = copy.deepcopy(before)
    for row in after[2:]:
        row.update(status="PROCESSED", error_message=None)
        row["result"] = f"done:{row['payload']}"
    after[3]["error_count"] = 1
    log = [{"queue": "KeyedJob", "job_id": i} for i in (4, 5, 6, 3)]
    return SimpleNamespace(
        before={"jobs": {"KeyedJob": before}, "log": []},
        after={"jobs": {"KeyedJob": after}, "log": log},
        sqlmigrate=f"--\n-- Add field\n--\n{ADD}\n{INDEX}\n",
        workers={"KeyedJob": (0, "")},
        health={
            "queue-monitoring": {"status": 200, "body": HEALTH},
            "open-queue-entries": {"status": 200, "body": "<table></table>"},
        },
    )


def _failing(facts) -> list[str]:
    return [check.name for check in database_checks(facts) if not check.ok]


def test_a_correct_upgrade_passes_every_check() -> None:
    assert _failing(_good_facts()) == []


def _overtaken(facts) -> None:
    facts.after["log"] = [{"queue": "KeyedJob", "job_id": i} for i in (5, 4, 6, 3)]


def _stuck(facts) -> None:
    facts.after["jobs"]["KeyedJob"][3].update(status="PROCESSING", error_count=0)
    facts.after["log"] = [{"queue": "KeyedJob", "job_id": i} for i in (5, 6, 3)]


def _result_lost(facts) -> None:
    facts.after["jobs"]["KeyedJob"][4]["result"] = ""


def _finished_row_changed(facts) -> None:
    facts.after["jobs"]["KeyedJob"][0]["error_message"] = ""


def _rebuilt(facts) -> None:
    facts.sqlmigrate += "ALTER TABLE `q_keyedjob` MODIFY `status` varchar(10) NOT NULL;"


def _health_red(facts) -> None:
    facts.health["queue-monitoring"]["body"] = HEALTH.replace(
        "0 long unp", "1 long unp"
    )


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        (_overtaken, {"no successor of a job left PROCESSING runs before it",
                      "per key, the open jobs run in id order"}),
        (_stuck, {"a job left PROCESSING by a killed old worker is recovered and run",
                  "no successor of a job left PROCESSING runs before it",
                  "each open job runs exactly once, no finished job runs"}),
        (_result_lost, {"every NEW/DEFERRED job PROCESSED, its result saved, error count kept"}),
        (_finished_row_changed, {"rows the old version finished are left as they were"}),
        (_rebuilt, {"sqlmigrate: only ADD COLUMN and CREATE INDEX"}),
        (_health_red, {"queue-monitoring: the failed rows, nothing long processing or unprocessed"}),
    ],
)  # fmt: skip
def test_each_defect_fails_its_check(defect, expected) -> None:
    facts = _good_facts()
    defect(facts)
    assert set(_failing(facts)) == expected


def test_the_migration_may_only_add_nullable_columns_and_indexes() -> None:
    added = {"operation": "AddField", "model": "keyedjob", "name": "claimed_at"}
    index = {"operation": "AddIndex", "model": "keyedjob", "name": "i", "null": None}
    altered = {"operation": "AddField", "model": "keyedjob", "name": "x", "null": False}
    ops = {
        "migration": "0002_x",
        "operations": [{**added, "null": True, "field": 1}, index],
    }
    assert migration_check(ops).ok
    ops["operations"].append({**altered, "field": {"max_length": 10}})
    assert len(migration_check(ops).problems) == 1
    assert not migration_check({"migration": "0001_initial", "operations": []}).ok
