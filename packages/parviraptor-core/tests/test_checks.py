"""System checks of job models, on throwaway models of isolated apps.

An error stops every management command, so it is kept for what cannot
work; what the original parviraptor ran with is at most a warning.
"""

from __future__ import annotations

import math

import pytest
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from parviraptor.checks import check_installed_apps, check_job_model, check_job_models
from parviraptor.models import AbstractJob, AbstractJobFactory, BackoffStrategy


def _ids(messages):
    return [message.id for message in messages]


def _job_model(fields=None, /, **attrs):
    """A job model of the isolated app ``jobs`` on ``make_base_class(fields)``."""
    meta = type("Meta", (), {"app_label": "jobs"})
    body = {"__module__": __name__, "Meta": meta, "process": lambda self: None}
    body.update(attrs)
    base = AbstractJobFactory.make_base_class(fields)
    return type("SomeJob", (base,), body)


@isolate_apps("testproject.jobs")
def test_a_well_formed_job_model_passes():
    assert check_job_model(_job_model(["shop"], shop=models.IntegerField())) == []


# --- errors: what cannot work ---------------------------------------------------


@isolate_apps("testproject.jobs")
def test_e001_dependent_field_that_does_not_exist():
    model = _job_model(["shop", "nope"], shop=models.IntegerField())
    errors = check_job_model(model)
    assert _ids(errors) == ["parviraptor.E001"]
    assert isinstance(errors[0], checks.Error)
    assert "'nope'" in errors[0].msg
    assert "jobs.SomeJob" in errors[0].msg
    assert errors[0].obj is model


@isolate_apps("testproject.jobs")
def test_e001_dependent_field_that_is_not_a_column():
    class Tag(models.Model):
        class Meta:
            app_label = "jobs"

    errors = check_job_model(_job_model(["tags"], tags=models.ManyToManyField(Tag)))
    assert _ids(errors) == ["parviraptor.E001"]
    assert "'tags'" in errors[0].msg


@isolate_apps("testproject.jobs")
def test_e003_bad_backoff_strategy():
    errors = check_job_model(_job_model(BACKOFF_STRATEGY="LINEAR"))
    assert _ids(errors) == ["parviraptor.E003"]
    assert "'LINEAR'" in errors[0].msg
    assert "BACKOFF_STRATEGY" in errors[0].msg


@isolate_apps("testproject.jobs")
@pytest.mark.parametrize(
    "strategy", [BackoffStrategy.EXPONENTIAL, BackoffStrategy.CONSTANT, "CONSTANT"]
)
def test_backoff_strategies_and_their_names_pass(strategy):
    assert check_job_model(_job_model(BACKOFF_STRATEGY=strategy)) == []


NUMERIC_SETTINGS = [
    "BACKOFF_STEP_MINUTES",
    "MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN",
    "MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN",
    "MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS",
]
NOT_NUMBERS = ["7", None, [2], math.nan, math.inf, -math.inf, 10**400]


@isolate_apps("testproject.jobs")
@pytest.mark.parametrize(
    ("name", "value"),
    [
        (name, value)
        for name in NUMERIC_SETTINGS
        for value in NOT_NUMBERS
        # None is MAX_AGE's "never clean up"
        if not (value is None and name.startswith("MAX_AGE"))
    ],
    ids=repr,
)
def test_e004_a_setting_that_is_no_usable_number(name, value):
    errors = check_job_model(_job_model(**{name: value}))
    assert _ids(errors) == ["parviraptor.E004"], errors
    assert errors[0].is_serious()
    assert name in errors[0].msg
    assert "\n" not in errors[0].msg


@isolate_apps("testproject.jobs")
@pytest.mark.parametrize(
    ("attrs", "setting"),
    [
        # step ** 5 minutes is past the end of the calendar
        ({"BACKOFF_STEP_MINUTES": 1000}, "BACKOFF_STEP_MINUTES"),
        (
            {"BACKOFF_STEP_MINUTES": 1e13, "BACKOFF_STRATEGY": "CONSTANT"},
            "BACKOFF_STEP_MINUTES",
        ),
        ({"MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS": 1e9}, "MAX_AGE"),
        ({"MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS": -1e7}, "MAX_AGE"),
        ({"MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN": 1e12}, "MAX_TIMEFRAME"),
    ],
)
def test_e004_a_time_span_no_date_can_hold(attrs, setting):
    errors = check_job_model(_job_model(**attrs))
    assert _ids(errors) == ["parviraptor.E004"]
    assert setting in errors[0].msg
    assert "9999" in errors[0].msg


