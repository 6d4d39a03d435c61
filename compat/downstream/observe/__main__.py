"""``python -m observe``: make the database, run the scenarios, write the JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m observe")
    parser.add_argument("--db", choices=["mariadb", "postgres"], required=True)
    parser.add_argument("--name", required=True, help="the database to (re)create")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", default="", help="comma-separated scenarios")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args(argv)
    os.environ.update(
        COMPAT_DB=args.db,
        COMPAT_DB_NAME=args.name,
        DJANGO_SETTINGS_MODULE="shop.settings",
    )
    from observe import database

    database.recreate(args.db, args.name)
    try:
        observation = observe_all({s for s in args.only.split(",") if s})
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_database:
            database.drop(args.db, args.name)
    args.out.write_text(json.dumps(observation, indent=1, sort_keys=True))
    return 0


def observe_all(only: set[str]) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from observe.scenarios import BEFORE_MIGRATE, SCENARIOS

    observation = _run(BEFORE_MIGRATE, only, fresh=None)
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)

    def fresh() -> None:
        call_command("flush", verbosity=0, interactive=False)

    observation.update(_run(SCENARIOS, only, fresh))
    return observation


def _run(scenarios: dict, only: set[str], fresh) -> dict:
    results = {}
    for name, scenario in scenarios.items():
        if only and name not in only:
            continue
        if fresh is not None:
            fresh()
        started = time.monotonic()
        try:
            results[name] = scenario()
        except Exception as exc:  # a crash of the implementation is observed
            traceback.print_exc()
            results[name] = {"crashed": f"{type(exc).__name__}: {exc}"}
        print(f"  {name}: {time.monotonic() - started:.1f}s", file=sys.stderr)
    return results


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
