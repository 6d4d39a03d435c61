"""parviraptor-worker: processes job queues (``manage.py process_queue``).

The names are imported lazily so that importing this app package does not
touch the model registry before Django is set up. ``JobWorker``,
``QueueWorkerLogger`` and the ``DEFAULT_*`` thresholds are the original's
names (see ``compat``).
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "DEFAULT_DEFERRED_RETRY_THRESHOLD": "compat",
    "DEFAULT_TEMPORARY_FAILURE_THRESHOLD": "compat",
    "JobWorker": "compat",
    "QueueWorker": "loop",
    "QueueWorkerLogger": "compat",
    "run_worker_pool": "pool",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