@isolate_apps("testproject.jobs")
def test_e005_direct_subclass_without_dependent_fields():
    class DirectJob(AbstractJob):
        class Meta:
            app_label = "jobs"

        def process(self):
            pass

    errors = check_job_model(DirectJob)
    assert _ids(errors) == ["parviraptor.E005"]
    assert "has no dependent_fields" in errors[0].msg
    with pytest.raises(AttributeError, match="dependent_fields"):
        DirectJob.get_dependent_fields()


@isolate_apps("testproject.jobs")
@pytest.mark.parametrize("value", ["shop", [1], {"shop": 1}])
def test_e005_dependent_fields_that_are_no_list_of_names(value):
    errors = check_job_model(_job_model(None, dependent_fields=value))
    assert _ids(errors) == ["parviraptor.E005"]
    assert repr(value) in errors[0].msg


@isolate_apps("testproject.jobs")
def test_direct_subclass_with_dependent_fields_passes():
    class DirectKeyedJob(AbstractJob):
        dependent_fields = ["shop"]
        shop = models.IntegerField()

        class Meta:
            app_label = "jobs"

        def process(self):
            pass

    assert check_job_model(DirectKeyedJob) == []


# --- warnings: what the original ran with ----------------------------------------


@isolate_apps("testproject.jobs")
@pytest.mark.parametrize("strategy", ["EXPONENTIAL", "CONSTANT"])
@pytest.mark.parametrize("step", [0, 0.0, 0.001, 1, 2.5, 60])
def test_any_non_negative_backoff_step_is_valid(strategy, step):
    """0 means "retry at once" (with CONSTANT), common in test settings."""
    model = _job_model(BACKOFF_STEP_MINUTES=step, BACKOFF_STRATEGY=strategy)
    assert check_job_model(model) == []


@isolate_apps("testproject.jobs")
def test_w001_process_not_implemented():
    class LazyJob(AbstractJobFactory.make_base_class(None)):
        class Meta:
            app_label = "jobs"

    warnings = check_job_model(LazyJob)
    assert _ids(warnings) == ["parviraptor.W001"]
    assert not warnings[0].is_serious()
    assert warnings[0].msg.startswith("jobs.LazyJob does not implement process()")


@isolate_apps("testproject.jobs")
@pytest.mark.parametrize(
    "name",
    [
        "MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN",
        "MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN",
    ],
)
@pytest.mark.parametrize("value", [0, -5, -0.5])
def test_w002_timeframe_that_is_not_positive(name, value):
    warnings = check_job_model(_job_model(**{name: value}))
    assert _ids(warnings) == ["parviraptor.W002"]
    assert not warnings[0].is_serious()
    assert name in warnings[0].msg


@isolate_apps("testproject.jobs")
@pytest.mark.parametrize("strategy", ["EXPONENTIAL", "CONSTANT"])
def test_w003_negative_backoff_step(strategy):
    model = _job_model(BACKOFF_STEP_MINUTES=-2, BACKOFF_STRATEGY=strategy)
    warnings = check_job_model(model)
    assert _ids(warnings) == ["parviraptor.W003"]
    assert not warnings[0].is_serious()


@isolate_apps("testproject.jobs")
@pytest.mark.parametrize(("value", "ids"), [(None, []), (0, []), (0.5, []), (3650, [])])
def test_max_age_that_works(value, ids):
    model = _job_model(MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS=value)
    assert _ids(check_job_model(model)) == ids


@isolate_apps("testproject.jobs")
def test_w004_negative_max_age():
    warnings = check_job_model(_job_model(MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS=-1))
    assert _ids(warnings) == ["parviraptor.W004"]
    assert not warnings[0].is_serious()
    assert "finished a moment ago" in warnings[0].msg


@isolate_apps("testproject.jobs")
def test_several_problems_are_reported_together():
    class BrokenJob(AbstractJobFactory.make_base_class(["nope"])):
        BACKOFF_STRATEGY = "SOMETIMES"
        MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN = 0

        class Meta:
            app_label = "jobs"

    assert sorted(_ids(check_job_model(BrokenJob))) == [
        "parviraptor.E001",
        "parviraptor.E003",
        "parviraptor.W001",
        "parviraptor.W002",
    ]


def test_the_test_project_passes_the_checks():
    assert check_job_models() == []
    assert check_installed_apps() == []
