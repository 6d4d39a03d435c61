"""The steps of the upgrade, run against one database at a time.

Old phase (parviraptor 2.2.2): migrate, write the history, kill an old
worker in the middle of one job per queue (its row stays PROCESSING), write
the successors. Then the upgrade as the README tells (stop the old workers:
they are dead already; install: ``environment.make_new_venv``;
``makemigrations``; ``migrate``) and our workers, one ``process_queue
--until-empty`` per queue. Everything observed goes into a ``Facts`` for
``checks.py``.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from compat.upgrade.environment import ScenarioError, Venv, clean_env, run

__all__ = ["QUEUES", "Database", "Facts", "makemigrations", "new_phase", "old_phase"]

APP = "upgradejobs"
QUEUES = ("IndependentJob", "FifoJob", "KeyedJob")
# An old worker's PROCESSING row counts as lost once older than the jobs'
# MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN (3 s in the project) and the
# project's PARVIRAPTOR_HEARTBEAT_TIMEOUT (2 s); plus a margin.
LOST_AFTER_SECONDS = 4.0
WORKER_TIMEOUT = 180


@dataclass
class Database:
    kind: str  # "mysql" or "postgres"
    name: str
    project: Path
    workdir: Path

    def env(self, phase: str, **extra: str) -> dict[str, str]:
        return clean_env(
            UPGRADE_DB=self.kind,
            UPGRADE_DB_NAME=self.name,
            UPGRADE_PHASE=phase,
            **extra,
        )

    def manage(self, venv: Venv, phase: str, *args: str, timeout=600):
        argv = venv.manage_argv(self.project, *args)
        return run(argv, cwd=self.project, env=self.env(phase), timeout=timeout)


@dataclass
class Facts:
    """What one database went through; checks.py judges it."""

    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    sqlmigrate: str = ""
    workers: dict = field(default_factory=dict)  # queue -> (exit code, output tail)
    health: dict = field(default_factory=dict)
    killed_at: float = 0.0


def old_phase(db: Database, old: Venv) -> Facts:
    facts = Facts()
    db.manage(old, "old", "upgrade_database", "create")
    db.manage(old, "old", "migrate", "--no-input")
    db.manage(old, "old", "upgrade_seed", "history")
    for queue in QUEUES:
        _kill_old_worker_in_the_middle(db, old, queue)
    facts.killed_at = time.monotonic()
    db.manage(old, "old", "upgrade_seed", "successors")
    facts.before = _snapshot(db, old, "old")
    return facts


def _kill_old_worker_in_the_middle(db: Database, old: Venv, queue: str) -> None:
    """Start 2.2.2's process_queue, wait until it is inside the blocking job, kill -9."""
    block_dir = db.workdir / f"block-{db.kind}-{queue}"
    block_dir.mkdir()
    argv = old.manage_argv(db.project, "process_queue", APP, queue)
    env = db.env("old", UPGRADE_BLOCK_DIR=str(block_dir))
    with open(db.workdir / f"old-worker-{db.kind}-{queue}.log", "wb") as log:
        worker = subprocess.Popen(argv, cwd=db.project, env=env, stdout=log, stderr=log)
        try:
            _wait_for(lambda: any(block_dir.iterdir()) or worker.poll() is not None, 60)
            if worker.poll() is not None:
                raise ScenarioError(
                    f"the old {queue} worker exited {worker.returncode}"
                )
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)


def _wait_for(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise ScenarioError(f"timed out after {timeout:.0f}s")
        time.sleep(0.05)


def makemigrations(db: Database, new: Venv) -> tuple[str, dict]:
    """Our makemigrations on the old app; the new migration's operations."""
    made = db.manage(new, "new", "makemigrations", APP)
    ops = db.manage(new, "new", "upgrade_migration_ops", APP)
    return made.stdout, json.loads(ops.stdout)


def new_phase(db: Database, new: Venv, facts: Facts, migration: str) -> None:
    facts.sqlmigrate = db.manage(new, "new", "sqlmigrate", APP, migration).stdout
    db.manage(new, "new", "migrate", "--no-input")
    # The killed workers' jobs count as lost once LOST_AFTER_SECONDS have
    # passed: a precondition of the run, not a synchronisation.
    time.sleep(max(0.0, facts.killed_at + LOST_AFTER_SECONDS - time.monotonic()))
    for queue in QUEUES:
        facts.workers[queue] = _run_worker(db, new, queue)
    facts.after = _snapshot(db, new, "new")
    facts.health = json.loads(db.manage(new, "new", "upgrade_health").stdout)


def _run_worker(db: Database, new: Venv, queue: str) -> tuple[int, str]:
    argv = new.manage_argv(db.project, "process_queue", APP, queue, "--until-empty")
    try:
        result = subprocess.run(
            argv, cwd=db.project, env=db.env("new"), capture_output=True, text=True,
            timeout=WORKER_TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        return -1, f"still running after {WORKER_TIMEOUT}s: {str(exc.stderr)[-1500:]}"
    return result.returncode, (result.stdout + result.stderr)[-1500:]


def _snapshot(db: Database, venv: Venv, phase: str) -> dict:
    return json.loads(db.manage(venv, phase, "upgrade_snapshot").stdout)
