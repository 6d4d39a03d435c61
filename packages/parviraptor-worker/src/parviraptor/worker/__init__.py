"""parviraptor-worker: processes job queues (``manage.py process_queue``).

``QueueWorker`` is imported lazily so that importing this app package does
not touch the model registry before Django is set up.
"""

from __future__ import annotations

from typing import Any

__all__ = ["QueueWorker", "run_worker_pool"]


def __getattr__(name: str) -> Any:
    if name == "QueueWorker":
        from parviraptor.worker.loop import QueueWorker

        return QueueWorker
    if name == "run_worker_pool":
        from parviraptor.worker.pool import run_worker_pool

        return run_worker_pool
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
