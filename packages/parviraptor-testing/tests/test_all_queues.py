"""make_test_case_for_all_queues: generated tests, entries from a factory or
setUp, and what a failing generated test says."""

from __future__ import annotations

import unittest

import pytest

from parviraptor.test import JobEntryFactory, make_test_case_for_all_queues

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob, NoRetryJob

ALL_QUEUES = ["IndependentJob", "FifoJob", "KeyedJob", "NoRetryJob"]


class TestProjectJobs(JobEntryFactory):
    """A few jobs per queue; KeyedJob gets 3 keys of 3 jobs each."""

    def build_jobs(self, job_class):
        if job_class is KeyedJob:
            return [KeyedJob(shop=i % 3, product=7) for i in range(9)]
        return [job_class() for _ in range(4)]


# Collected and run as ordinary tests: every queue, both ways.
TestAllQueuesFromFactory = make_test_case_for_all_queues(
    job_entry_factory=TestProjectJobs, message="from the factory"
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


def test_queues_lists_every_installed_queue() -> None:
    assert TestAllQueuesFromFactory.queues == ALL_QUEUES
    assert TestAllQueuesFromSetUp.queues == ["IndependentJob", "FifoJob"]
    names = sorted(n for n in dir(TestAllQueuesFromSetUp) if n.startswith("test_"))
    assert names == [
        "test_jobs_fifojob_concurrently",
        "test_jobs_fifojob_sequentially",
        "test_jobs_independentjob_concurrently",
        "test_jobs_independentjob_sequentially",
    ]


def test_ignoring_by_model_name_and_class() -> None:
    case = make_test_case_for_all_queues(["fifojob", NoRetryJob, "jobs.KeyedJob"])
    assert case.queues == ["IndependentJob"]


def _run(case: type[unittest.TestCase], *names: str) -> unittest.TestResult:
    """Run tests of a generated class the way unittest would."""
    suite = unittest.TestSuite(case(name) for name in names)
    result = unittest.TestResult()
    suite.run(result)
    return result


def _failure_texts(result: unittest.TestResult) -> list[str]:
    assert not result.errors, result.errors
    return [text for _, text in result.failures]


@pytest.mark.django_db(transaction=True)
def test_static_fields_reach_every_built_job() -> None:
    case = make_test_case_for_all_queues(
        [IndependentJob, KeyedJob, NoRetryJob],
        TestProjectJobs(),
        message="static",
        sleep_seconds=0.001,
    )
    result = _run(case, "test_jobs_fifojob_sequentially")
    assert result.wasSuccessful(), result.failures
    # The generated test flushed its data; run the factory part again to look.
    instance = case("test_jobs_fifojob_sequentially")
    jobs = instance.create_job_entries(FifoJob)
    assert {(job.message, job.sleep_seconds) for job in jobs} == {("static", 0.001)}


@pytest.mark.django_db(transaction=True)
def test_a_queue_without_entries_fails_naming_it() -> None:
    case = make_test_case_for_all_queues(["IndependentJob", "KeyedJob", "NoRetryJob"])
    result = _run(
        case, "test_jobs_fifojob_sequentially", "test_jobs_fifojob_concurrently"
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
        behaviour="invalid",
        message="no such product",
    )
    result = _run(case, "test_jobs_keyedjob_concurrently")
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

    case = make_test_case_for_all_queues(
        ["IndependentJob", "KeyedJob", "NoRetryJob"], Wrong
    )
    result = _run(case, "test_jobs_fifojob_sequentially")
    ((_, text),) = result.errors
    assert "Wrong.build_jobs(FifoJob) returned" in text


def test_factory_without_build_jobs_says_what_is_missing() -> None:
    with pytest.raises(
        NotImplementedError, match=r"build_jobs\(job_class\) is missing"
    ):
        JobEntryFactory().build_jobs(FifoJob)
