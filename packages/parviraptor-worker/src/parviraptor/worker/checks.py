"""System check of the worker's timing settings.

``parviraptor_worker.E001``: a duration setting is not a positive number, or
``PARVIRAPTOR_HEARTBEAT_INTERVAL`` is not below half of
``PARVIRAPTOR_HEARTBEAT_TIMEOUT``. A slot starts jobs only while its last
beat is younger than half the timeout (its lease), so a longer interval
would stall every worker between two beats.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from parviraptor import conf

DURATIONS = (
    "PARVIRAPTOR_POLL_INTERVAL",
    "PARVIRAPTOR_HEARTBEAT_INTERVAL",
    "PARVIRAPTOR_HEARTBEAT_TIMEOUT",
)


@checks.register()
def check_worker_settings(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors = [_error(message) for message in _invalid_durations()]
    if errors:
        return errors
    interval, timeout = conf.heartbeat_interval(), conf.heartbeat_timeout()
    if interval >= timeout / 2:
        return [
            _error(
                f"PARVIRAPTOR_HEARTBEAT_INTERVAL ({interval:g}) must be less than "
                f"half of PARVIRAPTOR_HEARTBEAT_TIMEOUT ({timeout:g})",
                hint="Beat at least three times per timeout, e.g. 10 and 60.",
            )
        ]
    return []


def _invalid_durations() -> list[str]:
    messages = []
    for name in DURATIONS:
        try:
            conf.seconds(name)
        except (TypeError, ValueError) as exc:
            messages.append(f"{name}: {exc}")
    return messages


def _error(message: str, hint: str | None = None) -> checks.Error:
    return checks.Error(message, hint=hint, id="parviraptor_worker.E001")
