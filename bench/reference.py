"""The database's own limit: single-row autocommit UPDATEs per second.

One commit per job state change is what a naive queue costs; the worker is
judged by its ratio to this rate, measured in the same run on the same
connection settings.
"""

from __future__ import annotations

import time

from django.db import connection

from testproject.jobs.models import Counter


def autocommit_update_rate(seconds: float = 3.0) -> float:
    """UPDATEs per second, each its own transaction, from one connection."""
    counter, _ = Counter.objects.get_or_create(name="bench-reference")
    table = Counter._meta.db_table
    quote = connection.ops.quote_name
    sql = f"UPDATE {quote(table)} SET {quote('value')} = {quote('value')} + 1 WHERE {quote('id')} = %s"
    done = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    with connection.cursor() as cursor:
        while time.perf_counter() < deadline:
            cursor.execute(sql, [counter.pk])
            done += 1
    return done / (time.perf_counter() - started)
