"""``python -m demo run``: reset, migrate, enqueue, process, summarise."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from demo import STATE_DIR, database

if TYPE_CHECKING:
    from demo.enqueue import Batch
    from demo.progress import QueueState
    from demo.workers import WorkerGroup


def make_console() -> Console:
    """A console for the user; piped or captured output gets 120 columns."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=120)
    return console


def run(args: argparse.Namespace) -> int:
    """Run the demo once; 0 when every job ended as planned."""
    console = make_console()
    database.configure(args.db)
    database.reset()
    where = database.describe()
    console.print(f"[bold]parviraptor demo[/] on {where}")
    database.migrate()

    batch, enqueue_seconds = enqueue_jobs(args, console)
    states = queue_states(batch)
    from demo.workers import WorkerGroup, default_layout

    workers = WorkerGroup(
        default_layout(args.db, args.processes, args.concurrency), STATE_DIR / "logs"
    )
    seconds = drain(states, workers, args, console)
    if seconds is None:
        return 1

    from demo import summary, verify

    for state in states:
        state.refresh(seconds)
    counts = {state.name: state.counts for state in states}
    problems = [*workers.failed_to_stop(), *verify.verify(batch, counts)]
    report = summary.collect(
        states,
        database=where,
        workers=workers.describe(),
        enqueue_seconds=enqueue_seconds,
        seconds=seconds,
        problems=problems,
    )
    console.print()
    summary.render(report, console)
    if args.json:
        Path(args.json).write_text(json.dumps(report.as_dict(), indent=2) + "\n")
    console.print()
    web = "just demo-web" + (" --db mysql" if args.db == "mysql" else "")
    console.print(
        f"See it in the dashboard: [bold]{web}[/], then open "
        "http://127.0.0.1:8000/queue-dashboard/ and log in as demo / demo "
        "(the workers have stopped; the jobs stay until the next demo run)."
    )
    return 1 if problems else 0


def enqueue_jobs(args: argparse.Namespace, console: Console) -> tuple[Batch, float]:
    """Enqueue the demo's batch; it and the seconds it took."""
    from demo.enqueue import Plan, enqueue

    plan = Plan(jobs=args.jobs, max_keys=args.keys, failures=not args.no_failures)
    started = time.monotonic()
    batch = enqueue(plan)
    seconds = time.monotonic() - started
    console.print(
        f"enqueued {plan.jobs:,} jobs in {seconds:.1f} s: {plan.mails:,} e-mails "
        f"(independent), {plan.products:,} price updates of {plan.keys} products "
        f"(FIFO per shop and SKU), {plan.ledger:,} bookings (strict FIFO)"
    )
    return batch, seconds


def queue_states(batch: Batch) -> list[QueueState]:
    """The three queues to follow, with the number of jobs enqueued in each."""
    from shop.models import LedgerJob, MailJob, ProductSyncJob

    from demo.progress import QueueState

    return [
        QueueState(job_class, batch.totals[job_class.__name__])
        for job_class in (MailJob, ProductSyncJob, LedgerJob)
    ]


def drain(
    states: list[QueueState],
    workers: WorkerGroup,
    args: argparse.Namespace,
    console: Console,
) -> float | None:
    """Start the workers, follow the queues until drained, stop the workers
    (SIGTERM). The seconds it took, or None when it went wrong."""
    from demo.progress import DrainTimeout, follow
    from demo.workers import WorkerError

    console.print(
        f"starting {workers.count} worker processes ({workers.describe()}); "
        f"logs in {workers.log_dir}"
    )
    workers.start()
    try:
        return follow(
            states, workers, console, show=not args.no_progress, timeout=args.timeout
        )
    except (WorkerError, DrainTimeout) as exc:
        console.print(f"[bold red]demo failed:[/] {exc}")
        return None
    except KeyboardInterrupt:
        console.print("interrupted: stopping the workers (SIGTERM) ...")
        raise
    finally:
        workers.stop()
