"""Checks of a job class's settings (IDs E003, E004, W002 to W004).

Whether a number can work is decided by doing what the worker, the
monitoring and the clean-up do with it: turning it into time spans and
moving now by them. A value for which that raises (no number, NaN, a span
past the calendar's end) is an error; an odd value that works a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import checks
from django.utils import timezone

from parviraptor.models.abstract import AbstractJob
from parviraptor.models.statuses import backoff_delay, backoff_strategy

__all__ = ["check_class_settings"]

#: The most failures the exponential backoff tells apart (``step ** min(n, 5)``).
LAST_EXPONENT = 5


@dataclass(frozen=True)
class NumericSetting:
    """A numeric class setting: the spans it makes, and when it is odd."""

    name: str
    spans: Callable[[type[AbstractJob], Any], list[timedelta]]
    is_odd: Callable[[Any], bool]
    warning_id: str
    warning: str
    none_allowed: bool = False


def _backoff_spans(model: type[AbstractJob], step: Any) -> list[timedelta]:
    strategy = model.BACKOFF_STRATEGY
    return [backoff_delay(strategy, step, n) for n in range(LAST_EXPONENT + 1)]


SETTINGS = [
    NumericSetting(
        "BACKOFF_STEP_MINUTES",
        _backoff_spans,
        lambda step: step < 0,
        "W003",
        "a negative delay means 'retry at once'; 0 with BackoffStrategy.CONSTANT "
        "says so",
    ),
    *(
        NumericSetting(
            name,
            lambda model, minutes: [timedelta(minutes=-minutes)],
            lambda minutes: minutes <= 0,
            "W002",
            "every job in that state counts as a problem of the queue "
            "(monitoring, health text)",
        )
        for name in (
            "MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN",
            "MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN",
        )
    ),
    NumericSetting(
        "MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS",
        lambda model, days: [timedelta(days=-days)],
        lambda days: days < 0,
        "W004",
        "clean_old_processed_jobs deletes every PROCESSED job, even one finished "
        "a moment ago (None keeps them, 0 deletes all finished before now)",
        none_allowed=True,
    ),
]


def check_class_settings(model: type[AbstractJob]) -> list[checks.CheckMessage]:
    strategy_errors = _check_strategy(model)
    messages = list(strategy_errors)
    for setting in SETTINGS:
        if strategy_errors and setting.spans is _backoff_spans:
            continue  # without a strategy there are no delays to compute
        messages.extend(_check_setting(model, setting))
    return messages


def _check_strategy(model: type[AbstractJob]) -> list[checks.CheckMessage]:
    strategy = model.BACKOFF_STRATEGY
    if backoff_strategy(strategy) is not None:
        return []
    return [
        checks.Error(
            f"{model._meta.label}.BACKOFF_STRATEGY is {strategy!r}, "
            "not a BackoffStrategy",
            hint="Use BackoffStrategy.EXPONENTIAL or BackoffStrategy.CONSTANT.",
            obj=model,
            id="parviraptor.E003",
        )
    ]


def _check_setting(
    model: type[AbstractJob], setting: NumericSetting
) -> list[checks.CheckMessage]:
    value = getattr(model, setting.name)
    if value is None and setting.none_allowed:
        return []
    text = f"{model._meta.label}.{setting.name} is {value!r}"
    problem = _number_problem(model, setting, value)
    if problem is not None:
        return [
            checks.Error(
                f"{text}: {problem}",
                hint="Use an int or a float.",
                obj=model,
                id="parviraptor.E004",
            )
        ]
    if setting.is_odd(value):
        return [
            checks.Warning(
                f"{text}: {setting.warning}",
                obj=model,
                id=f"parviraptor.{setting.warning_id}",
            )
        ]
    return []


def _number_problem(
    model: type[AbstractJob], setting: NumericSetting, value: Any
) -> str | None:
    if not isinstance(value, (int, float)):
        return "not a number"
    now = timezone.now()
    try:
        for span in setting.spans(model, value):
            now + span  # raises OverflowError past the calendar
    except (OverflowError, ValueError):
        return "no time span a date can be moved by (years 1 to 9999)"
    return None
