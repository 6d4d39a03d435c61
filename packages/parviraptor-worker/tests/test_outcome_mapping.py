"""``outcome_for``: the contract's table of outcomes as a pure function."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError

from parviraptor.exceptions import (
    DeferJob,
    IgnoreJob,
    InvalidJobError,
    TemporaryJobFailure,
)
from parviraptor.models import JobStatus
from parviraptor.worker.outcomes import outcome_for, outcome_for_lost_worker

from testproject.jobs.models import FifoJob, IndependentJob, NoRetryJob

THRESHOLD = 19


def test_returning_is_processed_with_the_message_cleared():
    outcome = outcome_for(IndependentJob(error_count=3), None, THRESHOLD)
    assert outcome.status == JobStatus.PROCESSED
    assert outcome.error_message is None  # cleared: NULL, as the original wrote it
    assert outcome.error_increment == 0
    assert outcome.retry_after is None
    assert outcome.is_final


@pytest.mark.parametrize(
    ("error_count", "minutes"),
    [(0, 1), (1, 2), (2, 4), (3, 8), (4, 16), (5, 32), (10, 32), (18, 32)],
)
def test_temporary_failure_exponential_backoff(error_count, minutes):
    job = IndependentJob(error_count=error_count)
    outcome = outcome_for(job, TemporaryJobFailure("later", error_count), THRESHOLD)
    assert outcome.status == JobStatus.NEW
    assert outcome.error_message == "later"
    assert outcome.error_increment == 1
    assert outcome.retry_after == timedelta(minutes=minutes)
    assert not outcome.is_final


@pytest.mark.parametrize("error_count", [0, 1, 7, 18])
def test_temporary_failure_constant_backoff(error_count):
    job = FifoJob(error_count=error_count)
    outcome = outcome_for(job, TemporaryJobFailure("later"), THRESHOLD)
    assert outcome.status == JobStatus.NEW
    assert outcome.retry_after == timedelta(minutes=1)


def test_temporary_failure_past_the_threshold_fails():
    outcome = outcome_for(
        IndependentJob(error_count=19), TemporaryJobFailure("x"), THRESHOLD
    )
    assert outcome.status == JobStatus.FAILED
    assert outcome.error_message == "error count reached threshold"
    assert outcome.error_increment == 1
    assert outcome.is_final


def test_threshold_is_configurable():
    outcome = outcome_for(IndependentJob(error_count=2), TemporaryJobFailure("x"), 2)
    assert outcome.status == JobStatus.FAILED


def test_defer():
    outcome = outcome_for(IndependentJob(error_count=5), DeferJob("busy"), THRESHOLD)
    assert outcome.status == JobStatus.DEFERRED
    assert outcome.error_message == "busy"
    assert outcome.error_increment == 1
    assert outcome.retry_after is None
    assert not outcome.is_final


def test_defer_past_the_threshold_fails():
    outcome = outcome_for(IndependentJob(error_count=19), DeferJob("busy"), THRESHOLD)
    assert outcome.status == JobStatus.FAILED
    assert outcome.error_message == "deferred retry threshold exceeded: busy"
    assert outcome.error_increment == 1


def test_ignore():
    outcome = outcome_for(IndependentJob(), IgnoreJob("nothing to do"), THRESHOLD)
    assert outcome.status == JobStatus.IGNORED
    assert outcome.error_message == "nothing to do"
    assert outcome.error_increment == 0
    assert outcome.is_final


@pytest.mark.parametrize(
    "exc",
    [InvalidJobError("bad data"), RuntimeError("bad data"), KeyError("bad data")],
    ids=["invalid", "runtime", "keyerror"],
)
def test_invalid_and_any_other_exception_fail(exc):
    outcome = outcome_for(IndependentJob(error_count=2), exc, THRESHOLD)
    assert outcome.status == JobStatus.FAILED
    assert outcome.error_message == str(exc)
    assert outcome.error_increment == 0
    assert outcome.is_final


@pytest.mark.parametrize("exc_class", [OperationalError, InterfaceError])
def test_a_database_outage_inside_a_job_is_temporary(exc_class):
    outcome = outcome_for(IndependentJob(), exc_class("gone away"), THRESHOLD)
    assert outcome.status == JobStatus.NEW
    assert outcome.error_increment == 1
    assert outcome.error_message == "gone away"


def wrapped(driver_error: Exception, django_class=OperationalError) -> Exception:
    """``driver_error`` as Django raises it: its own class, from the driver's."""
    try:
        raise django_class(*driver_error.args) from driver_error
    except django_class as exc:
        return exc


def test_a_transient_error_inside_a_job_backs_off_by_its_error_count():
    job = IndependentJob(error_count=3)
    lost = wrapped(sqlite3.OperationalError("database is locked"))
    outcome = outcome_for(job, lost, THRESHOLD)
    assert (outcome.status, outcome.error_increment) == (JobStatus.NEW, 1)
    assert outcome.retry_after == IndependentJob.backoff_delay(3)


def test_a_schema_error_inside_a_job_fails_it():
    error = wrapped(sqlite3.OperationalError("no such table: x"), ProgrammingError)
    outcome = outcome_for(IndependentJob(), error, THRESHOLD)
    assert outcome.status == JobStatus.FAILED


def test_lost_worker_retries():
    job = IndependentJob(error_count=0, claimed_by="host:123:abcd/0")
    outcome = outcome_for_lost_worker(job, THRESHOLD)
    assert outcome.status == JobStatus.NEW
    assert outcome.error_increment == 1
    assert "host:123:abcd/0" in outcome.error_message


def test_lost_worker_without_retry_fails():
    job = NoRetryJob(claimed_by="host:123:abcd/0")
    outcome = outcome_for_lost_worker(job, THRESHOLD)
    assert outcome.status == JobStatus.FAILED
    assert "host:123:abcd/0" in outcome.error_message


def test_lost_worker_past_the_threshold_fails():
    job = IndependentJob(error_count=19, claimed_by="w")
    assert outcome_for_lost_worker(job, THRESHOLD).status == JobStatus.FAILED
