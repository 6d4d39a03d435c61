"""Statuses, the backoff delay and the exceptions jobs raise (no database)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parviraptor.exceptions import (
    DeferJob,
    IgnoreJob,
    InvalidJobError,
    TemporaryJobFailure,
    UnprocessableJob,
)
from parviraptor.models import BackoffStrategy, JobStatus
from parviraptor.models.statuses import backoff_delay, backoff_strategy


def test_job_statuses_are_the_contracts():
    assert {status.value for status in JobStatus} == {
        "NEW",
        "PROCESSING",
        "PROCESSED",
        "SQUASHED",
        "FAILED",
        "IGNORED",
        "DEFERRED",
    }
    assert set(JobStatus.open_statuses()) == {"NEW", "PROCESSING", "DEFERRED"}
    assert set(JobStatus.finished_statuses()) == {
        "PROCESSED",
        "SQUASHED",
        "FAILED",
        "IGNORED",
    }


def test_job_status_labels_are_the_originals():
    """TextChoices' own labels, as the original's: the column's choices stay."""
    assert JobStatus.choices == [
        ("NEW", "New"),
        ("PROCESSING", "Processing"),
        ("PROCESSED", "Processed"),
        ("SQUASHED", "Squashed"),
        ("FAILED", "Failed"),
        ("IGNORED", "Ignored"),
        ("DEFERRED", "Deferred"),
    ]
    assert str(JobStatus.NEW) == "NEW"
    assert JobStatus.FAILED == "FAILED"


def test_backoff_strategies_are_the_originals():
    """A plain Enum with the values of ``enum.auto()``, as in the original."""
    assert [(s.name, s.value) for s in BackoffStrategy] == [
        ("EXPONENTIAL", 1),
        ("CONSTANT", 2),
    ]
    assert not isinstance(BackoffStrategy.CONSTANT, str)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (BackoffStrategy.CONSTANT, BackoffStrategy.CONSTANT),
        ("CONSTANT", BackoffStrategy.CONSTANT),
        ("EXPONENTIAL", BackoffStrategy.EXPONENTIAL),
        ("constant", None),
        (2, None),
        (None, None),
    ],
)
def test_backoff_strategy_takes_members_and_their_names(value, expected):
    assert backoff_strategy(value) is expected


@pytest.mark.parametrize("error_count", [0, 1, 2, 5, 19, 20])
@pytest.mark.parametrize("step", [1, 2, 3.5])
def test_constant_backoff_is_one_step(step, error_count):
    delay = backoff_delay(BackoffStrategy.CONSTANT, step, error_count)
    assert delay == timedelta(minutes=step)


@pytest.mark.parametrize(
    ("error_count", "minutes"),
    [(0, 1), (1, 2), (2, 4), (3, 8), (4, 16), (5, 32), (6, 32), (19, 32)],
)
def test_exponential_backoff_is_capped_at_the_fifth_power(error_count, minutes):
    assert backoff_delay("EXPONENTIAL", 2, error_count) == timedelta(minutes=minutes)


def test_exponential_backoff_with_step_three():
    assert backoff_delay("EXPONENTIAL", 3, 2) == timedelta(minutes=9)
    assert backoff_delay("EXPONENTIAL", 3, 7) == timedelta(minutes=3**5)


@pytest.mark.parametrize("error_count", [0, 1, 5, 19])
@pytest.mark.parametrize("strategy", ["EXPONENTIAL", "CONSTANT"])
def test_a_step_of_zero_retries_at_once(strategy, error_count):
    """Also for n = 0, where the original waited 0 ** 0 = 1 minute."""
    assert backoff_delay(strategy, 0, error_count) == timedelta(0)


def test_unknown_backoff_strategy_is_an_error():
    with pytest.raises(ValueError, match="LINEAR"):
        backoff_delay("LINEAR", 2, 1)


def test_job_class_backoff_uses_its_class_attributes():
    from testproject.jobs.models import FifoJob, IndependentJob

    assert IndependentJob.backoff_delay(3) == timedelta(minutes=8)
    assert FifoJob.backoff_delay(3) == timedelta(minutes=1)


def test_temporary_job_failure_attributes():
    exc = TemporaryJobFailure("remote down", 3)
    assert exc.message == "remote down"
    assert exc.error_count == 3
    assert str(exc) == "remote down"
    assert isinstance(exc, Exception)


def test_temporary_job_failure_error_count_defaults_to_zero():
    assert TemporaryJobFailure("x").error_count == 0


@pytest.mark.parametrize(
    "exc_class", [InvalidJobError, IgnoreJob, DeferJob, UnprocessableJob]
)
def test_other_exceptions_carry_their_message(exc_class):
    exc = exc_class("why")
    assert str(exc) == "why"
    assert isinstance(exc, Exception)
    assert not isinstance(exc, TemporaryJobFailure)
