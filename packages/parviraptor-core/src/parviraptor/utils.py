"""Finding the job queues of a project."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from parviraptor.models.abstract import AbstractJob

__all__ = ["enumerate_job_models", "is_job_model", "resolve_job_model"]


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
