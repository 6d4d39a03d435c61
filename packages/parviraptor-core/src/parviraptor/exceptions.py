"""Exceptions a job's ``process()`` raises to tell the worker what happened.

Each one maps to a state transition (see the contract's table):
``TemporaryJobFailure`` -> NEW again after a backoff, ``DeferJob`` ->
DEFERRED, ``IgnoreJob`` -> IGNORED, ``InvalidJobError`` (like any other
exception) -> FAILED.
"""

from __future__ import annotations

__all__ = [
    "DeferJob",
    "IgnoreJob",
    "InvalidJobError",
    "TemporaryJobFailure",
    "UnprocessableJob",
]


class TemporaryJobFailure(Exception):
    """The job failed for now and should be retried after its backoff delay."""

    def __init__(self, message: str, error_count: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.error_count = error_count

    def __str__(self) -> str:
        return self.message


class InvalidJobError(Exception):
    """The job can never succeed (bad data); it becomes FAILED."""


class IgnoreJob(Exception):
    """The job has nothing to do; it becomes IGNORED with the given message."""


class DeferJob(Exception):
    """Not now: the job becomes DEFERRED and is retried when the queue is idle."""


class UnprocessableJob(Exception):
    """Raised by helpers when a job cannot be processed (e.g. wrong class)."""
