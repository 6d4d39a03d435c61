"""make_test_case_for_all_queues: the original's two tests with a subtest per
queue, jobs from setUp or a factory, class attributes from keyword arguments,
and what a failing queue says."""

from __future__ import annotations

import json
import unittest
from pathlib import Path
from typing import Any

import pytest

from parviraptor.test import JobEntryFactory, make_test_case_for_all_queues

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob, NoRetryJob

ALL_QUEUES = ["IndependentJob", "FifoJob", "KeyedJob", "NoRetryJob"]
TESTS = ["test_can_process_queue_concurrently", "test_can_process_queue_sequentially"]
ALL_BUT_FIFO = ["IndependentJob", "KeyedJob", "NoRetryJob"]


class TestProjectJobs(JobEntryFactory):
    """A few jobs per queue; KeyedJob gets 3 keys of 3 jobs each."""

    def build_jobs(self, job_class):
        if job_class is KeyedJob:
            return [KeyedJob(shop=i % 3, product=7) for i in range(9)]
        return [job_class() for _ in range(4)]


# Collected and run as ordinary tests: every queue, both ways.
TestAllQueuesFromFactory = make_test_case_for_all_queues(
    job_entry_factory=TestProjectJobs,
    job_fields={"message": "from the factory"},
    maxDiff=None,
)


class TestAllQueuesFromSetUp(
    make_test_case_for_all_queues(job_classes_to_ignore=["jobs.NoRetryJob", KeyedJob])
):
    """The original way: setUp creates the jobs."""

    def setUp(self) -> None:
        super().setUp()
        for _ in range(3):
            IndependentJob.objects.create()
            FifoJob.objects.create()


def test_queues_and_the_original_test_names() -> None:
    assert TestAllQueuesFromFactory.queues == ALL_QUEUES
    assert TestAllQueuesFromSetUp.queues == ["IndependentJob", "FifoJob"]
    for case in (TestAllQueuesFromFactory, TestAllQueuesFromSetUp):
        assert sorted(n for n in dir(case) if n.startswith("test_")) == TESTS


def test_ignoring_by_model_name_and_class() -> None:
    case = make_test_case_for_all_queues(["fifojob", NoRetryJob, "jobs.KeyedJob"])
    assert case.queues == ["IndependentJob"]


def test_keyword_arguments_become_class_attributes() -> None:
    case = make_test_case_for_all_queues(
        maxDiff=None, fixtures=["shop.json"], databases={"default"}
    )
    assert case.maxDiff is None
    assert case.fixtures == ["shop.json"]
    assert case.databases == {"default"}
    assert case.job_fields == {}


def test_job_fields_need_a_factory() -> None:
    with pytest.raises(TypeError, match="job_fields are set on a job_entry_factory"):
        make_test_case_for_all_queues(job_fields={"message": "x"})


class Recorder(unittest.TestResult):
    """A TestResult that keeps the subtests: (description, outcome)."""

    def __init__(self) -> None:
        super().__init__()
        self.subtests: list[tuple[str, str]] = []

    def addSubTest(self, test: Any, subtest: Any, err: Any) -> None:
        super().addSubTest(test, subtest, err)
        outcome = "ok" if err is None else err[0].__name__
        self.subtests.append((str(subtest).rsplit(" ", 1)[-1], outcome))


def _run(case: type[unittest.TestCase], *names: str) -> Recorder:
    """Run tests of a generated class the way unittest would."""
    suite = unittest.TestSuite(case(name) for name in names or TESTS)
    result = Recorder()
    suite.run(result)
    return result


def _failure_texts(result: unittest.TestResult) -> list[str]:
    assert not result.errors, result.errors
    return [text for _, text in result.failures]


@pytest.mark.django_db(transaction=True)
def test_every_queue_is_a_subtest() -> None:
    result = _run(TestAllQueuesFromFactory, "test_can_process_queue_sequentially")
    assert result.wasSuccessful(), result.failures + result.errors
    assert result.subtests == [(f"[{name}]", "ok") for name in ALL_QUEUES]


