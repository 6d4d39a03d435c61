"""Which database errors are an outage, a busy lock, or a missing migration.

The worker retries only what goes away by reconnecting or trying again:
connection-level errors (lost connection, server gone or shutting down,
cannot connect) and the lock errors worth retrying (deadlock, lock wait
timeout, SQLite's "database is locked"). Anything else is no outage and is
never retried: a table or column that ``migrate`` has not created yet, or
MariaDB's 1153 (a packet bigger than ``max_allowed_packet``), would fail the
same way forever.

Errors are told apart by the driver's error code (MySQL/MariaDB), SQLSTATE
(PostgreSQL) or result code (SQLite), read from the driver's exception that
Django's wraps. An error of a driver not known here keeps the DB-API's
rough rule: ``OperationalError`` and ``InterfaceError`` are outages.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator

from django.db import InterfaceError, OperationalError


class ErrorKind(enum.Enum):
    CONNECTION = "connection"  # retry after reconnecting
    LOCK = "lock"  # retry: a deadlock, a lock wait timeout, a busy database
    SCHEMA = "schema"  # a table or column is missing: run migrate
    OTHER = "other"


MYSQL_CONNECTION = frozenset(
    {
        1040,  # too many connections
        1053,  # server shutdown in progress
        1152,  # aborted connection
        1158,  # got an error reading communication packets
        1159,  # got timeout reading communication packets
        1160,  # got an error writing communication packets
        1161,  # got timeout writing communication packets
        1184,  # aborted new connection
        1203,  # user has more than max_user_connections
        1927,  # connection was killed (MariaDB)
        2002,  # can't connect through the socket
        2003,  # can't connect to the server
        2005,  # unknown server host
        2006,  # server has gone away
        2012,  # error in the server handshake
        2013,  # lost connection during query
        2055,  # lost connection at some stage
        3169,  # session was killed (MySQL)
        4031,  # disconnected for inactivity (MySQL)
    }
)
MYSQL_LOCK = frozenset({1205, 1213})  # lock wait timeout, deadlock
MYSQL_SCHEMA = frozenset({1054, 1146})  # unknown column, no such table

PG_CONNECTION = frozenset({"57P01", "57P02", "57P03", "53300"})  # + class 08
PG_LOCK = frozenset({"40001", "40P01", "55P03"})
PG_SCHEMA = frozenset({"42P01", "42703"})  # undefined table, undefined column

SQLITE_LOCK_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED
SQLITE_LOCK_MESSAGES = ("database is locked", "database table is locked")
SQLITE_SCHEMA_MESSAGES = ("no such table", "no such column", "has no column named")


def is_transient_error(exc: BaseException) -> bool:
    """True for errors that go away by reconnecting or trying again."""
    return classify_error(exc) in (ErrorKind.CONNECTION, ErrorKind.LOCK)


def is_schema_error(exc: BaseException) -> bool:
    """True when a table or column the code expects is missing (not migrated)."""
    return classify_error(exc) is ErrorKind.SCHEMA


def classify_error(exc: BaseException) -> ErrorKind:
    """What kind of database error ``exc`` (or the driver error it wraps) is."""
    for error in _chain(exc):
        classify = _CLASSIFIERS.get(type(error).__module__.split(".")[0])
        if classify is not None:
            return classify(error)
    if isinstance(exc, (OperationalError, InterfaceError)):
        return ErrorKind.CONNECTION
    return ErrorKind.OTHER


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it was raised from (Django wraps drivers')."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__


def _is(error: BaseException, name: str) -> bool:
    """Whether ``error`` is the driver's DB-API exception class ``name``."""
    return any(cls.__name__ == name for cls in type(error).__mro__)


def _mysql(error: BaseException) -> ErrorKind:
    code = error.args[0] if error.args and isinstance(error.args[0], int) else None
    if code in MYSQL_CONNECTION:
        return ErrorKind.CONNECTION
    if code in MYSQL_LOCK:
        return ErrorKind.LOCK
    if code in MYSQL_SCHEMA:
        return ErrorKind.SCHEMA
    if _is(error, "InterfaceError"):  # a closed connection used again
        return ErrorKind.CONNECTION
    return ErrorKind.OTHER


def _postgresql(error: BaseException) -> ErrorKind:
    code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    if code is None:  # the driver lost or never had a connection
        connection_level = _is(error, "OperationalError") or _is(
            error, "InterfaceError"
        )
        return ErrorKind.CONNECTION if connection_level else ErrorKind.OTHER
    if code.startswith("08") or code in PG_CONNECTION:
        return ErrorKind.CONNECTION
    if code in PG_LOCK:
        return ErrorKind.LOCK
    if code in PG_SCHEMA:
        return ErrorKind.SCHEMA
    return ErrorKind.OTHER


def _sqlite(error: BaseException) -> ErrorKind:
    code = getattr(error, "sqlite_errorcode", None)  # Python >= 3.11
    message = str(error)
    if code is not None and code & 0xFF in SQLITE_LOCK_CODES:
        return ErrorKind.LOCK
    if message.startswith(SQLITE_LOCK_MESSAGES):
        return ErrorKind.LOCK
    if any(text in message for text in SQLITE_SCHEMA_MESSAGES):
        return ErrorKind.SCHEMA
    return ErrorKind.OTHER


_CLASSIFIERS: dict[str, Callable[[BaseException], ErrorKind]] = {
    "MySQLdb": _mysql,
    "pymysql": _mysql,
    "psycopg": _postgresql,
    "psycopg2": _postgresql,
    "sqlite3": _sqlite,
}
