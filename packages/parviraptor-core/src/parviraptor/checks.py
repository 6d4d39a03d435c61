"""System checks: what cannot work is an error, what is odd a warning.

The original parviraptor checked nothing at startup; it failed at run time
on what could not work. So an error here (which stops every management
command) is kept for what cannot work; a setting the original ran with, even
an odd one, is at most a warning.

Errors
    ``parviraptor.E001`` a dependent field is no column of the model.
    ``parviraptor.E003`` ``BACKOFF_STRATEGY`` is no ``BackoffStrategy``.
    ``parviraptor.E004`` a numeric class setting is no number, not finite, or
    a time span no date can hold (``BACKOFF_STEP_MINUTES``, the two
    ``MAX_TIMEFRAME_*``, ``MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS`` unless None).
    ``parviraptor.E005`` ``dependent_fields`` is missing (a class deriving
    from ``AbstractJob`` directly) or not None, [] or a list of field names.
Warnings
    ``parviraptor.W001`` the model does not implement ``process()`` (its jobs
    become FAILED). It was the error ``E002`` in parviraptor-core 0.1;
    that ID is retired.
    ``parviraptor.W002`` a ``MAX_TIMEFRAME_*`` is not positive: every
    processing (or waiting) job counts as a problem.
    ``parviraptor.W003`` ``BACKOFF_STEP_MINUTES`` is negative.
    ``parviraptor.W004`` ``MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS`` is negative:
    the clean-up deletes PROCESSED jobs finished a moment ago.
    ``parviraptor.W005`` parviraptor-worker is installed but its app
    ``"parviraptor.worker"`` is not in ``INSTALLED_APPS``.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from django.apps import apps
from django.core import checks

from parviraptor.class_settings import check_class_settings
from parviraptor.models.abstract import AbstractJob
from parviraptor.models.indexes import is_column
from parviraptor.utils import enumerate_job_models

__all__ = ["check_installed_apps", "check_job_model", "check_job_models"]


@checks.register(checks.Tags.models)
def check_job_models(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in enumerate_job_models():
        if app_configs is None or model._meta.app_config in app_configs:
            errors.extend(check_job_model(model))
    return errors


def check_job_model(model: type[AbstractJob]) -> list[checks.CheckMessage]:
    return [
        *_check_dependent_fields(model),
        *_check_process(model),
        *check_class_settings(model),
    ]


def _check_dependent_fields(model: type[AbstractJob]) -> list[checks.CheckMessage]:
    fields = getattr(model, "dependent_fields", _MISSING)
    if fields is None:
        return []
    if fields is _MISSING or not _is_list_of_names(fields):
        return [_invalid_dependent_fields(model, fields)]
    return [
        checks.Error(
            f"dependent field {name!r} is not a column of {model._meta.label}",
            hint="Add the field to the model or remove it from make_base_class([...]).",
            obj=model,
            id="parviraptor.E001",
        )
        for name in fields
        if not is_column(model, name)
    ]


_MISSING = object()


def _is_list_of_names(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(
        isinstance(name, str) for name in value
    )


def _invalid_dependent_fields(model: type[AbstractJob], value: Any) -> checks.Error:
    label = model._meta.label
    what = (
        "has no dependent_fields"
        if value is _MISSING
        else (f"has dependent_fields = {value!r}")
    )
    return checks.Error(
        f"{label} {what}, not None, [] or a list of field names",
        hint="Derive the model from AbstractJobFactory.make_base_class(...).",
        obj=model,
        id="parviraptor.E005",
    )


def _check_process(model: type[AbstractJob]) -> list[checks.CheckMessage]:
    if model.process is not AbstractJob.process:
        return []
    return [
        checks.Warning(
            f"{model._meta.label} does not implement process(): its jobs fail",
            hint="Define process(self) on the job class; it does the job's work.",
            obj=model,
            id="parviraptor.W001",
        )
    ]


@checks.register()
def check_installed_apps(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """W005: the worker is installed, its app is not (an upgrade's usual slip)."""
    if apps.is_installed("parviraptor.worker") or not _importable("parviraptor.worker"):
        return []
    return [
        checks.Warning(
            'parviraptor-worker is installed but "parviraptor.worker" is not in '
            "INSTALLED_APPS: the commands process_queue, clean_old_processed_jobs "
            "and clean_old_finished_jobs are unknown, and the worker's tables "
            "(heartbeats, queue locks) are not created",
            hint='Add "parviraptor.worker" to INSTALLED_APPS, then run migrate.',
            id="parviraptor.W005",
        )
    ]


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # a parent package is missing
        return False
