"""Fields ``process()`` sets on its job are saved with the outcome; the
worker alone decides ``status`` and its bookkeeping columns.

Single-threaded: plain ``django_db`` tests, no heartbeat thread.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parviraptor.models import JobStatus
from parviraptor.worker import QueueWorker

from testproject.jobs.models import FifoJob, IndependentJob, JobEvent, KeyedJob

pytestmark = pytest.mark.django_db

KEY = {"shop": 7, "product": 1}
QUEUES = [IndependentJob, FifoJob, KeyedJob]


def create(job_class, **fields):
    if job_class is KeyedJob:
        fields = {**KEY, **fields}
    return job_class.objects.create(**fields)


def worker_for(job_class):
    worker = QueueWorker(job_class, own_heartbeat=False, stop_when_empty=True)
    worker.prepare()
    return worker


def starts(job):
    return JobEvent.objects.filter(
        queue=type(job).__name__, job_id=job.pk, event="start"
    ).count()


def cleared():
    """What a cleared error_message reads back as (NULL where the column allows)."""
    return None if IndependentJob._meta.get_field("error_message").null else ""


@pytest.mark.parametrize("job_class", QUEUES)
@pytest.mark.parametrize(
    ("behaviour", "status"),
    [
        ("ok", JobStatus.PROCESSED),
        ("temporary", JobStatus.NEW),
        ("defer", JobStatus.DEFERRED),
        ("ignore", JobStatus.IGNORED),
        ("invalid", JobStatus.FAILED),
        ("crash", JobStatus.FAILED),
    ],
)
def test_fields_set_by_process_are_saved_whatever_the_outcome(
    job_class, behaviour, status
):
    job = create(job_class, behaviour=behaviour, fail_times=1, effects="fields")
    assert worker_for(job_class).run_once()
    job.refresh_from_db()
    assert job.status == status
    assert job.result == f"result of {job.pk}, attempt 1"
    assert job.response_code == 200
    assert job.data == {"attempts": [0]}  # changed in place


def test_fields_build_up_over_attempts():
    job = IndependentJob.objects.create(
        behaviour="temporary", fail_times=1, effects="fields"
    )
    worker = worker_for(IndependentJob)
    worker.run_once()
    IndependentJob.objects.filter(pk=job.pk).update(not_before=None)  # backoff over
    worker.run_once()
    job.refresh_from_db()
    assert (job.status, job.error_count) == (JobStatus.PROCESSED, 1)
    assert job.result == f"result of {job.pk}, attempt 2"
    assert job.response_code == 201
    assert job.data == {"attempts": [0, 1]}


def result_updates(queries, job_class):
    """The UPDATEs guarded by a claim: the result writes."""
    table = connection.ops.quote_name(job_class._meta.db_table)
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith(f"UPDATE {table}")
        and "claimed_by" in query["sql"].split("WHERE")[-1]
    ]


def test_only_changed_fields_are_written_with_the_outcome_in_one_update():
    job = IndependentJob.objects.create(effects="fields", message="kept")
    IndependentJob.objects.filter(pk=job.pk).update(message="changed meanwhile")
    with CaptureQueriesContext(connection) as queries:
        worker_for(IndependentJob).run_once()
    (update,) = result_updates(queries.captured_queries, IndependentJob)
    quote = connection.ops.quote_name
    for column in ("status", "result", "response_code", "data"):
        assert f"{quote(column)} =" in update
    for column in ("message", "behaviour", "effects", "counter"):
        assert f"{quote(column)} =" not in update
    job.refresh_from_db()
    assert job.message == "changed meanwhile"  # not overwritten by the worker


def test_a_job_that_changes_nothing_keeps_the_prepared_update():
    job = IndependentJob.objects.create()
    with CaptureQueriesContext(connection) as queries:
        worker_for(IndependentJob).run_once()
    (update,) = result_updates(queries.captured_queries, IndependentJob)
    assert "result" not in update.split("WHERE")[0]
    job.refresh_from_db()
    assert job.status == JobStatus.PROCESSED


@pytest.mark.parametrize("job_class", QUEUES)
def test_save_inside_process_keeps_the_claim(job_class):
    job = create(job_class, effects="fields,save")
    later = create(job_class)
    worker = worker_for(job_class)
    assert worker.run_once()
    worker.run_once()
    for each in (job, later):
        each.refresh_from_db()
        assert each.status == JobStatus.PROCESSED
        assert each.claimed_by is None
        assert starts(each) == 1
    assert job.result == f"result of {job.pk}, attempt 1"


@pytest.mark.parametrize("job_class", QUEUES)
@pytest.mark.parametrize("effects", ["hijack", "hijack,save", "update_row"])
def test_the_worker_overwrites_what_a_job_does_to_its_columns(job_class, effects):
    job = create(job_class, effects=effects, error_count=2, error_message="old")
    later = create(job_class)
    worker = worker_for(job_class)
    assert worker.run_once()
    job.refresh_from_db()
    assert job.status == JobStatus.PROCESSED
    assert job.error_count == 2
    assert job.error_message == cleared()
    assert job.claimed_by is None
    assert job.claimed_at is None
    assert job.key_head is None
    worker.run_once()
    assert worker.run_once() is False  # nothing left: the job did not loop
    later.refresh_from_db()
    assert later.status == JobStatus.PROCESSED
    assert starts(job) == starts(later) == 1


@pytest.mark.parametrize("effects", ["hijack", "hijack,save", "update_row"])
def test_a_job_setting_itself_new_still_counts_its_failure(effects):
    job = IndependentJob.objects.create(
        effects=effects, behaviour="temporary", fail_times=9, error_count=1
    )
    worker_for(IndependentJob).run_once()
    job.refresh_from_db()
    assert (job.status, job.error_count) == (JobStatus.NEW, 2)
    assert job.error_message == "temporary"
    assert job.not_before is not None  # backs off: no loop


@pytest.mark.parametrize("effects", ["fail_itself", "fail_itself,save"])
def test_a_keyed_job_failing_itself_does_not_corrupt_its_key(effects):
    job = KeyedJob.objects.create(**KEY, effects=effects)
    later = [KeyedJob.objects.create(**KEY) for _ in range(2)]
    worker = worker_for(KeyedJob)
    while worker.run_once():
        pass
    for each in [job, *later]:
        each.refresh_from_db()
        assert (each.status, each.key_head, each.claimed_by) == (
            JobStatus.PROCESSED,
            None,
            None,
        )
    assert job.error_message == cleared()


def test_a_keyed_job_cannot_move_itself_to_another_key():
    job = KeyedJob.objects.create(**KEY, effects="move_key,fields,save")
    worker_for(KeyedJob).run_once()
    job.refresh_from_db()
    assert job.status == JobStatus.PROCESSED
    assert job.product == KEY["product"]
    assert job.result == f"result of {job.pk}, attempt 1"


def test_save_outside_the_worker_writes_every_field():
    job = IndependentJob.objects.create()
    job.status = JobStatus.FAILED
    job.error_message = "by hand"
    job.save()
    job.refresh_from_db()
    assert (job.status, job.error_message) == (JobStatus.FAILED, "by hand")


@pytest.mark.parametrize("batch_size", [1, 100], ids=["head-only", "with-run"])
@pytest.mark.parametrize("behaviour", ["ok", "temporary"])
def test_fields_the_database_refuses_fail_the_job_not_the_worker(behaviour, batch_size):
    refused = KeyedJob.objects.create(
        **KEY, effects="refused_fields", behaviour=behaviour, fail_times=1
    )
    behind = [KeyedJob.objects.create(**KEY) for _ in range(2)]
    other_key = KeyedJob.objects.create(shop=7, product=2)
    QueueWorker(
        KeyedJob, own_heartbeat=False, stop_when_empty=True, batch_size=batch_size
    ).run()
    refused.refresh_from_db()
    assert refused.status == JobStatus.FAILED
    assert refused.error_message.startswith(
        "the fields the job set could not be saved (response_code, result): "
    )
    assert (refused.result, refused.response_code) == ("", None)
    for job in behind:
        job.refresh_from_db()
        assert (job.status, job.error_message) == (
            JobStatus.FAILED,
            "dependent jobs failed",
        )
        assert starts(job) == 0
    other_key.refresh_from_db()
    assert other_key.status == JobStatus.PROCESSED
