"""What a job changed while it ran, against the values loaded at its claim.

The worker owns ``status``, the bookkeeping columns and the dependent
fields of a job it runs (``AbstractJob.worker_owned_fields()``); the job
owns the rest. At claim the worker notes every column's value
(``remember``), which also makes the job's own ``save()`` leave the
worker's columns alone. After ``process()`` it puts its columns back as they
were loaded, whatever the job did to them in memory (``restore``), and
writes the job's fields that differ (``changed_fields``) in the same
compare-and-set UPDATE as the outcome.

Values of fields that may hold mutable objects (a JSON dict, an array) are
copied at claim, so that changes made in place count too. This runs for
every job: the values are read and compared as tuples, a few microseconds.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any

from parviraptor.models import AbstractJob
from parviraptor.models.abstract import CLAIMED_BY_WORKER

LOADED = "_parviraptor_loaded"

# Fields whose values are immutable (str, numbers, dates, UUIDs ...).
_IMMUTABLE_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "DecimalField",
        "DurationField",
        "EmailField",
        "FloatField",
        "ForeignKey",
        "GenericIPAddressField",
        "IntegerField",
        "NullBooleanField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallAutoField",
        "SmallIntegerField",
        "TextField",
        "TimeField",
        "URLField",
        "UUIDField",
    }
)


@dataclass(frozen=True)
class Columns:
    """A job class's columns: the job's own, then the worker's (attnames)."""

    own: tuple[str, ...]
    worker: tuple[str, ...]
    mutable: tuple[int, ...]  # positions in own + worker to copy at claim


@cache
def columns(job_class: type[AbstractJob]) -> Columns:
    owned = job_class.worker_owned_fields()
    own, worker = [], []
    for field in job_class._meta.concrete_fields:
        if not (field.primary_key or getattr(field, "generated", False)):
            (worker if field.name in owned else own).append(field)
    fields = own + worker
    mutable = tuple(
        index
        for index, field in enumerate(fields)
        if field.get_internal_type() not in _IMMUTABLE_TYPES
    )
    own_names = tuple(field.attname for field in own)
    return Columns(own_names, tuple(field.attname for field in worker), mutable)


@cache
def _getter(names: tuple[str, ...]) -> Any:
    getter = itemgetter(*names)
    return getter if len(names) > 1 else (lambda values: (getter(values),))


def remember(job: AbstractJob) -> None:
    """Note the values ``job`` was claimed with; mark it as the worker's."""
    cols = columns(type(job))
    values = job.__dict__
    try:
        loaded = _getter((*cols.own, *cols.worker))(values)
    except KeyError:  # a deferred field: not loaded, not compared
        return
    if cols.mutable:
        copied = list(loaded)
        for index in cols.mutable:
            copied[index] = _copy(copied[index])
        loaded = tuple(copied)
    values[LOADED] = loaded
    values[CLAIMED_BY_WORKER] = True


def restore(job: AbstractJob) -> None:
    """After ``process()``: the worker's columns as claimed; ``save()`` free again."""
    values = job.__dict__
    values.pop(CLAIMED_BY_WORKER, None)
    loaded = values.get(LOADED)
    if loaded is not None:
        cols = columns(type(job))
        values.update(zip(cols.worker, loaded[len(cols.own) :], strict=True))


def changed_fields(job: AbstractJob) -> dict[str, Any]:
    """The job's own fields (attname -> value) that differ from the claim's."""
    values = job.__dict__
    loaded = values.get(LOADED)
    if loaded is None:  # not run by this worker (recovery)
        return {}
    own = columns(type(job)).own
    try:
        current = _getter(own)(values) if own else ()
    except KeyError:  # the job deleted an attribute: compare what is there
        current = tuple(values.get(name, loaded[i]) for i, name in enumerate(own))
    if current == loaded[: len(own)]:
        return {}
    return {
        name: value
        for name, value, before in zip(own, current, loaded, strict=False)
        if value != before
    }


def _copy(value: Any) -> Any:
    """A deep copy; JSON's dicts and lists without ``deepcopy``'s overhead."""
    if type(value) is dict:
        return {key: _copy(item) for key, item in value.items()}
    if type(value) is list:
        return [_copy(item) for item in value]
    if value is None or type(value) in (str, int, float, bool):
        return value
    return copy.deepcopy(value)
