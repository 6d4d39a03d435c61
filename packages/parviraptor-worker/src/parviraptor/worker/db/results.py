"""The hot path of writing results: one prepared UPDATE per queue.

For a no-op job, building and compiling an ORM update costs about a third
of its time. A result without a backoff whose job changed none of its own
fields differs from the next one only in its values, so its SQL is rendered
once per queue and database, then executed with new parameters. Results
that set a backoff or carry changed fields take the ORM path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections

from parviraptor.dbtime import DatabaseNow
from parviraptor.models import AbstractJob


@dataclass(frozen=True)
class ResultValues:
    """The worker's columns after an outcome (besides the cleared claim)."""

    status: str
    error_message: str | None
    error_count: int
    key_head: bool | None


def write_plain_result(
    job_class: type[AbstractJob],
    using: str,
    pk: Any,
    claimer: str,
    values: ResultValues,
) -> int:
    """Write ``values`` on job ``pk`` if ``claimer`` still holds it; rows changed."""
    sql = _plain_result_sql(job_class, using)
    params = [
        values.status,
        values.error_message,
        values.error_count,
        values.key_head,
        pk,
        claimer,
    ]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


@cache
def _plain_result_sql(job_class: type[AbstractJob], using: str) -> str:
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = job_class._meta

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    query = job_class._default_manager.db_manager(using).all().query
    now, _ = query.get_compiler(using).compile(DatabaseNow())
    given = ["status", "error_message", "error_count", "key_head"]
    assignments = [
        *(f"{column(name)} = %s" for name in given),
        f"{column('modification_date')} = {now}",
        *(
            f"{column(name)} = NULL"
            for name in ("claimed_by", "claimed_at", "not_before")
        ),
    ]
    return (
        f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "
        f"WHERE {quote(meta.pk.column)} = %s AND {column('claimed_by')} = %s"
    )
