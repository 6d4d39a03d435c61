"""The hot path of writing results: one prepared UPDATE per result shape.

For a no-op job, building and compiling an ORM update costs about a third
of its time. A result without a backoff differs from the next one of the
same shape (which of the job's own fields it writes) only in its values, so
its SQL is rendered once per queue, database and shape, then executed with
new parameters; the values of the job's fields are prepared as the ORM
prepares them (``Field.get_db_prep_save``). Results that set a backoff, and
values the ORM would have to compile (expressions, fields with placeholders
of their own), take the ORM path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections

from parviraptor.dbtime import DatabaseNow
from parviraptor.models import AbstractJob

WORKER_COLUMNS = ("status", "error_message", "error_count", "key_head")


@dataclass(frozen=True)
class ResultValues:
    """The worker's columns after an outcome (besides the cleared claim)."""

    status: str
    error_message: str | None
    error_count: int
    key_head: bool | None


def write_prepared_result(
    job_class: type[AbstractJob],
    using: str,
    pk: Any,
    claimer: str,
    values: ResultValues,
    changed: dict[str, Any],
) -> int | None:
    """Write ``values`` and the job's ``changed`` fields (attname -> value) on
    job ``pk`` if ``claimer`` still holds it; rows changed. None when a
    changed value needs the ORM."""
    prepared = _prepared(job_class, using, changed)
    if prepared is None:
        return None
    sql = _result_sql(job_class, using, tuple(changed))
    params = [values.status, values.error_message, values.error_count]
    params += [values.key_head, *prepared, pk, claimer]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _prepared(
    job_class: type[AbstractJob], using: str, changed: dict[str, Any]
) -> list[Any] | None:
    connection = connections[using]
    prepared = []
    for name, value in changed.items():
        field = job_class._meta.get_field(name)
        if _compiled(value) or hasattr(field, "get_placeholder"):
            return None
        value = field.get_db_prep_save(value, connection=connection)
        if _compiled(value):
            return None
        prepared.append(value)
    return prepared


def _compiled(value: Any) -> bool:
    """Whether the ORM would compile ``value`` into SQL of its own."""
    return any(
        hasattr(value, name)
        for name in ("resolve_expression", "as_sql", "prepare_database_save")
    )


@cache
def _result_sql(job_class: type[AbstractJob], using: str, own: tuple[str, ...]) -> str:
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = job_class._meta

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    query = job_class._default_manager.db_manager(using).all().query
    now, _ = query.get_compiler(using).compile(DatabaseNow())
    cleared = ("claimed_by", "claimed_at", "not_before")
    assignments = [
        *(f"{column(name)} = %s" for name in (*WORKER_COLUMNS, *own)),
        f"{column('modification_date')} = {now}",
        *(f"{column(name)} = NULL" for name in cleared),
    ]
    return (
        f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "
        f"WHERE {quote(meta.pk.column)} = %s AND {column('claimed_by')} = %s"
    )
