"""``python -m compat.upgrade``: run the upgrade scenario and report.

    python -m compat.upgrade [--db mysql|postgres|all] [--old-venv PATH] [--keep]

Needs the wheels in dist/ (``just build``), Python 3.11, the package index
(for parviraptor 2.2.2 and Django 4.2, unless ``--old-venv`` names a venv
that has them) and the MariaDB and PostgreSQL servers of the test-suites.
Exit status 0 when every check held on every database, 1 otherwise, 2 when
a step failed that must work (the report says which).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from compat.upgrade.checks import database_checks, migration_check
from compat.upgrade.environment import ScenarioError, make_new_venv, make_old_venv
from compat.upgrade.scenario import Database, makemigrations, new_phase, old_phase

ROOT = Path(__file__).resolve().parent.parent.parent
PROJECT = Path(__file__).resolve().parent / "project"
KINDS = ("mysql", "postgres")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m compat.upgrade")
    parser.add_argument("--db", choices=[*KINDS, "all"], default="all")
    parser.add_argument("--old-venv", type=Path, help="copy this venv with 2.2.2")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--keep", action="store_true", help="keep work dir and databases"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    workdir = Path(tempfile.mkdtemp(prefix="parviraptor-upgrade-"))
    try:
        return run(args, workdir)
    except ScenarioError as exc:
        print(f"compat-upgrade: a step failed: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"work dir kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path) -> int:
    project = workdir / "project"
    shutil.copytree(PROJECT, project, ignore=shutil.ignore_patterns("__pycache__"))
    prefix = os.environ.get("PARVIRAPTOR_TEST_DB_PREFIX", "")
    kinds = KINDS if args.db == "all" else (args.db,)
    dbs = [Database(k, f"{prefix}compat_upgrade_{k}", project, workdir) for k in kinds]
    old = make_old_venv(workdir / "old", args.old_venv)
    new, pip_output = make_new_venv(old, workdir / "new", args.dist)
    dbs[0].manage(old, "old", "makemigrations", "upgradejobs")
    facts = {db.kind: old_phase(db, old) for db in dbs}
    made, ops = makemigrations(dbs[0], new)
    checks = {"makemigrations": [migration_check(ops)]}
    for db in dbs:
        new_phase(db, new, facts[db.kind], ops["migration"])
        checks[db.kind] = database_checks(facts[db.kind])
        if not args.keep:
            db.manage(new, "new", "upgrade_database", "drop")
    _write_report(workdir, pip_output, made, ops, facts, checks)
    return _print(checks)


def _write_report(workdir, pip_output, made, ops, facts, checks) -> None:
    report = {
        "pip": pip_output,
        "makemigrations": made,
        "operations": ops,
        "facts": {kind: vars(f) for kind, f in facts.items()},
        "checks": {k: [vars(c) for c in cs] for k, cs in checks.items()},
    }
    (workdir / "report.json").write_text(json.dumps(report, indent=1, default=str))


def _print(checks: dict) -> int:
    failed = 0
    for scope, results in checks.items():
        print(f"== {scope}")
        for check in results:
            print(f"  {'ok  ' if check.ok else 'FAIL'} {check.name}")
            for problem in check.problems[:12]:
                print(f"         {problem}")
            if len(check.problems) > 12:
                print(f"         ... {len(check.problems) - 12} more")
            failed += not check.ok
    print(f"{sum(map(len, checks.values())) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
