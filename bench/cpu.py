"""CPU time per job of one worker slot, in this process.

Throughput on a shared machine moves with everybody's load; the CPU time
the worker itself spends per job (claiming, running a no-op ``process()``,
writing the result, not the database's time) moves far less, and it is what
a change to the worker's bookkeeping costs. The minimum of the repeats is
the figure to compare.
"""

from __future__ import annotations

import time

from bench.drain import KINDS, enqueue
from parviraptor.models import JobStatus
from parviraptor.worker.loop import QueueWorker


def cpu_per_job(kind: str, behaviour: str, backlog: int) -> float:
    """Microseconds of this process's CPU per job, draining ``backlog`` jobs."""
    model = KINDS[kind]
    enqueue(kind, backlog, behaviour=behaviour)
    model.objects.update(not_before=None)
    worker = QueueWorker(model, own_heartbeat=False, stop_when_empty=True)
    started = time.process_time()
    worker.run()
    spent = time.process_time() - started
    done = model.objects.filter(status=JobStatus.PROCESSED).count()
    if done != backlog:
        raise RuntimeError(f"{kind}: {done} of {backlog} jobs PROCESSED")
    return spent / backlog * 1e6
