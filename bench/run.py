"""``just bench``: the worker measured against the database's own limit.

    python -m bench.run [--db mysql8|mysql5|postgres|sqlite] [--repeats 3]
                        [--backlog 5000] [--large 100000] [--quick]
                        [--jobs noop|noop_result]

Prints Markdown tables: the reference rate (autocommit single-row UPDATEs
per second), drain throughput per queue kind and worker count (median of
``--repeats``) with its ratio to the reference, the large backlog as a ratio
to the small one, pickup latency, queries per job, worker RSS and (``--only
cpu``) the CPU time one in-process worker slot spends per job, which the
machine's load moves far less than throughput. Every drain verifies its
result (all PROCESSED, per-key order kept).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

KINDS = ("independent", "fifo", "per-key")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument(
        "--db", default="mysql8", choices=["mysql8", "mysql5", "postgres", "sqlite"]
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backlog", type=int, default=5000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument(
        "--quick", action="store_true", help="skip the large backlog, latency and RSS"
    )
    parser.add_argument(
        "--jobs",
        default="noop",
        choices=["noop", "noop_result"],
        help="jobs that do nothing, or set two of their fields (saved with the result)",
    )
    parser.add_argument(
        "--only",
        choices=["throughput", "latency", "footprint", "pages", "cpu"],
        help="run one section",
    )
    return parser.parse_args(argv)


def setup(db: str) -> None:
    """Configure Django on a fresh database of its own (dropped and recreated)."""
    os.environ["PARVIRAPTOR_TEST_DB"] = db
    os.environ.setdefault("PARVIRAPTOR_LOG_LEVEL", "ERROR")
    os.environ["DJANGO_SETTINGS_MODULE"] = "testproject.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    # PARVIRAPTOR_TEST_DB_PREFIX keeps two checkouts' benchmarks apart.
    prefix = os.environ.get("PARVIRAPTOR_TEST_DB_PREFIX", "")
    name = f"{prefix}parviraptor_bench_{db}"
    if connection.vendor == "sqlite":
        name = os.path.abspath(f".sqlite/{name}.sqlite3")
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
    call_command("migrate", verbosity=0)


def drain_rate(
    kind: str, workers: int, backlog: int, repeats: int, behaviour: str = "noop"
) -> tuple[float, float]:
    """Median jobs/s of ``repeats`` drains, and the median reference rate
    measured right before each drain (the machine's load drifts)."""
    from bench.drain import drain, enqueue
    from bench.reference import autocommit_update_rate

    times, references = [], []
    for _ in range(repeats):
        enqueue(kind, backlog, behaviour=behaviour)
        references.append(autocommit_update_rate(seconds=1.0))
        times.append(drain(kind, workers))
    return backlog / statistics.median(times), statistics.median(references)


def throughput_table(args: argparse.Namespace) -> None:
    print(
        "| queue | workers | backlog | jobs/s (median) | reference beside it | ratio |"
    )
    print("|---|---|---|---|---|---|")
    rates: dict[tuple[str, int, int], tuple[float, float]] = {}
    for kind in KINDS:
        for workers in (1, 4):
            sizes = [args.backlog] + [args.large] * (workers == 4 and not args.quick)
            for backlog in sizes:
                repeats = args.repeats if backlog == args.backlog else 1
                rate, reference = drain_rate(kind, workers, backlog, repeats, args.jobs)
                rates[(kind, workers, backlog)] = (rate, reference)
                print(
                    f"| {kind} | {workers} | {backlog} | {rate:.0f} "
                    f"| {reference:.0f} | {rate / reference:.2f} |",
                    flush=True,
                )
    targets_table(args, rates)


def targets_table(
    args: argparse.Namespace, rates: dict[tuple[str, int, int], tuple[float, float]]
) -> None:
    """The issue's throughput targets, each with the ratio it was judged by."""

    def ratio(kind: str, workers: int, backlog: int = args.backlog) -> float:
        rate, reference = rates[(kind, workers, backlog)]
        return rate / reference

    def jobs(kind: str, workers: int, backlog: int = args.backlog) -> float:
        return rates[(kind, workers, backlog)][0]

    rows = [
        ("independent, 1 worker / reference", ratio("independent", 1), 1.0),
        ("per-key 4 / independent 4", jobs("per-key", 4) / jobs("independent", 4), 0.5),
        ("strict FIFO, 4 workers / reference", ratio("fifo", 4), 0.5),
        ("strict FIFO 4 workers / 1 worker", jobs("fifo", 4) / jobs("fifo", 1), 1.0),
    ]
    if not args.quick:
        for kind in KINDS:
            large = jobs(kind, 4, args.large) / jobs(kind, 4)
            rows.append((f"{kind}: {args.large} / {args.backlog} backlog", large, 0.8))
    print("\n| target | measured | wanted | met |")
    print("|---|---|---|---|")
    for name, value, wanted in rows:
        print(
            f"| {name} | {value:.2f} | >= {wanted} | {'yes' if value >= wanted else 'no'} |"
        )


def latency_table() -> None:
    from bench.latency import pickup_latencies

    print("\n| poll interval | pickup median | pickup p95 |")
    print("|---|---|---|")
    for poll in (1.0, 0.05):
        samples = sorted(pickup_latencies(poll))
        p95 = samples[int(len(samples) * 0.95) - 1]
        print(
            f"| {poll} s | {statistics.median(samples) * 1000:.0f} ms | {p95 * 1000:.0f} ms |",
            flush=True,
        )


def footprint_table(args: argparse.Namespace) -> None:
    from bench.footprint import queries_per_job, worker_rss

    from testproject.jobs.models import IndependentJob, KeyedJob

    print("\n| measure | value |")
    print("|---|---|")
    print(f"| queries per job, independent | {queries_per_job(IndependentJob):.2f} |")
    print(
        f"| queries per job, per-key (100 keys) | {queries_per_job(KeyedJob):.2f} |",
        flush=True,
    )
    if not args.quick:
        start, end = worker_rss(args.large)
        print(
            f"| worker RSS after 500 / {args.large} jobs | {start / 1024:.1f} MiB / {end / 1024:.1f} MiB (+{(end - start) / 1024:.1f} MiB) |"
        )


def cpu_table(args: argparse.Namespace) -> None:
    from bench.cpu import cpu_per_job

    print("\n| queue | jobs | worker CPU per job (min of repeats) |")
    print("|---|---|---|")
    for kind in KINDS:
        for jobs in ("noop", "noop_result"):
            spent = min(
                cpu_per_job(kind, jobs, min(args.backlog, 3000))
                for _ in range(args.repeats)
            )
            print(f"| {kind} | {jobs} | {spent:.0f} us |", flush=True)


def pages_table(args: argparse.Namespace) -> None:
    from bench.pages import fill, render_times

    fill(args.large)
    print(f"\n| page ({args.large} jobs in one queue) | render time (median of 5) |")
    print("|---|---|")
    for page, seconds in render_times().items():
        print(f"| {page} | {seconds * 1000:.0f} ms |", flush=True)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    setup(args.db)
    from bench.reference import autocommit_update_rate

    reference = statistics.median(autocommit_update_rate() for _ in range(args.repeats))
    print(
        f"database: {args.db}; reference: {reference:.0f} single-row autocommit UPDATEs/s\n"
    )
    sections = {
        "throughput": lambda: throughput_table(args),
        "latency": latency_table,
        "footprint": lambda: footprint_table(args),
        "pages": lambda: pages_table(args),
        "cpu": lambda: cpu_table(args),
    }
    for name, section in sections.items():
        skipped = args.quick and name in ("latency", "pages", "cpu")
        if args.only in (None, name) and not skipped:
            section()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
