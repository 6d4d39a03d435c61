"""Fixtures shared by the test-suites of the four packages.

Worker subprocesses run ``manage.py`` of the test project against the test
database (its name passed in ``PARVIRAPTOR_DB_NAME``). Every wait is a poll
of a condition with a generous deadline, never a bare sleep, so that the
suites pass on a loaded two-core machine.
"""

from __future__ import annotations

import ast
import inspect
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent
MANAGE_PY = REPO_ROOT / "manage.py"

# Generous: the machine running the matrix may be busy.
DEFAULT_DEADLINE = 120.0


def wait_for(
    predicate: Callable[[], Any],
    timeout: float = DEFAULT_DEADLINE,
    interval: float = 0.05,
    message: str | Callable[[], str] = "condition",
) -> Any:
    """Poll ``predicate`` until it returns something truthy; return that.

    Fails the test when ``timeout`` seconds pass first.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {text}")
        time.sleep(interval)


class ManagedProcess:
    """A ``manage.py`` subprocess whose output goes to files (no pipe stalls)."""

    def __init__(self, argv: list[str], env: dict[str, str], workdir: Path) -> None:
        self.argv = argv
        fd_out, self._stdout_path = tempfile.mkstemp(
            prefix="worker-", suffix=".out", dir=workdir
        )
        fd_err, self._stderr_path = tempfile.mkstemp(
            prefix="worker-", suffix=".err", dir=workdir
        )
        with os.fdopen(fd_out, "wb") as out, os.fdopen(fd_err, "wb") as err:
            self.popen = subprocess.Popen(
                argv,
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def is_running(self) -> bool:
        return self.popen.poll() is None

    def send_signal(self, signum: int) -> None:
        if self.is_running():
            self.popen.send_signal(signum)

    def kill(self) -> None:
        if self.is_running():
            self.popen.kill()
        self.popen.wait(timeout=30)

    def wait(self, timeout: float = DEFAULT_DEADLINE) -> int:
        """The exit code; fails the test if the process outlives ``timeout``."""
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(
                f"{' '.join(self.argv[2:])} did not exit within {timeout:.0f}s; "
                f"stderr:\n{self.stderr}"
            )

    @property
    def stdout(self) -> str:
        return Path(self._stdout_path).read_text(errors="replace")

    @property
    def stderr(self) -> str:
        return Path(self._stderr_path).read_text(errors="replace")

    def describe(self) -> str:
        return (
            f"{' '.join(self.argv[2:])} (pid {self.pid}, rc {self.returncode})\n"
            f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"
        )


def _base_env(db_name: str, **extra: str) -> dict[str, str]:
    from django.conf import settings

    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "testproject.settings"
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    env["PARVIRAPTOR_DB_NAME"] = db_name
    env["PARVIRAPTOR_TEST_DB"] = getattr(
        settings, "DB_KIND", os.environ.get("PARVIRAPTOR_TEST_DB", "mysql8")
    )
    env.update(extra)
    return env


@pytest.fixture
def wait_until() -> Callable[..., Any]:
    """``wait_until(predicate, timeout=120, interval=0.05, message=...)``."""
    return wait_for


@pytest.fixture
def worker_env(django_db_setup: None) -> dict[str, str]:
    """Environment for subprocesses that must use this session's test database."""
    from django.db import connection

    return _base_env(str(connection.settings_dict["NAME"]))


@pytest.fixture
def start_manage(worker_env: dict[str, str], tmp_path: Path) -> Any:
    """``start_manage(*args, env=None)``: a running ``manage.py <args>`` process.

    ``env`` entries are added to ``worker_env``. Processes still running at
    the end of the test are killed.
    """
    processes: list[ManagedProcess] = []

    def start(*args: str, env: dict[str, str] | None = None) -> ManagedProcess:
        full_env = dict(worker_env)
        full_env.update(env or {})
        argv = [sys.executable, str(MANAGE_PY), *map(str, args)]
        process = ManagedProcess(argv, full_env, tmp_path)
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.is_running():
            process.send_signal(signal.SIGKILL)
        try:
            process.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass


