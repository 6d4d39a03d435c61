"""The job table's columns and indexes as the database has them.

A fresh table per implementation (``migrate --run-syncdb``): the column
types, NULL-ability and length of the original's fields, and which column
lists are indexed (names of indexes differ by design and are left out).
"""

from __future__ import annotations

from django.db import connection
from jobs.models import KeyedJob

from observe.jobs import present

ORIGINAL_FIELDS = (
    "id",
    "creation_date",
    "modification_date",
    "status",
    "error_count",
    "error_message",
)

COLUMNS_SQL = """
    SELECT column_name, data_type, is_nullable, character_maximum_length
    FROM information_schema.columns
    WHERE table_name = %s AND table_schema = {schema}
"""


def observe() -> dict:
    table = KeyedJob._meta.db_table
    schema = "DATABASE()" if connection.vendor == "mysql" else "current_schema()"
    with connection.cursor() as cursor:
        cursor.execute(COLUMNS_SQL.format(schema=schema), [table])
        found = {row[0].lower(): row[1:] for row in cursor.fetchall()}
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        "columns": {
            name: _describe(*found[name]) if name in found else "missing"
            for name in ORIGINAL_FIELDS
        },
        "extra_columns": present(set(found) - set(ORIGINAL_FIELDS) - _own_fields()),
        "indexed": present(
            ",".join(c["columns"])
            for c in constraints.values()
            if c["index"] and not c["primary_key"]
        ),
        "checks": present(
            ",".join(c["columns"]) for c in constraints.values() if c["check"]
        ),
    }


def _own_fields() -> set[str]:
    """The project's own columns (not parviraptor's)."""
    return {"tag", "kind", "a", "b", "fail_times", "result", "note", "shop", "product"}


def _describe(data_type, nullable, length) -> str:
    described = str(data_type).lower()
    if length:
        described += f"({length})"
    return described + (" NULL" if nullable == "YES" else " NOT NULL")
