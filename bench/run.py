"""``just bench``: throughput of the worker against the database's own limit.

Usage: ``python -m bench.run [--db mysql8|postgres|sqlite] [--repeats 3]
[--backlog 5000] [--large 100000]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument(
        "--db", default="mysql8", choices=["mysql8", "mysql5", "postgres", "sqlite"]
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backlog", type=int, default=5000)
    parser.add_argument(
        "--large", type=int, default=0, help="also drain this backlog (e.g. 100000)"
    )
    parser.add_argument("--workers", default="1,4")
    return parser.parse_args(argv)


def setup(db: str) -> None:
    os.environ["PARVIRAPTOR_TEST_DB"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    name = f"parviraptor_bench_{db}"
    if connection.vendor == "sqlite":
        name = os.path.abspath(f".sqlite/{name}.sqlite3")

    _recreate_database(connection, name)
    call_command("migrate", verbosity=0)


def _recreate_database(connection, name: str) -> None:  # type: ignore[no-untyped-def]
    from django.db import connections

    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(name + suffix):
                os.remove(name + suffix)
    else:
        with connection._nodb_cursor() as cursor:
            quoted = connection.ops.quote_name(name)
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            cursor.execute(f"CREATE DATABASE {quoted}")
    connection.close()
    connection.settings_dict["NAME"] = name
    os.environ["PARVIRAPTOR_DB_NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    setup(args.db)
    from bench.drain import drain, enqueue
    from bench.reference import autocommit_update_rate

    reference = statistics.median(autocommit_update_rate() for _ in range(args.repeats))
    print(f"database: {args.db}; reference: {reference:.0f} autocommit UPDATEs/s\n")
    print("| queue | workers | backlog | jobs/s (median) | ratio to reference |")
    print("|---|---|---|---|---|")
    rates: dict[tuple[str, int, int], float] = {}
    backlogs = [args.backlog] + ([args.large] if args.large else [])
    for kind in ("independent", "fifo", "per-key"):
        for workers in (int(w) for w in args.workers.split(",")):
            for backlog in backlogs:
                if backlog == args.large and workers != max(
                    int(w) for w in args.workers.split(",")
                ):
                    continue
                times = []
                for _ in range(args.repeats if backlog == args.backlog else 1):
                    enqueue(kind, backlog)
                    times.append(drain(kind, workers))
                rate = backlog / statistics.median(times)
                rates[(kind, workers, backlog)] = rate
                print(
                    f"| {kind} | {workers} | {backlog} | {rate:.0f} | {rate / reference:.2f} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
