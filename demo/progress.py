"""Following the queues while the workers drain them: a progress bar per queue.

The counts come from the database (one ``GROUP BY status`` per queue and
poll), as any monitoring would see them; a job counts as done once it has
left NEW, PROCESSING and DEFERRED.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from demo.workers import WorkerGroup
from parviraptor.models import AbstractJob, JobStatus

OPEN_STATUSES = frozenset(status.value for status in JobStatus.open_statuses())


def status_counts(job_class: type[AbstractJob]) -> dict[str, int]:
    """Jobs of ``job_class`` per status (statuses without jobs left out)."""
    rows = job_class.objects.values_list("status").annotate(n=Count("pk"))
    return {status: n for status, n in rows}


@dataclass
class QueueState:
    """One queue as last seen: its counts, and when it was found drained."""

    job_class: type[AbstractJob]
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    drained_after: float | None = None

    @property
    def name(self) -> str:
        return self.job_class.__name__

    @property
    def done(self) -> int:
        return sum(
            n for status, n in self.counts.items() if status not in OPEN_STATUSES
        )

    def refresh(self, elapsed: float) -> None:
        self.counts = status_counts(self.job_class)
        if self.drained_after is None and self.done >= self.total:
            self.drained_after = elapsed

    def detail(self) -> str:
        """Retrying / failed jobs so far, for the line under the bar."""
        waiting_retry = self.job_class.objects.filter(
            status=JobStatus.NEW, error_count__gt=0
        ).count()
        failed = self.counts.get(JobStatus.FAILED.value, 0)
        parts = [f"{waiting_retry} waiting to retry"] if waiting_retry else []
        if failed:
            parts.append(f"{failed} failed")
        return ", ".join(parts)


class RateColumn(ProgressColumn):
    """Jobs per second: recent (rich's estimate) while running, average when done."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        if task.finished and task.finished_time:
            speed = task.completed / task.finished_time
        if speed is None:
            return Text("  -- jobs/s", style="progress.data.speed")
        return Text(f"{speed:5.0f} jobs/s", style="progress.data.speed")


class DrainTimeout(RuntimeError):
    """The queues were not drained within the time allowed."""


def follow(
    queues: Sequence[QueueState],
    workers: WorkerGroup,
    console: Console,
    show: bool = True,
    timeout: float = 600.0,
    interval: float = 0.5,
) -> float:
    """Poll until every queue is drained; the seconds it took.

    Raises ``WorkerError`` when a worker dies and ``DrainTimeout`` after
    ``timeout`` seconds.
    """
    started = time.monotonic()
    progress = Progress(
        TextColumn("[bold]{task.fields[queue]:<15}"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        RateColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        TextColumn("[yellow]{task.fields[detail]}"),
        console=console,
        speed_estimate_period=5.0,
        refresh_per_second=4,
        disable=not show,
        transient=False,
    )
    tasks: dict[str, TaskID] = {
        state.name: progress.add_task(
            state.name, total=state.total, queue=state.name, detail=""
        )
        for state in queues
    }
    with progress:
        while True:
            elapsed = time.monotonic() - started
            for state in queues:
                state.refresh(elapsed)
                detail = state.detail() if show else ""
                progress.update(tasks[state.name], completed=state.done, detail=detail)
            if all(state.drained_after is not None for state in queues):
                return elapsed
            workers.check()
            if elapsed > timeout:
                raise DrainTimeout(f"queues not drained after {timeout:.0f} s")
            time.sleep(interval)
