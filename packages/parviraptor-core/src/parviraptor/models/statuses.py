"""The states a job moves through, and how a failing job backs off."""

from __future__ import annotations

from datetime import timedelta

from django.db import models

__all__ = ["BackoffStrategy", "JobStatus", "backoff_delay"]


class JobStatus(models.TextChoices):
    NEW = "NEW", "new"
    PROCESSING = "PROCESSING", "processing"
    PROCESSED = "PROCESSED", "processed"
    SQUASHED = "SQUASHED", "squashed"
    FAILED = "FAILED", "failed"
    IGNORED = "IGNORED", "ignored"
    DEFERRED = "DEFERRED", "deferred"

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
    """How long a job waits after a temporary failure, as the original did.

    ``error_count`` is the job's error count *before* this failure (or the
    one a ``TemporaryJobFailure`` carries): with a step of 2 the first retry
    waits 1 minute, then 2, 4, ... CONSTANT waits ``step`` minutes;
    EXPONENTIAL waits ``step ** min(n, 5)``. A step of 0 means "retry at
    once", whatever the strategy (the original waited ``0 ** 0`` = 1 minute
    after the first failure).
    """
    if strategy == BackoffStrategy.CONSTANT:
        minutes = step_minutes
    elif strategy == BackoffStrategy.EXPONENTIAL:
        minutes = step_minutes ** min(max(error_count, 0), 5) if step_minutes else 0
    else:
        raise ValueError(f"unknown backoff strategy {strategy!r}")
    return timedelta(minutes=minutes)
