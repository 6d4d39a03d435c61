"""The worker processes of a chaos run: started, killed, replaced, recorded.

Every process ever started is kept in ``history`` with when it started and
how and when it ended, because the invariants judge each attempt by what
happened to the process that ran it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Seat:
    """One of the fleet's places: a queue and a concurrency."""

    model: str
    concurrency: int


@dataclass
class Worker:
    """A ``process_queue`` process and its fate (wall-clock times)."""

    seat: Seat
    process: subprocess.Popen[bytes]
    started: float
    killed_at: float | None = None  # SIGKILL
    termed_at: float | None = None  # SIGTERM
    exited_at: float | None = None
    returncode: int | None = None

    @property
    def pid(self) -> int:
        return self.process.pid


@dataclass
class Fleet:
    """Keeps one worker running per seat."""

    seats: list[Seat]
    env: dict[str, str]
    logs: Path
    live: dict[int, Worker] = field(default_factory=dict)  # seat index -> worker
    history: dict[int, Worker] = field(default_factory=dict)  # pid -> worker
    stopping: list[Worker] = field(default_factory=list)

    def start_all(self) -> None:
        for index in range(len(self.seats)):
            self.start(index)

    def start(self, index: int) -> Worker:
        seat = self.seats[index]
        command = [
            sys.executable,
            str(ROOT / "manage.py"),
            "process_queue",
            "chaos_jobs",
            seat.model,
            "--concurrency",
            str(seat.concurrency),
        ]
        log = open(self.logs / f"seat{index}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, "CHAOS_ABANDONED_DIR": str(self.logs)},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        worker = Worker(seat, process, time.time())
        self.live[index] = worker
        self.history[worker.pid] = worker
        return worker

    def kill(self, index: int) -> Worker:
        """kill -9 the seat's worker and start its replacement."""
        worker = self.live[index]
        worker.process.send_signal(signal.SIGKILL)
        worker.killed_at = time.time()
        worker.process.wait()
        self._ended(worker)
        self.start(index)
        return worker

    def terminate(self, index: int) -> Worker:
        """SIGTERM the seat's worker (it finishes its jobs) and replace it."""
        worker = self.live[index]
        worker.process.send_signal(signal.SIGTERM)
        worker.termed_at = time.time()
        self.stopping.append(worker)
        self.start(index)
        return worker

    def reap(self) -> None:
        """Note the exits of terminated workers and of any that died alone."""
        for worker in list(self.stopping):
            if worker.process.poll() is not None:
                self._ended(worker)
                self.stopping.remove(worker)
        for index, worker in list(self.live.items()):
            if worker.process.poll() is not None:
                self._ended(worker)
                self.start(index)

    def _ended(self, worker: Worker) -> None:
        if worker.exited_at is None:
            worker.exited_at = time.time()
            worker.returncode = worker.process.returncode

    def pids(self) -> list[int]:
        return [worker.pid for worker in self.live.values()]

    def stop_all(self, timeout: float = 30) -> None:
        """SIGTERM everything still running; kill -9 what outlives ``timeout``."""
        running = list(self.live.values()) + self.stopping
        for worker in running:
            if worker.process.poll() is None:
                worker.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for worker in running:
            try:
                worker.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.kill(worker.pid, signal.SIGKILL)
                worker.killed_at = time.time()
                worker.process.wait()
            self._ended(worker)
        self.live.clear()
        self.stopping.clear()
