"""Which database errors the worker rides out (outages, busy locks) and
which it does not (missing migrations, oversized packets, anything else).

Errors as the drivers raise them, wrapped the way Django wraps them, and
real errors from the test database.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.utils import OperationalError

from parviraptor.exceptions import TemporaryJobFailure
from parviraptor.worker.db import (
    ErrorKind,
    classify_error,
    is_schema_error,
    is_transient_error,
)
from parviraptor.worker.resilience import CappedBackoff, retry_on_outage

from testproject.jobs.models import IndependentJob


def wrapped(driver_error: Exception, django_class=OperationalError) -> Exception:
    """``driver_error`` as Django raises it: its own class, from the driver's."""
    try:
        raise django_class(*driver_error.args) from driver_error
    except django_class as exc:
        return exc


def mysql(code: int, message: str = "", kind: str = "OperationalError") -> Exception:
    MySQLdb = pytest.importorskip("MySQLdb")
    return wrapped(getattr(MySQLdb, kind)(code, message))


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (2002, ErrorKind.CONNECTION),  # can't connect through the socket
        (2003, ErrorKind.CONNECTION),  # can't connect
        (2006, ErrorKind.CONNECTION),  # server has gone away
        (2013, ErrorKind.CONNECTION),  # lost connection during query
        (1053, ErrorKind.CONNECTION),  # server shutdown in progress
        (1927, ErrorKind.CONNECTION),  # connection was killed (MariaDB)
        (1205, ErrorKind.LOCK),  # lock wait timeout
        (1213, ErrorKind.LOCK),  # deadlock
        (1054, ErrorKind.SCHEMA),  # unknown column
        (1146, ErrorKind.SCHEMA),  # no such table
        (1153, ErrorKind.OTHER),  # packet bigger than max_allowed_packet
        (1366, ErrorKind.OTHER),  # incorrect string value
    ],
)
def test_mysql_errors_by_code(code, kind):
    assert classify_error(mysql(code, "message")) is kind


def test_a_closed_mysql_connection_is_an_outage():
    assert is_transient_error(mysql(0, "", kind="InterfaceError"))


@pytest.mark.parametrize(
    ("sqlstate", "kind"),
    [
        ("57P01", ErrorKind.CONNECTION),  # terminating connection (admin)
        ("08006", ErrorKind.CONNECTION),  # connection failure
        ("40P01", ErrorKind.LOCK),  # deadlock detected
        ("55P03", ErrorKind.LOCK),  # lock not available
        ("40001", ErrorKind.LOCK),  # serialization failure
        ("42703", ErrorKind.SCHEMA),  # undefined column
        ("42P01", ErrorKind.SCHEMA),  # undefined table
        ("54000", ErrorKind.OTHER),  # program limit exceeded
        ("22021", ErrorKind.OTHER),  # bad byte sequence
    ],
)
def test_postgresql_errors_by_sqlstate(sqlstate, kind):
    errors = pytest.importorskip("psycopg.errors")
    driver_error = errors.lookup(sqlstate)("message")
    assert classify_error(wrapped(driver_error)) is kind


def test_a_postgresql_connection_lost_without_sqlstate_is_an_outage():
    psycopg = pytest.importorskip("psycopg")
    lost = psycopg.OperationalError("server closed the connection unexpectedly")
    assert is_transient_error(wrapped(lost))


@pytest.mark.parametrize(
    ("driver_error", "kind"),
    [
        (sqlite3.OperationalError("database is locked"), ErrorKind.LOCK),
        (sqlite3.OperationalError("database table is locked"), ErrorKind.LOCK),
        (sqlite3.OperationalError("no such column: claimed_by"), ErrorKind.SCHEMA),
        (sqlite3.OperationalError("no such table: jobs_x"), ErrorKind.SCHEMA),
        (
            sqlite3.OperationalError("table jobs_x has no column named key_head"),
            ErrorKind.SCHEMA,
        ),
        (sqlite3.OperationalError("disk I/O error"), ErrorKind.OTHER),
        (sqlite3.InterfaceError("Error binding parameter 1"), ErrorKind.OTHER),
    ],
)
def test_sqlite_errors(driver_error, kind):
    assert classify_error(wrapped(driver_error)) is kind


def test_errors_that_are_no_database_errors_are_other():
    assert classify_error(ValueError("x")) is ErrorKind.OTHER
    assert not is_transient_error(RuntimeError("gone away"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    ["SELECT no_such_column FROM {table}", "SELECT * FROM no_such_table_of_ours"],
)
def test_real_schema_errors_of_this_database(sql):
    table = connection.ops.quote_name(IndependentJob._meta.db_table)
    with (
        pytest.raises(DatabaseError) as caught,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(table=table))
    assert is_schema_error(caught.value)
    assert not is_transient_error(caught.value)


def test_a_temporary_failure_is_no_database_error():
    assert classify_error(TemporaryJobFailure("x", 1)) is ErrorKind.OTHER


def test_retry_on_outage_gives_up_once_stopped():
    """Riding out an outage, a stop (SIGTERM) ends the retries."""
    stop = threading.Event()
    calls = []

    def outage():
        calls.append(1)
        if len(calls) == 2:
            stop.set()
        raise wrapped(sqlite3.OperationalError("database is locked"))

    backoff = CappedBackoff(initial=0.001, cap=0.001)
    assert retry_on_outage(outage, "test", stop, backoff) is None
    assert len(calls) == 2


def test_retry_on_outage_does_not_retry_a_schema_error():
    calls = []

    def missing_column():
        calls.append(1)
        raise wrapped(sqlite3.OperationalError("no such column: key_head"))

    with pytest.raises(OperationalError):
        retry_on_outage(missing_column, "test", threading.Event())
    assert len(calls) == 1
