"""Settings of parviraptor with their defaults (all durations in seconds).

``PARVIRAPTOR_POLL_INTERVAL``      idle wait between two empty claims (1.0)
``PARVIRAPTOR_HEARTBEAT_INTERVAL`` how often a worker says it is alive (10.0)
``PARVIRAPTOR_HEARTBEAT_TIMEOUT``  silence after which its jobs are recovered (60.0)
``PARVIRAPTOR_USE_SKIP_LOCKED``    use ``SKIP LOCKED`` where the database has it;
                                   ``False`` forces the compare-and-set claim (True)
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, float | bool] = {
    "PARVIRAPTOR_POLL_INTERVAL": 1.0,
    "PARVIRAPTOR_HEARTBEAT_INTERVAL": 10.0,
    "PARVIRAPTOR_HEARTBEAT_TIMEOUT": 60.0,
    "PARVIRAPTOR_USE_SKIP_LOCKED": True,
}


def seconds(name: str) -> float:
    """The duration setting ``name`` as a positive float."""
    value = float(getattr(settings, name, DEFAULTS[name]))
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


def poll_interval() -> float:
    return seconds("PARVIRAPTOR_POLL_INTERVAL")


def heartbeat_interval() -> float:
    return seconds("PARVIRAPTOR_HEARTBEAT_INTERVAL")


def heartbeat_timeout() -> float:
    return seconds("PARVIRAPTOR_HEARTBEAT_TIMEOUT")


def use_skip_locked() -> bool:
    return bool(getattr(settings, "PARVIRAPTOR_USE_SKIP_LOCKED", True))
