"""The final summary: per queue and status the counts, time, rate and health.

The health text is the one parviraptor-web's ``/queue-monitoring/`` serves,
computed the same way: ``monitor_queue_entries`` over every installed job
queue (in the app registry's order), "Alles OK" when none has a problem, else
``QueueMonitoringResult.message()`` per troubled queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from demo.progress import QueueState
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.monitoring import monitor_queue_entries
from parviraptor.utils import enumerate_job_models

ALL_OK = "Alles OK"
STATUS_ORDER: list[str] = list(JobStatus.values)


def health_text() -> str:
    """ "Alles OK", or one sentence per queue with failed or overdue jobs."""
    troubled = monitor_queue_entries(enumerate_job_models())
    if not troubled:
        return ALL_OK
    return "\n".join(result.message() for result in troubled)


def kind_of(job_class: type[AbstractJob]) -> str:
    fields = job_class.get_dependent_fields()
    if fields is None:
        return "independent"
    return "FIFO per key" if fields else "strict FIFO"


@dataclass
class QueueReport:
    name: str
    kind: str
    total: int
    counts: dict[str, int]
    retried: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0


@dataclass
class Report:
    database: str
    workers: str
    enqueue_seconds: float
    seconds: float
    queues: list[QueueReport]
    health: str
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(queue.total for queue in self.queues)

    @property
    def rate(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "workers": self.workers,
            "jobs": self.total,
            "enqueue_seconds": round(self.enqueue_seconds, 2),
            "seconds": round(self.seconds, 2),
            "jobs_per_second": round(self.rate, 1),
            "queues": {
                queue.name: {
                    "kind": queue.kind,
                    "total": queue.total,
                    "counts": queue.counts,
                    "retried": queue.retried,
                    "seconds": round(queue.seconds, 2),
                }
                for queue in self.queues
            },
            "health": self.health,
            "problems": self.problems,
        }


def collect(
    states: list[QueueState],
    *,
    database: str,
    workers: str,
    enqueue_seconds: float,
    seconds: float,
    problems: list[str],
) -> Report:
    """The report of a finished run, from the database."""
    queues = []
    for state in states:
        job_class = state.job_class
        retried = job_class.objects.filter(
            status=JobStatus.PROCESSED, error_count__gt=0
        ).count()
        queues.append(
            QueueReport(
                name=state.name,
                kind=kind_of(job_class),
                total=state.total,
                counts=dict(state.counts),
                retried=retried,
                seconds=state.drained_after or seconds,
            )
        )
    return Report(
        database,
        workers,
        enqueue_seconds,
        seconds,
        queues,
        health_text(),
        problems,
    )


def render(report: Report, console: Console) -> None:
    """Print the summary table, the totals, the health text and the checks."""
    statuses = [
        status
        for status in STATUS_ORDER
        if any(queue.counts.get(status) for queue in report.queues)
    ]
    table = Table(
        title="parviraptor demo: summary", title_justify="left", box=box.SIMPLE_HEAD
    )
    table.add_column("queue", style="bold")
    table.add_column("order")
    table.add_column("jobs", justify="right")
    for status in statuses:
        style = {"FAILED": "red", "PROCESSED": "green"}.get(status, "yellow")
        table.add_column(status, justify="right", style=style)
    table.add_column("retried*", justify="right")
    table.add_column("drained", justify="right")
    table.add_column("jobs/s", justify="right")
    for queue in report.queues:
        table.add_row(
            queue.name,
            queue.kind,
            f"{queue.total:,}",
            *(f"{queue.counts.get(status, 0):,}" for status in statuses),
            f"{queue.retried:,}",
            f"{queue.seconds:.1f} s",
            f"{queue.rate:,.0f}",
        )
    console.print(table)
    console.print("* PROCESSED after one or more temporary failures", style="dim")
    console.print(
        f"{report.total:,} jobs in {report.seconds:.1f} s = "
        f"[bold]{report.rate:,.0f} jobs/s[/] ({report.database}; workers: "
        f"{report.workers}); enqueueing took {report.enqueue_seconds:.1f} s"
    )
    style = "bold green" if report.health == ALL_OK else "bold yellow"
    console.print("Health (/queue-monitoring/):", style="bold")
    for line in report.health.splitlines():
        console.print(f"  {line}", style=style, highlight=False)
    if report.problems:
        console.print("Checks FAILED:", style="bold red")
        for problem in report.problems:
            console.print(f"  {problem}", style="red", highlight=False)
    else:
        console.print(
            "Checks: every job ended as planned; each product has the price of "
            "its last update (FIFO per key); the ledger's balances add up in "
            "booking order (strict FIFO).",
            style="green",
        )
