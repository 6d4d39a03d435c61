"""System checks of job models, on throwaway models of isolated apps."""

from __future__ import annotations

from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from parviraptor.checks import check_job_model, check_job_models
from parviraptor.models import AbstractJobFactory


def _ids(errors):
    return [error.id for error in errors]


@isolate_apps("testproject.jobs")
def test_a_well_formed_job_model_passes():
    class GoodJob(AbstractJobFactory.make_base_class(["shop"])):
        shop = models.IntegerField()

        class Meta:
            app_label = "jobs"

        def process(self):
            pass

    assert check_job_model(GoodJob) == []


@isolate_apps("testproject.jobs")
def test_e001_dependent_field_that_does_not_exist():
    class MissingFieldJob(AbstractJobFactory.make_base_class(["shop", "nope"])):
        shop = models.IntegerField()

        class Meta:
            app_label = "jobs"

        def process(self):
            pass

    errors = check_job_model(MissingFieldJob)
    assert _ids(errors) == ["parviraptor.E001"]
    assert isinstance(errors[0], checks.Error)
    assert "'nope'" in errors[0].msg
    assert "jobs.MissingFieldJob" in errors[0].msg
    assert errors[0].obj is MissingFieldJob


@isolate_apps("testproject.jobs")
def test_e001_dependent_field_that_is_not_a_column():
    class Tag(models.Model):
        class Meta:
            app_label = "jobs"

    class ManyToManyKeyJob(AbstractJobFactory.make_base_class(["tags"])):
        tags = models.ManyToManyField(Tag)

        class Meta:
            app_label = "jobs"

        def process(self):
            pass

    errors = check_job_model(ManyToManyKeyJob)
    assert _ids(errors) == ["parviraptor.E001"]
    assert "'tags'" in errors[0].msg


@isolate_apps("testproject.jobs")
def test_e002_process_not_implemented():
    class LazyJob(AbstractJobFactory.make_base_class(None)):
        class Meta:
            app_label = "jobs"

    errors = check_job_model(LazyJob)
    assert _ids(errors) == ["parviraptor.E002"]
    assert errors[0].msg == "jobs.LazyJob does not implement process()"


@isolate_apps("testproject.jobs")
def test_e003_bad_backoff_strategy():
    class LinearJob(AbstractJobFactory.make_base_class(None)):
        BACKOFF_STRATEGY = "LINEAR"

        class Meta:
            app_label = "jobs"

        def process(self):
            pass

    errors = check_job_model(LinearJob)
    assert _ids(errors) == ["parviraptor.E003"]
    assert "'LINEAR'" in errors[0].msg
    assert "BACKOFF_STRATEGY" in errors[0].msg


@isolate_apps("testproject.jobs")
def test_e004_bad_numeric_setting():
    class NegativeStepJob(AbstractJobFactory.make_base_class(None)):
        BACKOFF_STEP_MINUTES = 0

        class Meta:
            app_label = "jobs"

        def process(self):
            pass

    assert _ids(check_job_model(NegativeStepJob)) == ["parviraptor.E004"]


@isolate_apps("testproject.jobs")
def test_several_problems_are_reported_together():
    class BrokenJob(AbstractJobFactory.make_base_class(["nope"])):
        BACKOFF_STRATEGY = "SOMETIMES"

        class Meta:
            app_label = "jobs"

    assert sorted(_ids(check_job_model(BrokenJob))) == [
        "parviraptor.E001",
        "parviraptor.E002",
        "parviraptor.E003",
    ]


def test_the_test_project_passes_the_checks():
    assert check_job_models() == []
