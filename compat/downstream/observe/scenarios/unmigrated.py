"""A worker started before ``migrate``: the job table does not exist yet."""

from __future__ import annotations

from observe import procs

DEADLINE = 20.0


def observe() -> dict:
    return procs.manage("process_queue", "jobs", "IndependentJob", timeout=DEADLINE)
