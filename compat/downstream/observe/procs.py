"""Subprocesses of the downstream project: ``manage.py`` commands and scripts.

Each gets the observer's environment (database, settings) plus what the
scenario adds. Waits poll a condition against a deadline; a process still
running at its deadline is stopped and reported as ``"timeout"``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEADLINE = 60.0


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": "", **extra}


def exit_status(code: int | None) -> int | str:
    """The exit code, or the name of the signal that ended the process."""
    if code is None:
        return "timeout"
    if code < 0:
        return signal.Signals(-code).name
    return code


class Process:
    """A running subprocess whose output goes to files (no pipe can stall it)."""

    def __init__(self, argv: list[str], **env: str) -> None:
        # Open as long as the process runs; closed with this object.
        self.out = tempfile.TemporaryFile()  # noqa: SIM115
        self.err = tempfile.TemporaryFile()  # noqa: SIM115
        self.popen = subprocess.Popen(
            [sys.executable, *argv],
            cwd=PROJECT,
            env=environment(**env),
            stdin=subprocess.DEVNULL,
            stdout=self.out,
            stderr=self.err,
        )

    def wait(self, timeout: float = DEADLINE) -> int | str:
        """Wait for the end; stop it (SIGTERM, then SIGKILL) at the deadline."""
        try:
            return exit_status(self.popen.wait(timeout))
        except subprocess.TimeoutExpired:
            self.stop()
            return "timeout"

    def signal(self, signum: int) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signum)

    def stop(self) -> None:
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()

    def running(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> tuple[str, str]:
        return _read(self.out), _read(self.err)


def _read(file) -> str:
    file.seek(0)
    return file.read().decode(errors="replace")


def manage(*args: str, timeout: float = DEADLINE, **env: str) -> dict:
    """Run ``manage.py args``: its exit status and how its error output looks."""
    process = Process(["manage.py", *args], **env)
    status = process.wait(timeout)
    return {"exit": status, **describe_output(*process.output())}


def describe_output(stdout: str, stderr: str) -> dict:
    """What may be compared of a command's output: not its exact text."""
    return {
        "traceback": "Traceback (most recent call last)" in stderr,
        "stderr": ("empty", "one line", "several lines")[
            min(len(stderr.strip().splitlines()), 2)
        ],
    }


def wait_until(predicate: Callable[[], object], timeout: float = DEADLINE) -> bool:
    """Poll ``predicate`` until it is true (True) or the deadline passes (False)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True
