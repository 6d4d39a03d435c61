"""Everything that differs between databases, behind one small interface.

``claim_strategy_for(connection, ordered)`` picks how a batch of jobs is
claimed exclusively:

- ``SkipLockedClaim``: ``SELECT ... FOR UPDATE SKIP LOCKED`` then ``UPDATE``
  (PostgreSQL, MySQL 8, MariaDB >= 10.6), chosen from ``connection.features``
  unless ``PARVIRAPTOR_USE_SKIP_LOCKED = False``;
- ``CompareAndSetClaim``: ``UPDATE ... WHERE status = 'NEW'`` and read back
  what was won (MySQL 5.7, SQLite, or forced by the setting);
- ``SerializedClaim``: a plain select and update, for ordered queues whose
  claims already hold the queue lock (see ``parviraptor.worker.locking``).

``classify_error(exc)`` tells an outage (retried) from a missing migration
and from everything else, by the driver's error codes (see ``errors``).
"""

from parviraptor.worker.db.claiming import (
    ClaimStrategy,
    CompareAndSetClaim,
    SerializedClaim,
    SkipLockedClaim,
    claim_strategy_for,
)
from parviraptor.worker.db.errors import (
    ErrorKind,
    classify_error,
    is_schema_error,
    is_transient_error,
)

__all__ = [
    "ClaimStrategy",
    "CompareAndSetClaim",
    "ErrorKind",
    "SerializedClaim",
    "SkipLockedClaim",
    "claim_strategy_for",
    "classify_error",
    "is_schema_error",
    "is_transient_error",
]
