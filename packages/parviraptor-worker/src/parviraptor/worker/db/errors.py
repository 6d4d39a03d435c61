"""Which database errors are worth retrying (outages, deadlocks, busy locks)."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError


def is_transient_error(exc: BaseException) -> bool:
    """True for errors that go away by reconnecting or trying again.

    Connection loss, server restarts, deadlocks, lock wait timeouts and
    SQLite's "database is locked" all surface as ``OperationalError`` or
    ``InterfaceError``; integrity and programming errors do not.
    """
    return isinstance(exc, (OperationalError, InterfaceError))
