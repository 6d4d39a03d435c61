"""System checks: a misconfigured job class is reported before a worker runs.

IDs: ``parviraptor.E001`` unknown dependent field, ``E002`` ``process`` not
implemented, ``E003`` invalid backoff strategy, ``E004`` invalid numeric
setting on the class.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from parviraptor.models.abstract import AbstractJob
from parviraptor.models.statuses import backoff_strategy
from parviraptor.utils import enumerate_job_models


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
        *_check_class_settings(model),
    ]


def _check_dependent_fields(model: type[AbstractJob]) -> list[checks.CheckMessage]:
    errors = []
    for name in model.get_dependent_fields() or ():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is None or not field.concrete or field.many_to_many:
            errors.append(
                checks.Error(
                    f"dependent field {name!r} is not a column of {model._meta.label}",
                    hint="Add the field to the model or remove it from "
                    "make_base_class([...]).",
                    obj=model,
                    id="parviraptor.E001",
                )
            )
    return errors


def _check_process(model: type[AbstractJob]) -> list[checks.CheckMessage]:
    if model.process is not AbstractJob.process:
        return []
    return [
        checks.Error(
            f"{model._meta.label} does not implement process()",
            hint="Define process(self) on the job class; it does the job's work.",
            obj=model,
            id="parviraptor.E002",
        )
    ]


def _check_class_settings(model: type[AbstractJob]) -> list[checks.CheckMessage]:
    errors = []
    if backoff_strategy(model.BACKOFF_STRATEGY) is None:
        errors.append(
            checks.Error(
                f"{model._meta.label}.BACKOFF_STRATEGY is "
                f"{model.BACKOFF_STRATEGY!r}, not a BackoffStrategy",
                obj=model,
                id="parviraptor.E003",
            )
        )
    for name in (
        "BACKOFF_STEP_MINUTES",
        "MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN",
        "MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN",
    ):
        value = getattr(model, name)
        if not isinstance(value, (int, float)) or value <= 0:
            errors.append(
                checks.Error(
                    f"{model._meta.label}.{name} must be a positive number, "
                    f"got {value!r}",
                    obj=model,
                    id="parviraptor.E004",
                )
            )
    return errors
