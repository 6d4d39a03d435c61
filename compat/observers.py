"""Running the observer (``compat/downstream``, ``python -m observe``) of one
target on one database, each in its own database, several at a time."""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from compat.targets import Target

__all__ = ["DOWNSTREAM", "Run", "database_name", "observe_all"]

DOWNSTREAM = Path(__file__).resolve().parent / "downstream"
TIMEOUT = 20 * 60


def database_name(target: Target, database: str) -> str:
    """``<prefix>compat_<target>_<db>``; the prefix keeps checkouts apart."""
    prefix = os.environ.get("PARVIRAPTOR_TEST_DB_PREFIX", "")
    return f"{prefix}compat_{target.name}_{database}"


@dataclass
class Run:
    target: Target
    database: str
    python: Path
    out: Path
    observation: dict | None = None
    failure: str | None = None


def observe_all(runs: list[Run], parallel: int, only: str, keep: bool) -> None:
    with ThreadPoolExecutor(max_workers=max(parallel, 1)) as pool:
        for _ in pool.map(lambda run: _observe(run, only, keep), runs):
            pass


def _observe(run: Run, only: str, keep: bool) -> None:
    log = run.out.with_suffix(".log")
    argv = [str(run.python), "-m", "observe", "--db", run.database]
    argv += ["--name", database_name(run.target, run.database), "--out", str(run.out)]
    argv += ["--only", only] + (["--keep-database"] if keep else [])
    env = {**os.environ, "PYTHONPATH": "", "PYTHONDONTWRITEBYTECODE": "1"}
    run.out.unlink(missing_ok=True)
    with log.open("wb") as output:
        try:
            code = subprocess.run(
                argv,
                cwd=DOWNSTREAM,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=TIMEOUT,
            ).returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    if code != 0 or not run.out.exists():
        run.failure = (
            f"{run.target.name} on {run.database}: observer exit {code}, see {log}"
        )
        return
    run.observation = json.loads(run.out.read_text())
