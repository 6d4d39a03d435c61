"""Indexes every concrete job model gets, whatever its own ``Meta`` says.

Added on ``class_prepared`` rather than in the abstract ``Meta`` so that a job
model with a ``Meta`` of its own (a common sight) keeps them; ``makemigrations``
picks them up like any index.
- (status, key_head, pk): the claim and the idle poll (first eligible by id);
- (status, modification_date): clean-up of old jobs, throughput;
- (status, creation_date): the long-unprocessed count;
- (*dependent fields, key_head, status, pk): per-key bookkeeping.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.signals import class_prepared

from parviraptor.models.abstract import AbstractJob


def job_indexes(model: type[AbstractJob]) -> list[models.Index]:
    pk = model._meta.pk.name
    field_lists = [
        ["status", "key_head", pk],
        ["status", "modification_date"],
        ["status", "creation_date"],
    ]
    dependent = getattr(model, "dependent_fields", None)
    if _are_columns(model, dependent):
        # A misnamed or missing dependent field must not break the class's
        # creation: the system checks (parviraptor.E001, E005) report it.
        field_lists.append([*dependent, "key_head", "status", pk])
    indexes = []
    for fields in field_lists:
        index = models.Index(fields=fields)
        index.set_name_with_model(model)
        indexes.append(index)
    return indexes


def _are_columns(model: type[AbstractJob], names: Any) -> bool:
    if not isinstance(names, (list, tuple)) or not names:
        return False
    return all(isinstance(name, str) and is_column(model, name) for name in names)


def is_column(model: type[AbstractJob], name: str) -> bool:
    """True if ``name`` is a field of ``model`` with a column of its own."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(field.concrete and not field.many_to_many)


def add_job_indexes(sender: type[Any], **kwargs: Any) -> None:
    meta = sender._meta
    if not issubclass(sender, AbstractJob) or meta.abstract or meta.proxy:
        return
    known = {tuple(index.fields) for index in meta.indexes}
    for index in job_indexes(sender):
        if tuple(index.fields) not in known:
            meta.indexes.append(index)
    # Migrations read model options from ``original_attrs``.
    meta.original_attrs["indexes"] = meta.indexes


class_prepared.connect(add_job_indexes, dispatch_uid="parviraptor_job_indexes")
