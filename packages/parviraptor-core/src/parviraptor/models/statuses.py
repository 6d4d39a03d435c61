"""The states a job moves through, and how a failing job backs off.

The status labels are ``TextChoices``' own ("New", "Processing", ...), as
the original parviraptor's, so that the ``choices`` of an upgraded
``status`` column are unchanged and ``makemigrations`` finds nothing to alter.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models

__all__ = ["BackoffStrategy", "JobStatus", "backoff_delay"]


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


class BackoffStrategy(models.TextChoices):
    EXPONENTIAL = "EXPONENTIAL", "exponential"
    CONSTANT = "CONSTANT", "constant"


def backoff_delay(strategy: str, step_minutes: float, error_count: int) -> timedelta:
    """How long a job waits after its ``error_count``-th temporary failure.

    CONSTANT waits ``step`` minutes; EXPONENTIAL waits ``step ** min(n, 5)``.
    """
    if strategy == BackoffStrategy.CONSTANT:
        minutes = step_minutes
    elif strategy == BackoffStrategy.EXPONENTIAL:
        minutes = step_minutes ** min(max(error_count, 0), 5)
    else:
        raise ValueError(f"unknown backoff strategy {strategy!r}")
    return timedelta(minutes=minutes)
