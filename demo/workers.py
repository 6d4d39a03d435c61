"""Worker processes: ``manage.py process_queue`` of the example, as subprocesses.

Each writes its log to ``.demo/logs/``. They are stopped the way a service
manager stops them: SIGTERM, after which running jobs finish and the
process exits 0.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from demo import EXAMPLE_DIR


class WorkerError(RuntimeError):
    """A worker process ended on its own or did not stop cleanly."""


@dataclass(frozen=True)
class WorkerSpec:
    """``processes`` worker processes of the shop's ``model``, ``concurrency`` each."""

    model: str
    processes: int
    concurrency: int

    def argv(self) -> list[str]:
        return [
            sys.executable,
            str(EXAMPLE_DIR / "manage.py"),
            "process_queue",
            "shop",
            self.model,
            "--concurrency",
            str(self.concurrency),
        ]


def default_layout(
    db: str, processes: int | None = None, concurrency: int | None = None
) -> list[WorkerSpec]:
    """Worker processes for the e-mail and product queues, one for the ledger.

    The strict FIFO ledger runs one job at a time whatever the number of
    workers: one process. SQLite has one writer at a time, so more workers
    mostly wait for each other's locks; a server database gets more.
    ``processes`` and ``concurrency`` override the e-mail and product queues'.
    """
    if db == "sqlite":
        mail, products = (1, 2), (2, 1)
    else:
        mail, products = (2, 4), (2, 4)
    return [
        WorkerSpec("MailJob", processes or mail[0], concurrency or mail[1]),
        WorkerSpec(
            "ProductSyncJob", processes or products[0], concurrency or products[1]
        ),
        WorkerSpec("LedgerJob", 1, 1),
    ]


@dataclass
class Worker:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes]

    def log_tail(self, lines: int = 15) -> str:
        if not self.log.closed:
            self.log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


class WorkerGroup:
    """The demo's worker processes: started together, stopped together."""

    def __init__(self, layout: list[WorkerSpec], log_dir: Path) -> None:
        self.layout = layout
        self.log_dir = log_dir
        self.workers: list[Worker] = []
        self.exit_codes: dict[str, int] = {}

    @property
    def count(self) -> int:
        return sum(spec.processes for spec in self.layout)

    def describe(self) -> str:
        def processes(n: int) -> str:
            return f"{n} process" if n == 1 else f"{n} processes"

        return ", ".join(
            f"{spec.model} {processes(spec.processes)} --concurrency {spec.concurrency}"
            for spec in self.layout
        )

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for old in self.log_dir.glob("*.log"):
            old.unlink()
        for spec in self.layout:
            for number in range(1, spec.processes + 1):
                name = f"{spec.model}-{number}"
                path = self.log_dir / f"{name}.log"
                log = path.open("wb")
                popen = subprocess.Popen(
                    spec.argv(),
                    cwd=EXAMPLE_DIR,
                    env=dict(os.environ),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
                self.workers.append(Worker(name, popen, path, log))

    def check(self) -> None:
        """Raise ``WorkerError`` if a worker has ended while it should run."""
        for worker in self.workers:
            code = worker.popen.poll()
            if code is not None:
                raise WorkerError(
                    f"worker {worker.name} exited with {code}; the end of "
                    f"{worker.log_path}:\n{worker.log_tail()}"
                )

    def stop(self, timeout: float = 60.0) -> dict[str, int]:
        """SIGTERM every worker, wait for them (SIGKILL after ``timeout``);
        the exit codes by worker name (also kept in ``exit_codes``)."""
        for worker in self.workers:
            if worker.popen.poll() is None:
                worker.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        codes: dict[str, int] = {}
        for worker in self.workers:
            try:
                remaining = max(0.1, deadline - time.monotonic())
                codes[worker.name] = worker.popen.wait(remaining)
            except subprocess.TimeoutExpired:
                worker.popen.kill()
                codes[worker.name] = worker.popen.wait()
            worker.log.close()
        self.exit_codes.update(codes)
        return codes

    def failed_to_stop(self) -> list[str]:
        """Workers that did not exit 0 on SIGTERM, with the end of their log."""
        by_name = {worker.name: worker for worker in self.workers}
        return [
            f"worker {name} exited with {code}:\n{by_name[name].log_tail()}"
            for name, code in self.exit_codes.items()
            if code != 0
        ]
