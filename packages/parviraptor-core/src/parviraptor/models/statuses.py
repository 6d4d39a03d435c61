"""The states a job moves through, and how a failing job backs off.

Both enumerations are the original parviraptor's (2.x, 4.x): the status
labels are ``TextChoices``' own ("New", "Processing", ...), so that the
``choices`` of an upgraded ``status`` column are unchanged and
``makemigrations`` finds nothing to alter; ``BackoffStrategy`` is a plain
``enum.Enum`` with the values 1 and 2.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import Any

from django.db import models

__all__ = ["BackoffStrategy", "JobStatus", "backoff_delay", "backoff_strategy"]


class JobStatus(models.TextChoices):
    NEW = "NEW"
    PROCESSING = "PROCESSING"
    PROCESSED = "PROCESSED"
    SQUASHED = "SQUASHED"
    FAILED = "FAILED"
    IGNORED = "IGNORED"
    DEFERRED = "DEFERRED"

    @classmethod
    def open_statuses(cls) -> tuple[JobStatus, ...]:
        """States of a job that has not finished: it blocks later same-key jobs."""
        return (cls.NEW, cls.PROCESSING, cls.DEFERRED)

    @classmethod
    def finished_statuses(cls) -> tuple[JobStatus, ...]:
        return tuple(s for s in cls if s not in cls.open_statuses())


@enum.unique
class BackoffStrategy(enum.Enum):
    EXPONENTIAL = enum.auto()
    CONSTANT = enum.auto()


def backoff_strategy(value: Any) -> BackoffStrategy | None:
    """The strategy ``value`` names: a member, or a member's name as a string
    (``"CONSTANT"``, accepted since parviraptor-core 0.1); ``None`` if neither."""
    if isinstance(value, BackoffStrategy):
        return value
    if isinstance(value, str):
        return BackoffStrategy.__members__.get(value)
    return None


def backoff_delay(strategy: Any, step_minutes: float, error_count: int) -> timedelta:
    """How long a job waits after a temporary failure, as the original did.

    ``error_count`` is the job's error count *before* this failure (or the
    one a ``TemporaryJobFailure`` carries): with a step of 2 the first retry
    waits 1 minute, then 2, 4, ... CONSTANT waits ``step`` minutes;
    EXPONENTIAL waits ``step ** min(n, 5)``. A step of 0 means "retry at
    once", whatever the strategy (the original waited ``0 ** 0`` = 1 minute
    after the first failure).
    """
    resolved = backoff_strategy(strategy)
    if resolved is BackoffStrategy.CONSTANT:
        minutes = step_minutes
    elif resolved is BackoffStrategy.EXPONENTIAL:
        minutes = step_minutes ** min(max(error_count, 0), 5) if step_minutes else 0
    else:
        raise ValueError(f"unknown backoff strategy {strategy!r}")
    return timedelta(minutes=minutes)
