"""Reading an index range in id order without walking the primary key.

For ``WHERE status = .. AND key_head = .. ORDER BY id LIMIT n`` MariaDB
often walks the primary key from the table's first row, checking every
finished job on the way: a claim took 28 ms behind 60,000 of them. Bounding
the query by the range's first id (an index-only ``MIN``) makes it read the
range of the index instead (0.2 ms).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Min, QuerySet


def by_id_from_first(jobs: QuerySet[Any]) -> QuerySet[Any]:
    """``jobs`` ordered by id, bounded below by the smallest id among them."""
    first = jobs.order_by().aggregate(first=Min("pk"))["first"]
    if first is None:
        return jobs.none()
    return jobs.filter(pk__gte=first).order_by("pk")
