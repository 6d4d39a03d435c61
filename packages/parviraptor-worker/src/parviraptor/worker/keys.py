"""Asking about many keys of an ordered queue in one query each."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Min, Q

from parviraptor.models import JobStatus

Key = tuple[Any, ...]

CHUNK = 100  # keys per query: keeps the OR of key filters small


def key_of(job: Any, names: list[str]) -> Key:
    return tuple(getattr(job, name) for name in names)


def _chunks(keys: Iterable[Key]) -> Iterator[list[Key]]:
    keys = list(keys)
    for start in range(0, len(keys), CHUNK):
        yield keys[start : start + CHUNK]


def _matching(names: list[str], keys: list[Key]) -> Q:
    return reduce(or_, (Q(**dict(zip(names, key, strict=True))) for key in keys))


def keys_with_open_head(jobs: Any, names: list[str], keys: Iterable[Key]) -> set[Key]:
    """The keys among ``keys`` that have an open head job."""
    keys = list(keys)
    heads = jobs.filter(key_head=True, status__in=JobStatus.open_statuses())
    if not names:  # strict FIFO: the one key () is asked about, or nothing
        return {()} if () in keys and heads.exists() else set()
    found: set[Key] = set()
    for chunk in _chunks(keys):
        rows = heads.filter(_matching(names, chunk)).values_list(*names).distinct()
        found.update(tuple(row) for row in rows)
    return found


def first_failed(jobs: Any, names: list[str], keys: Iterable[Key]) -> dict[Key, Any]:
    """Per key, the smallest pk of a FAILED job (that blocks later ones)."""
    keys = list(keys)
    failed = jobs.filter(key_head__isnull=True, status=JobStatus.FAILED)
    if not names:
        if () not in keys:
            return {}
        first = failed.aggregate(first=Min("pk"))["first"]
        return {} if first is None else {(): first}
    found: dict[Key, Any] = {}
    for chunk in _chunks(keys):
        rows = (
            failed.filter(_matching(names, chunk))
            .values_list(*names)
            .annotate(first=Min("pk"))
            .order_by()
        )
        found.update({tuple(row[:-1]): row[-1] for row in rows})
    return found


def first_waiting(jobs: Any, names: list[str], keys: Iterable[Key]) -> list[Any]:
    """Per key, the pk of its earliest waiting job."""
    keys = list(keys)
    waiting = jobs.filter(key_head=False, status=JobStatus.NEW)
    if not names:  # without this, a key still headed would get a second head
        if () not in keys:
            return []
        first = waiting.aggregate(first=Min("pk"))["first"]
        return [] if first is None else [first]
    found: list[Any] = []
    for chunk in _chunks(keys):
        rows = (
            waiting.filter(_matching(names, chunk))
            .values_list(*names)
            .annotate(first=Min("pk"))
            .order_by()
        )
        found.extend(row[-1] for row in rows)
    return found