@pytest.fixture
def start_worker(start_manage: Any) -> Any:
    """``start_worker("KeyedJob", "--until-empty", env=None, app="jobs")``.

    Starts ``manage.py process_queue <app> <Model> <args>`` with
    ``worker_env``; leftovers are killed at teardown.
    """

    def start(
        model: str, *args: str, env: dict[str, str] | None = None, app: str = "jobs"
    ) -> ManagedProcess:
        return start_manage("process_queue", app, model, *args, env=env)

    return start


def _run_manage(
    env: dict[str, str], args: tuple[str, ...], timeout: float
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), *map(str, args)],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def manage_runner(django_db_setup: None) -> Any:
    """Session-wide ``run(*args, env=None, timeout=120)`` of ``manage.py``
    against the test database, for module-scoped fixtures."""
    from django.db import connection

    base = _base_env(str(connection.settings_dict["NAME"]))

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return _run_manage({**base, **(env or {})}, args, timeout)

    return run


@pytest.fixture
def run_manage(worker_env: dict[str, str]) -> Any:
    """``run_manage(*args, env=None, timeout=120)``: a finished CompletedProcess."""

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return _run_manage({**worker_env, **(env or {})}, args, timeout)

    return run


@pytest.fixture
def ordering_problems() -> Callable[..., list[str]]:
    """``ordering_problems(JobClass, events=True)``: what breaks per-key order.

    For each key (combination of dependent field values; one key for a strict
    FIFO queue), in id order: ``modification_date`` never decreases (jobs
    completed in id order) and, with ``events``, the JobEvent start..end
    intervals of the key never overlap and follow id order.
    """

    def problems(job_class: Any, events: bool = True) -> list[str]:
        from testproject.jobs.models import JobEvent

        names = job_class.key_attnames()
        rows = list(
            job_class.objects.order_by("pk").values("pk", "modification_date", *names)
        )
        spans: dict[int, list[Any]] = {}
        if events:
            for job_id, event, at in JobEvent.objects.filter(
                queue=job_class.__name__, event__in=["start", "end"]
            ).values_list("job_id", "event", "at"):
                span = spans.setdefault(job_id, [None, None])
                if event == "start":
                    span[0] = at if span[0] is None else min(span[0], at)
                else:
                    span[1] = at if span[1] is None else max(span[1], at)
        by_key: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for row in rows:
            by_key.setdefault(tuple(row[name] for name in names), []).append(row)
        found = []
        for key, jobs in by_key.items():
            for earlier, later in pairwise(jobs):
                if later["modification_date"] < earlier["modification_date"]:
                    found.append(
                        f"key {key}: job {later['pk']} completed before "
                        f"job {earlier['pk']}"
                    )
                if not events:
                    continue
                first, second = spans.get(earlier["pk"]), spans.get(later["pk"])
                if not first or not second or None in first or None in second:
                    found.append(
                        f"key {key}: missing events of job {earlier['pk']} "
                        f"or {later['pk']}"
                    )
                elif second[0] < first[1]:
                    found.append(
                        f"key {key}: job {later['pk']} started at {second[0]} "
                        f"before job {earlier['pk']} ended at {first[1]}"
                    )
        return found

    return problems


def _alias_docstrings(module: ModuleType) -> dict[str, str | None]:
    """Each name of ``module.__all__`` bound by an assignment, with the
    docstring that follows it (None where there is none)."""
    body = ast.parse(inspect.getsource(module)).body
    found: dict[str, str | None] = {}
    for statement, after in zip(body, [*body[1:], None], strict=True):
        if not isinstance(statement, ast.Assign):
            continue
        doc = None
        if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
            doc = str(after.value.value)
        for target in statement.targets:
            if isinstance(target, ast.Name) and target.id in module.__all__:
                found[target.id] = doc
    return found


@pytest.fixture
def alias_docstrings() -> Callable[[ModuleType], dict[str, str | None]]:
    """``alias_docstrings(compat_module)``: its aliases and their docstrings,
    to check that each old name says what it stands for and since when."""
    return _alias_docstrings
