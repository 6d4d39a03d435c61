"""``python -m chaos``: the chaos run of parviraptor's worker.

    python -m chaos [--db mariadb|postgres] [--jobs 5000] [--keys 300]
                    [--deadline SECONDS] [--seed N] [--keep]

Starts a private MariaDB server (or creates a database of its own on the
running PostgreSQL), enqueues the job mix, runs 8 worker processes while
killing, terminating and disconnecting them and restarting the database,
then prints the invariants as a table. Exit status 0 when all of them held.
"""

from __future__ import annotations

import argparse
import logging
import sys

from chaos.faults import Schedule
from chaos.run import Config, execute


def parse_args(argv: list[str]) -> Config:
    parser = argparse.ArgumentParser(prog="chaos", description=__doc__)
    parser.add_argument("--db", choices=["mariadb", "postgres"], default="mariadb")
    parser.add_argument("--jobs", type=int, default=5000)
    parser.add_argument("--keys", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--deadline", type=float, default=170.0, help="seconds for the workers"
    )
    parser.add_argument("--kill-every", type=float, default=3.0)
    parser.add_argument("--term-every", type=float, default=7.0)
    parser.add_argument(
        "--restart-pause",
        type=float,
        default=1.5,
        help="seconds the MariaDB server stays down when restarted",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database for inspection"
    )
    args = parser.parse_args(argv)
    if args.db == "mariadb":
        restarts: tuple[float, ...] = (0.5,)  # halfway through the jobs
    else:  # terminate every worker connection a few times instead
        restarts = (0.25, 0.5, 0.75)
    schedule = Schedule(
        args.kill_every, args.term_every, 0.2, restarts, args.restart_pause
    )
    return Config(
        args.db, args.jobs, args.keys, args.seed, args.deadline, schedule, args.keep
    )


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    logging.getLogger("chaos").setLevel(logging.INFO)
    return execute(parse_args(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
