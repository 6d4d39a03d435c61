"""A live ``process_queue`` worker process for the length of a test.

The process runs ``manage.py process_queue`` (through
``parviraptor.test.launch``) against the test's own databases, so the test
must commit what the worker is to see: ``TransactionTestCase`` or
pytest-django's ``transactional_db``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from typing import IO, Any

from django.db import connections

from parviraptor.models import AbstractJob
from parviraptor.test.launch import DATABASES_ENV
from parviraptor.test.waiting import wait_until
from parviraptor.worker.models import WorkerHeartbeat
from parviraptor.worker.transitions import database_for

__all__ = ["WorkerProcess", "WorkerProcessError"]


class WorkerProcessError(AssertionError):
    """The worker process did not start, or did not stop cleanly."""


def child_database_names() -> dict[str, str]:
    """The database NAME of each alias as the test process uses it now."""
    names = {}
    for alias in connections:
        connection = connections[alias]
        if getattr(connection, "is_in_memory_db", lambda: False)():
            raise WorkerProcessError(
                f"database {alias!r} is an in-memory SQLite database, which no "
                "other process can open: give it a file (DATABASES[...]['TEST']"
                "['NAME'])"
            )
        names[alias] = str(connection.settings_dict["NAME"])
    return names


def worker_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment plus what the child needs to find the project."""
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        raise WorkerProcessError(
            "DJANGO_SETTINGS_MODULE is not set: a worker process cannot load "
            "the settings of settings.configure()"
        )
    env = dict(os.environ)
    paths = [path or os.getcwd() for path in sys.path]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env[DATABASES_ENV] = json.dumps(child_database_names())
    env.update(extra or {})
    return env


class WorkerProcess:
    """``process_queue <app_label> <Model>`` in a child process.

    ``start()`` returns once the worker has registered its heartbeat (its
    signal handlers are installed by then); ``stop()`` sends SIGTERM and
    returns the exit status, which is 0 after a clean stop.
    """

    def __init__(
        self,
        job_class: type[AbstractJob],
        concurrency: int = 1,
        *,
        poll_interval: float = 0.05,
        until_empty: bool = False,
        args: tuple[str, ...] | list[str] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        self.job_class = job_class
        meta = job_class._meta
        self.command = [
            sys.executable,
            "-m",
            "parviraptor.test.launch",
            "process_queue",
            meta.app_label,
            meta.object_name,
            "--concurrency",
            str(concurrency),
            "--poll-interval",
            str(poll_interval),
            *(["--until-empty"] if until_empty else []),
            *args,
        ]
        self.env = env
        self.until_empty = until_empty
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        if self.process is None:
            raise WorkerProcessError("the worker process was not started")
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def output(self) -> str:
        """What the process wrote to stdout and stderr so far."""
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def start(self, timeout: float = 30.0) -> WorkerProcess:
        """Start the process and wait until it is ready to take jobs.

        With ``until_empty`` it may be done before it could be seen ready:
        then ``start()`` does not wait; use ``wait()``.
        """
        self._log = tempfile.TemporaryFile()  # noqa: SIM115  (open while it runs)
        self.process = subprocess.Popen(
            self.command,
            env=worker_environment(self.env),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        if not self.until_empty:
            wait_until(self._ready, timeout, 0.05, self._not_ready_message)
        return self

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise WorkerProcessError(
                f"worker process exited with {self.process.returncode} before it "
                f"was ready:\n{self.output}"
            )
        rows = WorkerHeartbeat.objects.using(database_for(self.job_class))
        return rows.filter(pid=self.pid).exists()

    def _not_ready_message(self) -> str:
        return f"worker process {self.pid} did not become ready:\n{self.output}"

    def wait(self, timeout: float = 30.0) -> int:
        """Wait for the process to exit on its own (``--until-empty``)."""
        try:
            return self._wait(timeout)
        except subprocess.TimeoutExpired:
            raise WorkerProcessError(
                f"worker process {self.pid} still runs after {timeout:g}s:\n"
                f"{self.output}"
            ) from None

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, then wait; SIGKILL and raise if it does not end in time."""
        if self.process is None:
            return 0
        if self.running:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self._wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise WorkerProcessError(
                f"worker process {self.pid} ignored SIGTERM for {timeout:g}s and "
                f"was killed:\n{self.output}"
            ) from None

    def _wait(self, timeout: float) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> WorkerProcess:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        try:
            code = self.stop()
            if code != 0 and exc_info[0] is None:
                raise WorkerProcessError(
                    f"worker process exited with {code}, not 0:\n{self.output}"
                )
        finally:
            self.close()
