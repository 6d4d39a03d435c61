"""The database's clock, for every time a job's fate depends on.

Workers on several hosts disagree about the time; the database is the one
clock they share. ``DatabaseNow`` renders the current time with microsecond
precision on every supported vendor (Django's ``Now`` lacks it on older
releases), in UTC when ``USE_TZ`` is on.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.models.expressions import CombinedExpression, Value

__all__ = ["DatabaseNow", "db_now", "db_now_plus"]

_TEMPLATES = {
    # (USE_TZ, vendor) -> SQL
    (True, "mysql"): "UTC_TIMESTAMP(6)",
    (False, "mysql"): "CURRENT_TIMESTAMP(6)",
    (True, "postgresql"): "STATEMENT_TIMESTAMP()",
    (False, "postgresql"): "LOCALTIMESTAMP",
    # SQLite's backend turns "%%" into "%" when it runs a query with
    # parameters; Func templates halve "%" once more: hence four.
    (True, "sqlite"): "STRFTIME('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%f', 'now')",
    (
        False,
        "sqlite",
    ): "STRFTIME('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%f', 'now', 'localtime')",
}


class DatabaseNow(models.Func):
    """``now()`` as the database sees it, microsecond precision."""

    template = "CURRENT_TIMESTAMP"
    output_field = models.DateTimeField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        key = (bool(settings.USE_TZ), connection.vendor)
        template = _TEMPLATES.get(key, self.template)
        return super().as_sql(compiler, connection, template=template, **extra)


def db_now_plus(delta: timedelta) -> CombinedExpression:
    """An expression for the database's now plus ``delta``."""
    return CombinedExpression(
        DatabaseNow(),
        "+",
        Value(delta, output_field=models.DurationField()),
        output_field=models.DateTimeField(),
    )


def db_now(using: str = "default") -> datetime:
    """The database's current time as a datetime (aware when ``USE_TZ``)."""
    connection = connections[using]
    key = (bool(settings.USE_TZ), connection.vendor)
    sql = "SELECT " + _TEMPLATES.get(key, "CURRENT_TIMESTAMP").replace("%%%%", "%")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        (value,) = cursor.fetchone()
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if settings.USE_TZ and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value