@pytest.mark.django_db(transaction=True)
def test_job_fields_reach_every_built_job() -> None:
    case = make_test_case_for_all_queues(
        ALL_BUT_FIFO,
        TestProjectJobs(),
        job_fields={"message": "static", "sleep_seconds": 0.001},
    )
    result = _run(case, "test_can_process_queue_sequentially")
    assert result.wasSuccessful(), result.failures
    # The test flushed its data; build the jobs once more to look at them.
    jobs = case("test_can_process_queue_sequentially").create_job_entries(FifoJob)
    assert {(job.message, job.sleep_seconds) for job in jobs} == {("static", 0.001)}


@pytest.mark.django_db(transaction=True)
def test_fixtures_attribute_loads_the_jobs(tmp_path: Path) -> None:
    """``fixtures=[...]``, as the original's docstring suggests, gives the jobs."""
    rows = [
        {
            "model": "jobs.independentjob",
            "pk": pk,
            "fields": {
                "creation_date": "2024-05-01T10:00:00Z",
                "modification_date": "2024-05-01T10:00:00Z",
            },
        }
        for pk in (11, 12, 13)
    ]
    fixture = tmp_path / "queue_jobs.json"
    fixture.write_text(json.dumps(rows))
    case = make_test_case_for_all_queues(
        ["FifoJob", "KeyedJob", "NoRetryJob"], fixtures=[str(fixture)]
    )
    result = _run(case)
    assert result.wasSuccessful(), result.failures + result.errors
    assert result.subtests == [("[IndependentJob]", "ok")] * 2


@pytest.mark.django_db(transaction=True)
def test_a_queue_without_entries_fails_its_subtest_only() -> None:
    class OnlyIndependent(JobEntryFactory):
        def build_jobs(self, job_class):
            return [IndependentJob()] if job_class is IndependentJob else []

    case = make_test_case_for_all_queues(["KeyedJob", "NoRetryJob"], OnlyIndependent)
    result = _run(case)
    assert (
        result.subtests
        == [
            ("[IndependentJob]", "ok"),
            ("[FifoJob]", "AssertionError"),
        ]
        * 2
    )
    texts = _failure_texts(result)
    assert len(texts) == 2
    for text in texts:
        assert "queue jobs.FifoJob has no jobs to test. Give it some:" in text
        assert "create FifoJob rows in AllQueuesTest.setUp()" in text
        assert "JobEntryFactory" in text
        assert "job_classes_to_ignore=[FifoJob]" in text


@pytest.mark.django_db(transaction=True)
def test_failed_jobs_are_listed_with_their_reason() -> None:
    case = make_test_case_for_all_queues(
        ["IndependentJob", "FifoJob", "NoRetryJob"],
        TestProjectJobs(),
        job_fields={"behaviour": "invalid", "message": "no such product"},
    )
    result = _run(case, "test_can_process_queue_concurrently")
    (text,) = _failure_texts(result)
    assert "9 of 9 jobs.KeyedJob jobs did not end PROCESSED" in text
    assert "(processed with 8 parallel workers)" in text
    assert text.count("FAILED: no such product") == 3  # each key's head
    assert text.count("FAILED: dependent jobs failed") == 6


@pytest.mark.django_db(transaction=True)
def test_factory_returning_a_wrong_class_is_an_error() -> None:
    class Wrong(JobEntryFactory):
        def build_jobs(self, job_class):
            return [IndependentJob()]

    case = make_test_case_for_all_queues(ALL_BUT_FIFO, Wrong)
    result = _run(case, "test_can_process_queue_sequentially")
    ((_, text),) = result.errors
    assert "Wrong.build_jobs(FifoJob) returned" in text


def test_factory_without_build_jobs_says_what_is_missing() -> None:
    with pytest.raises(
        NotImplementedError, match=r"build_jobs\(job_class\) is missing"
    ):
        JobEntryFactory().build_jobs(FifoJob)
