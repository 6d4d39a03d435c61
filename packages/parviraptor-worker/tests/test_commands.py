"""The worker's management commands: bad input, and the clean-up of old jobs."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from parviraptor.models import JobStatus
from parviraptor.worker.models import QueueLock, WorkerHeartbeat

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob, NoRetryJob

BAD_INPUTS = {
    "unknown app": ["process_queue", "nosuchapp", "X"],
    "unknown model": ["process_queue", "jobs", "NoSuchModel"],
    "not a job model": ["process_queue", "jobs", "NotAJob"],
    "missing model": ["process_queue", "jobs"],
    "concurrency 0": ["process_queue", "jobs", "KeyedJob", "--concurrency", "0"],
    "concurrency not a number": [
        "process_queue",
        "jobs",
        "KeyedJob",
        "--concurrency",
        "many",
    ],
    "negative poll interval": [
        "process_queue",
        "jobs",
        "KeyedJob",
        "--poll-interval",
        "-1",
    ],
    "zero poll interval": ["process_queue", "jobs", "KeyedJob", "--poll-interval", "0"],
    "queue without a dot": ["clean_old_processed_jobs", "--queue", "nodot"],
    "queue not a job model": ["clean_old_processed_jobs", "--queue", "jobs.NotAJob"],
    "queue unknown": ["clean_old_processed_jobs", "--queue", "jobs.Nope"],
    "both all-queues and queue": [
        "clean_old_processed_jobs",
        "--all-queues",
        "--queue",
        "jobs.FifoJob",
    ],
    "neither all-queues nor queue": ["clean_old_processed_jobs"],
    "old name, queue without a dot": ["clean_old_finished_jobs", "--queue", "nodot"],
    "chunk size 0": ["clean_old_processed_jobs", "--all-queues", "--chunk-size", "0"],
    "negative days": ["clean_old_finished_jobs", "-1", "--all-queues"],
    "days not a number": ["clean_old_finished_jobs", "seven", "--all-queues"],
    "days on the new name": ["clean_old_processed_jobs", "7", "--all-queues"],
}


def _snapshot():
    rows = {}
    for model in (IndependentJob, FifoJob, KeyedJob, NoRetryJob):
        rows[model.__name__] = sorted(
            model.objects.values_list("pk", "status", "error_count", "claimed_by")
        )
    rows["heartbeats"] = list(WorkerHeartbeat.objects.values_list("pk", flat=True))
    rows["locks"] = sorted(QueueLock.objects.values_list("pk", "acquisitions"))
    return rows


def _seed():
    long_ago = timezone.now() - timedelta(days=60)
    for model in (IndependentJob, FifoJob, NoRetryJob):
        model.objects.bulk_create(model(status=JobStatus.PROCESSED) for _ in range(3))
        model.objects.update(modification_date=long_ago)
    KeyedJob.objects.bulk_create(KeyedJob(shop=1, product=i) for i in range(3))


def _unseed():
    for model in (IndependentJob, FifoJob, KeyedJob, NoRetryJob):
        model.objects.all().delete()
    QueueLock.objects.all().delete()
    WorkerHeartbeat.objects.all().delete()


@pytest.fixture(scope="module")
def bad_input_runs(manage_runner, django_db_blocker):
    """Run every bad command line at once (in parallel) against seeded jobs.

    Returns the completed processes by case and the database snapshots
    taken before and after.
    """
    with django_db_blocker.unblock():
        _seed()
        before = _snapshot()

        def run(argv):
            return manage_runner(*argv)

        try:
            with ThreadPoolExecutor(max_workers=4) as pool:
                results = dict(
                    zip(BAD_INPUTS, pool.map(run, BAD_INPUTS.values()), strict=True)
                )
            after = _snapshot()
        finally:
            _unseed()
    return results, before, after


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_one_line_on_stderr_and_a_failure(case, bad_input_runs):
    result = bad_input_runs[0][case]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.slow
def test_bad_input_changes_nothing(bad_input_runs):
    _, before, after = bad_input_runs
    assert after == before


@pytest.mark.slow
def test_bad_input_messages_say_what_is_wrong(bad_input_runs):
    results = bad_input_runs[0]
    assert "nosuchapp" in results["unknown app"].stderr
    assert "NoSuchModel" in results["unknown model"].stderr
    assert "not a job queue" in results["not a job model"].stderr
    assert "--concurrency" in results["concurrency 0"].stderr
    assert "--poll-interval" in results["negative poll interval"].stderr
    assert "'-1' must be at least 0" in results["negative days"].stderr
    assert "'seven' is not a whole number" in results["days not a number"].stderr
    assert "nodot" in results["queue without a dot"].stderr


# --- clean_old_processed_jobs ---------------------------------------------------


def _clean(*args):
    out = io.StringIO()
    call_command("clean_old_processed_jobs", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def aged_jobs(db):
    """Old and recent jobs of every status in three queues."""
    for model in (IndependentJob, FifoJob, NoRetryJob):
        model.objects.bulk_create(model(status=JobStatus.PROCESSED) for _ in range(5))
        model.objects.bulk_create(model(status=JobStatus.PROCESSED) for _ in range(2))
        model.objects.bulk_create(
            model(status=status)
            for status in (JobStatus.FAILED, JobStatus.NEW, JobStatus.IGNORED)
        )
        pks = sorted(model.objects.values_list("pk", flat=True))
        old = pks[:5] + pks[7:]
        model.objects.filter(pk__in=old).update(
            modification_date=timezone.now() - timedelta(days=8)
        )
        recent = pks[5:7]
        model.objects.filter(pk__in=recent).update(
            modification_date=timezone.now() - timedelta(days=6)
        )


def _counts(model):
    return {
        status: model.objects.filter(status=status).count()
        for status in (JobStatus.PROCESSED, JobStatus.FAILED, JobStatus.NEW)
    }


@pytest.mark.django_db
def test_clean_all_queues(aged_jobs):
    lines = _clean("--all-queues")
    for model in (IndependentJob, FifoJob):
        assert _counts(model) == {"PROCESSED": 2, "FAILED": 1, "NEW": 1}
        assert model.objects.filter(status=JobStatus.IGNORED).count() == 1
        assert f"jobs.{model.__name__}: deleted 5 processed jobs" in lines
    # MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS = None: never cleaned up.
    assert NoRetryJob.objects.count() == 10
    assert any(line.startswith("jobs.NoRetryJob: kept") for line in lines)
    assert "jobs.KeyedJob: deleted 0 processed jobs" in lines
    assert len(lines) == 4


@pytest.mark.django_db
def test_clean_one_queue(aged_jobs):
    lines = _clean("--queue", "jobs.FifoJob")
    assert lines == ["jobs.FifoJob: deleted 5 processed jobs"]
    assert FifoJob.objects.count() == 5
    assert IndependentJob.objects.count() == 10


@pytest.mark.django_db
def test_clean_dry_run_deletes_nothing(aged_jobs):
    lines = _clean("--all-queues", "--dry-run")
    assert "jobs.IndependentJob: would delete 5 processed jobs" in lines
    assert IndependentJob.objects.count() == FifoJob.objects.count() == 10


@pytest.mark.django_db
def test_clean_in_small_chunks_deletes_them_all(aged_jobs):
    lines = _clean("--queue", "jobs.IndependentJob", "--chunk-size", "2")
    assert lines == ["jobs.IndependentJob: deleted 5 processed jobs"]
    assert _counts(IndependentJob)["PROCESSED"] == 2


@pytest.mark.django_db
def test_clean_old_finished_jobs_is_the_same_command(aged_jobs):
    out = io.StringIO()
    call_command("clean_old_finished_jobs", "--queue", "jobs.FifoJob", stdout=out)
    assert out.getvalue().splitlines() == ["jobs.FifoJob: deleted 5 processed jobs"]
    assert _counts(FifoJob)["PROCESSED"] == 2


@pytest.mark.django_db
def test_clean_respects_a_class_specific_age(aged_jobs, monkeypatch):
    monkeypatch.setattr(FifoJob, "MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS", 9)
    assert _clean("--queue", "jobs.FifoJob") == [
        "jobs.FifoJob: deleted 0 processed jobs"
    ]
    monkeypatch.setattr(FifoJob, "MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS", 1)
    assert _clean("--queue", "jobs.FifoJob") == [
        "jobs.FifoJob: deleted 7 processed jobs"
    ]


@pytest.mark.django_db
def test_clean_with_a_bad_queue_in_process_is_a_command_error():
    with pytest.raises(CommandError):
        _clean("--queue", "jobs.NotAJob")


@pytest.mark.django_db
def test_clean_old_finished_jobs_takes_the_age_in_days_as_2x_did(aged_jobs):
    """``clean_old_finished_jobs 7 --all-queues``: PROCESSED jobs older than
    7 days, whatever the classes say; jobs of other statuses stay."""
    out = io.StringIO()
    call_command("clean_old_finished_jobs", "5", "--all-queues", stdout=out)
    lines = out.getvalue().splitlines()
    for model in (IndependentJob, FifoJob):
        assert _counts(model) == {"PROCESSED": 0, "FAILED": 1, "NEW": 1}
        assert model.objects.filter(status=JobStatus.IGNORED).count() == 1
        assert f"jobs.{model.__name__}: deleted 7 processed jobs" in lines
    assert NoRetryJob.objects.count() == 10  # None: never cleaned up


@pytest.mark.django_db
def test_the_age_in_days_wins_over_the_class(aged_jobs, monkeypatch):
    monkeypatch.setattr(FifoJob, "MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS", 1)
    out = io.StringIO()
    call_command("clean_old_finished_jobs", "9", "--queue=jobs.FifoJob", stdout=out)
    assert out.getvalue().splitlines() == ["jobs.FifoJob: deleted 0 processed jobs"]
    call_command("clean_old_finished_jobs", "7", "--queue=jobs.FifoJob", stdout=out)
    assert _counts(FifoJob)["PROCESSED"] == 2


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_2x_command_line_exits_0(aged_jobs, run_manage):
    done = run_manage("clean_old_finished_jobs", "7", "--all-queues")
    assert (done.returncode, done.stderr) == (0, ""), done
    assert "jobs.FifoJob: deleted 5 processed jobs" in done.stdout.splitlines()
    assert _counts(FifoJob)["PROCESSED"] == 2
