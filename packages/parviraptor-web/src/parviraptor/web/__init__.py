"""Monitoring views, dashboard, metrics and admin for parviraptor job queues.

Add ``"parviraptor.web"`` to ``INSTALLED_APPS`` and include
``parviraptor.urls`` in the project's URLconf. The names below are imported
lazily, so that importing this package never touches the app registry.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

__all__ = [
    "JobAdmin",
    "QueueStats",
    "__version__",
    "collect_queue_stats",
    "has_access",
    "ignore_job",
    "retry_failed_jobs",
    "retry_job",
]

_LAZY = {
    "JobAdmin": "parviraptor.web.admin",
    "QueueStats": "parviraptor.web.queries.stats",
    "collect_queue_stats": "parviraptor.web.queries.stats",
    "has_access": "parviraptor.web.access",
    "ignore_job": "parviraptor.web.operations",
    "retry_failed_jobs": "parviraptor.web.operations",
    "retry_job": "parviraptor.web.operations",
}


def __getattr__(name: str) -> Any:
    """Import the public names on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
