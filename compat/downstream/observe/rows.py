"""Rows as observations: keyed by tag, without ids or timestamps.

Times are kept only as an order: ``completion_order`` lists, per key, the
tags of the jobs that ended well (PROCESSED or IGNORED) by their
``modification_date``; the original sets it at each save, ours when a job
finishes.
"""

from __future__ import annotations

from collections import defaultdict

FIELDS = ("status", "error_count", "error_message", "result", "note")
DONE = ("PROCESSED", "IGNORED")


def snapshot(model, fields=FIELDS) -> dict[str, dict]:
    """Every row of ``model`` by tag: its fields, as JSON values."""
    rows = model.objects.order_by("pk").values("tag", *fields)
    return {row.pop("tag"): {k: _plain(v) for k, v in row.items()} for row in rows}


def statuses(model) -> dict[str, str]:
    return {tag: row["status"] for tag, row in snapshot(model, ("status",)).items()}


def status_counts(model) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for status in model.objects.values_list("status", flat=True):
        counts[status] += 1
    return dict(sorted(counts.items()))


def completion_order(model, key_fields: tuple[str, ...]) -> dict[str, list[str]]:
    """Per key ("*" for one strict FIFO queue): tags in the order they finished."""
    order: dict[str, list[str]] = defaultdict(list)
    rows = model.objects.filter(status__in=DONE).order_by("modification_date", "pk")
    for row in rows.values("tag", *key_fields):
        key = "/".join(str(row[f]) for f in key_fields) or "*"
        order[key].append(row["tag"])
    return dict(sorted(order.items()))


def state(model) -> tuple:
    """What changes when a worker makes progress (for fixed-point detection)."""
    return tuple(
        model.objects.order_by("pk").values_list("pk", "status", "error_count")
    )


def _plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
