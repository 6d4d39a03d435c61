"""Names that code written against the original parviraptor (2.x, 4.x) uses.

Each test reads like the downstream code it stands for.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import models
from django.test.utils import isolate_apps
from django.utils import timezone

from parviraptor.models import AbstractJob, AbstractJobFactory, JobStatus
from parviraptor.monitoring import QueueMonitoringResult, monitor_queue_entries
from parviraptor.utils import iter_chunks

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob, NotAJob


def test_abstract_job_status_is_job_status():
    assert AbstractJob.Status is JobStatus
    assert KeyedJob.Status.FAILED == "FAILED"
    assert IndependentJob().status == IndependentJob.Status.NEW


def test_abstract_job_factory_importable_from_abstract():
    from parviraptor.models.abstract import AbstractJobFactory as from_abstract

    assert from_abstract is AbstractJobFactory


def test_unknown_names_of_abstract_are_still_attribute_errors():
    import parviraptor.models.abstract as abstract

    with pytest.raises(AttributeError, match="NoSuchName"):
        abstract.NoSuchName  # noqa: B018


# --- dependent_fields -------------------------------------------------------------


def test_dependent_fields_class_attribute_of_factory_models():
    assert IndependentJob.dependent_fields is None
    assert FifoJob.dependent_fields == []
    assert KeyedJob.dependent_fields == ["shop", "product"]


def test_factory_keeps_its_own_copy_of_the_fields():
    fields = ["shop"]
    base = AbstractJobFactory.make_base_class(fields)
    fields.append("later")
    assert base.get_dependent_fields() == ["shop"]


@isolate_apps("testproject.jobs")
def test_dependent_fields_on_a_direct_abstract_job_subclass():
    """The original read ``dependent_fields`` wherever it was set."""

    class DirectJob(AbstractJob):
        dependent_fields = ["shop"]
        shop = models.IntegerField()

        class Meta:
            app_label = "jobs"

    assert DirectJob.get_dependent_fields() == ["shop"]
    assert DirectJob.is_keyed()
    assert DirectJob.key_attnames() == ["shop"]
    index_fields = [tuple(index.fields) for index in DirectJob._meta.indexes]
    assert ("shop", "key_head", "status", "id") in index_fields


@isolate_apps("testproject.jobs")
def test_direct_subclass_without_dependent_fields_raises_attribute_error():
    """As in the original; the system check E005 reports it before."""

    class BareJob(AbstractJob):
        class Meta:
            app_label = "jobs"

    with pytest.raises(AttributeError, match=r"BareJob .*'dependent_fields'"):
        BareJob.get_dependent_fields()
    with pytest.raises(AttributeError):
        BareJob.is_keyed()


# --- column definitions and the 4.x index -----------------------------------------


def test_column_definitions_are_the_originals():
    meta = IndependentJob._meta
    status = meta.get_field("status")
    assert (status.max_length, status.db_index, status.default) == (32, True, "NEW")
    assert status.choices == JobStatus.choices
    error_count = meta.get_field("error_count")
    assert type(error_count) is models.IntegerField
    assert error_count.default == 0
    error_message = meta.get_field("error_message")
    assert (error_message.null, error_message.blank) == (True, True)
    assert meta.get_field("creation_date").auto_now_add
    assert meta.get_field("modification_date").auto_now


@isolate_apps("testproject.jobs")
@pytest.mark.parametrize("fields", [None, [], ["shop"]])
def test_a_model_without_its_own_meta_inherits_the_4x_index(fields):
    """As with the original's factory, whose base's Meta derives AbstractJob's."""

    class PlainJob(AbstractJobFactory.make_base_class(fields)):
        __module__ = "testproject.jobs.models"  # app "jobs", no Meta needed
        shop = models.IntegerField()

    names = {tuple(i.fields): i.name for i in PlainJob._meta.indexes}
    expected = models.Index(fields=["modification_date", "status"])
    expected.set_name_with_model(PlainJob)
    assert names[("modification_date", "status")] == expected.name


def test_a_model_with_a_meta_of_its_own_has_no_4x_index():
    """As in 4.x: a Meta not derived from the base's does not inherit it."""
    fields = [tuple(index.fields) for index in KeyedJob._meta.indexes]
    assert ("modification_date", "status") not in fields
    assert ("status", "modification_date") in fields  # ours, for every job model


# --- monitoring -------------------------------------------------------------------


@pytest.mark.django_db
def test_monitoring_results_compare_with_hand_built_ones():
    IndependentJob.objects.create(status=JobStatus.FAILED)
    waiting = KeyedJob.objects.create(shop=1, product=1)
    KeyedJob.objects.filter(pk=waiting.pk).update(
        creation_date=timezone.now() - timedelta(days=2)
    )
    assert monitor_queue_entries([IndependentJob, FifoJob, KeyedJob]) == [
        QueueMonitoringResult(
            queue_name="IndependentJob",
            failed_jobs_count=1,
            long_processing_jobs_count=0,
            long_unprocessed_jobs_count=0,
        ),
        QueueMonitoringResult(
            queue_name="KeyedJob",
            failed_jobs_count=0,
            long_processing_jobs_count=0,
            long_unprocessed_jobs_count=1,
        ),
    ]


def test_monitoring_result_short_names_and_job_class():
    result = QueueMonitoringResult("KeyedJob", 3, 2, 1, job_class=KeyedJob)
    assert (result.failed, result.long_processing, result.long_unprocessed) == (
        3,
        2,
        1,
    )
    assert result.job_class is KeyedJob
    assert result == QueueMonitoringResult("KeyedJob", 3, 2, 1)
    assert result != QueueMonitoringResult("KeyedJob", 3, 2, 0)


def test_monitor_queue_entries_rejects_classes_that_are_no_jobs():
    with pytest.raises(TypeError) as info:
        monitor_queue_entries([IndependentJob, NotAJob])
    assert info.value.args == ([NotAJob],)


# --- iter_chunks ------------------------------------------------------------------


def test_iter_chunks_as_its_docstring_says():
    assert list(iter_chunks(3, range(14))) == [
        (0, 1, 2),
        (3, 4, 5),
        (6, 7, 8),
        (9, 10, 11),
        (12, 13),
    ]
    assert list(iter_chunks(2, [])) == []
    assert list(iter_chunks(5, "ab")) == [("a", "b")]


def test_iter_chunks_reads_one_chunk_at_a_time():
    read = []

    def numbers():
        for n in range(10):
            read.append(n)
            yield n

    chunks = iter_chunks(4, numbers())
    assert next(chunks) == (0, 1, 2, 3)
    assert read == [0, 1, 2, 3]


@pytest.mark.parametrize("size", [0, -1])
def test_iter_chunks_rejects_a_size_below_one_at_once(size):
    with pytest.raises(ValueError, match="at least 1"):
        iter_chunks(size, [1, 2])
