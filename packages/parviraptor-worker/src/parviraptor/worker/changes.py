"""What a job changed while it ran, against the values loaded at its claim.

The worker owns ``status``, the bookkeeping columns and the dependent
fields of a job it runs (``AbstractJob.worker_owned_fields()``); the job
owns the rest. At claim the worker notes every column's value
(``remember``), which also makes the job's own ``save()`` leave the
worker's columns alone. After ``process()`` it puts its columns back as they
were loaded, whatever the job did to them in memory (``restore``), and
writes the job's fields that differ (``changed_fields``) in the same
compare-and-set UPDATE as the outcome. A job that changes nothing keeps the
one prepared UPDATE of ``db.results``.

Mutable values (a JSON dict, a list) are copied at claim, so that changes
made in place count too.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import uuid
from functools import cache
from typing import Any

from parviraptor.models import AbstractJob
from parviraptor.models.abstract import CLAIMED_BY_WORKER

LOADED = "_parviraptor_loaded"

_IMMUTABLE = frozenset(
    {
        type(None),
        bool,
        int,
        float,
        str,
        bytes,
        decimal.Decimal,
        datetime.datetime,
        datetime.date,
        datetime.time,
        datetime.timedelta,
        uuid.UUID,
    }
)


@cache
def columns(job_class: type[AbstractJob]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The attnames of ``job_class``'s own columns and of the worker's."""
    owned = job_class.worker_owned_fields()
    own, worker = [], []
    for field in job_class._meta.concrete_fields:
        if field.primary_key or getattr(field, "generated", False):
            continue
        (worker if field.name in owned else own).append(field.attname)
    return tuple(own), tuple(worker)


def remember(job: AbstractJob) -> None:
    """Note the values ``job`` was claimed with; mark it as the worker's."""
    values = job.__dict__
    own, worker = columns(type(job))
    values[LOADED] = {
        name: _copy(values[name]) for name in (*own, *worker) if name in values
    }
    values[CLAIMED_BY_WORKER] = True


def restore(job: AbstractJob) -> None:
    """After ``process()``: the worker's columns as claimed; ``save()`` free again."""
    values = job.__dict__
    values.pop(CLAIMED_BY_WORKER, None)
    loaded = values.get(LOADED)
    if loaded is not None:
        for name in columns(type(job))[1]:
            if name in loaded:
                values[name] = loaded[name]


def changed_fields(job: AbstractJob) -> dict[str, Any]:
    """The job's own fields (attname -> value) that differ from the claim's."""
    loaded = job.__dict__.get(LOADED)
    if loaded is None:  # not run by this worker (recovery)
        return {}
    values = job.__dict__
    return {
        name: values[name]
        for name in columns(type(job))[0]
        if name in loaded and name in values and values[name] != loaded[name]
    }


def _copy(value: Any) -> Any:
    return value if type(value) in _IMMUTABLE else copy.deepcopy(value)
