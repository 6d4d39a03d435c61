"""Job base classes, their class methods, counts, monitoring and helpers."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from parviraptor.dbtime import DatabaseNow, db_now, db_now_plus
from parviraptor.exceptions import TemporaryJobFailure
from parviraptor.models import (
    AbstractJob,
    AbstractJobFactory,
    BackoffStrategy,
    JobStatus,
)
from parviraptor.monitoring import QueueMonitoringResult, monitor_queue_entries
from parviraptor.utils import enumerate_job_models, is_job_model, resolve_job_model

from testproject.jobs.models import (
    Counter,
    FifoJob,
    IndependentJob,
    KeyedJob,
    NoRetryJob,
    NotAJob,
)

JOB_MODELS = [IndependentJob, FifoJob, KeyedJob, NoRetryJob]


# --- the factory ---------------------------------------------------------------


def test_factory_makes_abstract_subclasses_of_abstract_job():
    for fields in (None, [], ["a", "b"]):
        base = AbstractJobFactory.make_base_class(fields)
        assert issubclass(base, AbstractJob)
        assert base._meta.abstract


def test_factory_independent_jobs():
    base = AbstractJobFactory.make_base_class(None)
    assert base.get_dependent_fields() is None
    assert not base.is_keyed()


def test_factory_strict_fifo():
    base = AbstractJobFactory.make_base_class([])
    assert base.get_dependent_fields() == []
    assert base.is_keyed()


def test_factory_fifo_per_key():
    base = AbstractJobFactory.make_base_class(("shop", "product"))
    assert base.get_dependent_fields() == ["shop", "product"]
    assert base.is_keyed()


def test_factory_rejects_a_string():
    with pytest.raises(TypeError):
        AbstractJobFactory.make_base_class("shop")


def test_get_dependent_fields_returns_a_copy():
    fields = KeyedJob.get_dependent_fields()
    fields.append("x")
    assert KeyedJob.get_dependent_fields() == ["shop", "product"]


def test_dependent_fields_of_the_test_models():
    assert IndependentJob.get_dependent_fields() is None
    assert NoRetryJob.get_dependent_fields() is None
    assert FifoJob.get_dependent_fields() == []
    assert KeyedJob.get_dependent_fields() == ["shop", "product"]
    assert KeyedJob.key_attnames() == ["shop", "product"]


def test_class_attribute_defaults():
    assert AbstractJob.MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN == 30
    assert AbstractJob.MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN == 960
    assert AbstractJob.BACKOFF_STEP_MINUTES == 2
    assert AbstractJob.BACKOFF_STRATEGY is BackoffStrategy.EXPONENTIAL
    assert AbstractJob.MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS == 7
    assert AbstractJob.RETRY_ON_WORKER_LOSS is True
    assert NoRetryJob.RETRY_ON_WORKER_LOSS is False


def test_contract_fields_exist_on_every_job_model():
    for model in JOB_MODELS:
        names = {field.name for field in model._meta.get_fields()}
        assert {
            "creation_date",
            "modification_date",
            "status",
            "error_count",
            "error_message",
        } <= names


def test_raise_temporary_failure_carries_message_and_error_count():
    job = IndependentJob(error_count=4)
    with pytest.raises(TemporaryJobFailure) as info:
        job.raise_temporary_failure("try later")
    assert info.value.message == "try later"
    assert info.value.error_count == 4
    assert str(info.value) == "try later"


def test_default_hooks():
    job = IndependentJob()
    assert job.is_processable() is True
    assert AbstractJob.on_job_terminated(job) is None


def test_new_job_defaults():
    job = IndependentJob()
    assert job.status == JobStatus.NEW
    assert job.error_count == 0
    assert job.error_message is None


# --- disjoint sub-queues --------------------------------------------------------


@pytest.mark.django_db
def test_disjoint_queues_of_independent_jobs():
    IndependentJob.objects.create()
    assert IndependentJob.get_queryset_filters_for_disjoint_queues() == []


@pytest.mark.django_db
def test_disjoint_queues_of_a_fifo_queue():
    assert FifoJob.get_queryset_filters_for_disjoint_queues() == []
    FifoJob.objects.create()
    FifoJob.objects.create()
    assert FifoJob.get_queryset_filters_for_disjoint_queues() == [{}]


@pytest.mark.django_db
def test_disjoint_queues_per_key():
    for shop, product in [(2, 1), (1, 2), (1, 1), (2, 1), (1, 2)]:
        KeyedJob.objects.create(shop=shop, product=product)
    filters = KeyedJob.get_queryset_filters_for_disjoint_queues()
    assert filters == [
        {"shop": 1, "product": 1},
        {"shop": 1, "product": 2},
        {"shop": 2, "product": 1},
    ]
    for key_filter in filters:
        assert KeyedJob.objects.filter(**key_filter).exists()


# --- counts and monitoring ------------------------------------------------------


def _age(queryset, **fields_minutes_ago):
    now = timezone.now()
    queryset.update(
        **{name: now - timedelta(minutes=m) for name, m in fields_minutes_ago.items()}
    )


@pytest.mark.django_db
def test_count_failed_jobs():
    IndependentJob.objects.create(status=JobStatus.FAILED)
    IndependentJob.objects.create(status=JobStatus.FAILED)
    IndependentJob.objects.create(status=JobStatus.IGNORED)
    IndependentJob.objects.create()
    assert IndependentJob.count_failed_jobs() == 2
    assert FifoJob.count_failed_jobs() == 0


@pytest.mark.django_db
def test_count_long_processing_jobs():
    old_claim = IndependentJob.objects.create(status=JobStatus.PROCESSING)
    _age(IndependentJob.objects.filter(pk=old_claim.pk), claimed_at=31)
    fresh_claim = IndependentJob.objects.create(status=JobStatus.PROCESSING)
    _age(IndependentJob.objects.filter(pk=fresh_claim.pk), claimed_at=5)
    # Without a claim time, the modification date counts.
    unclaimed_old = IndependentJob.objects.create(status=JobStatus.PROCESSING)
    _age(IndependentJob.objects.filter(pk=unclaimed_old.pk), modification_date=45)
    IndependentJob.objects.create(status=JobStatus.PROCESSING)  # just now
    old_but_done = IndependentJob.objects.create(status=JobStatus.PROCESSED)
    _age(IndependentJob.objects.filter(pk=old_but_done.pk), modification_date=600)
    assert IndependentJob.count_long_processing_jobs() == 2


@pytest.mark.django_db
def test_count_long_unprocessed_jobs():
    for status in (JobStatus.NEW, JobStatus.DEFERRED, JobStatus.PROCESSED):
        job = IndependentJob.objects.create(status=status)
        _age(IndependentJob.objects.filter(pk=job.pk), creation_date=961)
    recent = IndependentJob.objects.create()
    _age(IndependentJob.objects.filter(pk=recent.pk), creation_date=900)
    assert IndependentJob.count_long_unprocessed_jobs() == 2


@pytest.mark.django_db
def test_monitor_queue_entries_reports_only_queues_with_problems():
    IndependentJob.objects.create(status=JobStatus.FAILED)
    processing = IndependentJob.objects.create(status=JobStatus.PROCESSING)
    _age(IndependentJob.objects.filter(pk=processing.pk), claimed_at=60)
    for _ in range(3):
        waiting = IndependentJob.objects.create()
        _age(IndependentJob.objects.filter(pk=waiting.pk), creation_date=2000)
    FifoJob.objects.create()  # fresh: no problem
    KeyedJob.objects.create(shop=1, product=1, status=JobStatus.FAILED)

    results = monitor_queue_entries([IndependentJob, FifoJob, KeyedJob])

    assert [result.job_class for result in results] == [IndependentJob, KeyedJob]
    independent, keyed = results
    assert (
        independent.failed,
        independent.long_processing,
        independent.long_unprocessed,
    ) == (1, 1, 3)
    assert independent.message() == (
        "There are 1 failed, 1 long processing and 3 long unprocessed IndependentJobs."
    )
    assert keyed.message() == (
        "There are 1 failed, 0 long processing and 0 long unprocessed KeyedJobs."
    )
    assert not independent.is_ok


@pytest.mark.django_db
def test_monitor_queue_entries_of_healthy_queues_is_empty():
    IndependentJob.objects.create()
    IndependentJob.objects.create(status=JobStatus.PROCESSED)
    assert monitor_queue_entries(JOB_MODELS) == []


def test_queue_monitoring_result_message_and_ok():
    result = QueueMonitoringResult("FifoJob", 0, 0, 0, job_class=FifoJob)
    assert result.is_ok
    assert result.queue_name == "FifoJob"
    assert result.message() == (
        "There are 0 failed, 0 long processing and 0 long unprocessed FifoJobs."
    )
    assert not QueueMonitoringResult("FifoJob", 0, 0, 1).is_ok


# --- utils ----------------------------------------------------------------------


def test_enumerate_job_models_finds_the_concrete_job_models():
    models = enumerate_job_models()
    assert set(JOB_MODELS) <= set(models)
    assert NotAJob not in models
    assert Counter not in models
    assert all(is_job_model(model) for model in models)
    assert not any(model._meta.abstract for model in models)


def test_is_job_model():
    assert is_job_model(KeyedJob)
    assert not is_job_model(NotAJob)
    assert not is_job_model(AbstractJob)
    assert not is_job_model(AbstractJobFactory.make_base_class([]))
    assert not is_job_model(KeyedJob())  # an instance, not a class


def test_resolve_job_model():
    assert resolve_job_model("jobs", "KeyedJob") is KeyedJob
    assert resolve_job_model("jobs", "keyedjob") is KeyedJob


@pytest.mark.parametrize(
    ("app_label", "model_name", "exc_class", "text"),
    [
        ("nosuchapp", "X", LookupError, "nosuchapp"),
        ("jobs", "NoSuchModel", LookupError, "NoSuchModel"),
        ("jobs", "NotAJob", TypeError, "not a job queue"),
    ],
)
def test_resolve_job_model_errors_are_one_line(app_label, model_name, exc_class, text):
    with pytest.raises(exc_class) as info:
        resolve_job_model(app_label, model_name)
    message = str(info.value)
    assert text in message
    assert "\n" not in message


# --- indexes and migrations -----------------------------------------------------


def _index_fields(model):
    return {tuple(index.fields) for index in model._meta.indexes}


@pytest.mark.parametrize("model", JOB_MODELS, ids=lambda m: m.__name__)
def test_every_job_model_gets_the_job_indexes(model):
    fields = _index_fields(model)
    assert ("status", "key_head", "id") in fields
    assert ("status", "modification_date") in fields
    assert ("status", "creation_date") in fields


def test_keyed_job_with_its_own_meta_has_all_four_indexes():
    assert KeyedJob._meta.verbose_name == "keyed job"
    fields = _index_fields(KeyedJob)
    assert ("shop", "product", "key_head", "status", "id") in fields
    assert len(fields) >= 4
    names = [index.name for index in KeyedJob._meta.indexes]
    assert len(names) == len(set(names))
    assert all(name and len(name) <= 30 for name in names)


@pytest.mark.django_db
@pytest.mark.parametrize("model", JOB_MODELS, ids=lambda m: m.__name__)
def test_the_job_indexes_exist_in_the_database(model):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, model._meta.db_table
        )
    columns_of_indexes = {
        tuple(info["columns"]) for info in constraints.values() if info["index"]
    }
    for index in model._meta.indexes:
        columns = tuple(model._meta.get_field(name).column for name in index.fields)
        assert columns in columns_of_indexes, (index.name, columns)


@pytest.mark.django_db
def test_makemigrations_finds_no_changes():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check exited {exit_.code}:\n{out.getvalue()}")


# --- the database clock ---------------------------------------------------------


@pytest.mark.django_db
def test_db_now_is_aware_and_close_to_now():
    value = db_now()
    assert value.tzinfo is not None
    assert value.utcoffset() == timedelta(0)
    assert abs(value - timezone.now()) < timedelta(seconds=5)


@pytest.mark.django_db
def test_database_now_expressions():
    IndependentJob.objects.create()
    before = db_now()
    IndependentJob.objects.update(
        modification_date=DatabaseNow(),
        not_before=db_now_plus(timedelta(minutes=10)),
    )
    after = db_now()
    job = IndependentJob.objects.get()
    tolerance = timedelta(milliseconds=5)
    assert before - tolerance <= job.modification_date <= after + tolerance
    expected = job.not_before - timedelta(minutes=10)
    assert before - tolerance <= expected <= after + tolerance


@pytest.mark.parametrize("model", [IndependentJob, FifoJob, KeyedJob])
def test_migrations_name_no_base_class_of_ours(model):
    """A job model's migration state has only ``models.Model`` as its base:
    a mixin of ours there would be written into users' migrations and pin
    its module path forever."""
    from django.db import models
    from django.db.migrations.state import ModelState

    assert ModelState.from_model(model).bases == (models.Model,)
