"""Finding the job queues of a project, and chunking for bulk work."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from django.apps import apps

from parviraptor.models.abstract import AbstractJob

__all__ = ["enumerate_job_models", "is_job_model", "iter_chunks", "resolve_job_model"]

T = TypeVar("T")


def is_job_model(model: Any) -> bool:
    """True for a concrete (non-abstract, non-proxy) job queue model."""
    return (
        isinstance(model, type)
        and issubclass(model, AbstractJob)
        and not model._meta.abstract
        and not model._meta.proxy
    )


def enumerate_job_models() -> list[type[AbstractJob]]:
    """Every concrete job model of the installed apps, in registry order."""
    return [model for model in apps.get_models() if is_job_model(model)]


def resolve_job_model(app_label: str, model_name: str) -> type[AbstractJob]:
    """The job model ``app_label.model_name``; ``LookupError``/``TypeError`` else.

    The messages are one line each, fit for a command's error output.
    """
    try:
        app = apps.get_app_config(app_label)
    except LookupError:
        raise LookupError(f"unknown app {app_label!r}") from None
    try:
        model = app.get_model(model_name)
    except LookupError:
        raise LookupError(f"app {app_label!r} has no model {model_name!r}") from None
    if not is_job_model(model):
        raise TypeError(
            f"{app_label}.{model.__name__} is not a job queue "
            "(it does not derive from a parviraptor job base class)"
        )
    return model


def iter_chunks(size: int, iterable: Iterable[T]) -> Iterator[tuple[T, ...]]:
    """The items of ``iterable`` in tuples of ``size``; the last may be shorter.

    >>> list(iter_chunks(3, range(14)))
    [(0, 1, 2), (3, 4, 5), (6, 7, 8), (9, 10, 11), (12, 13)]

    Lazy: reads ``iterable`` one chunk at a time (e.g. a queryset's
    ``iterator()`` of primary keys to delete in batches). A ``size`` below 1
    is a ``ValueError`` at once (the original yielded nothing for 0).
    """
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, got {size!r}")
    return _chunks(size, iter(iterable))


def _chunks(size: int, items: Iterator[T]) -> Iterator[tuple[T, ...]]:
    while chunk := tuple(islice(items, size)):
        yield chunk
