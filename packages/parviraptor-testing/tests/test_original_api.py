"""A downstream test suite written against the original parviraptor (2.x/4.x).

It imports the test helpers from the original's modules and uses them as
the original's docstrings say: the generated all-queues test case with jobs
from ``setUp`` and class attributes as keyword arguments, one of its two
tests skipped by name, ``QueueTestCase.process_queue`` with
``get_ordered_ids``, and ``measure_stats``.
"""

from __future__ import annotations

import unittest
from typing import Any

import pytest

from parviraptor.test import QueueTestCase as QueueTestCaseOfOurs
from parviraptor.test import make_test_case_for_all_queues as ours
from parviraptor.test.case import QueueTestCase
from parviraptor.test.factory import make_test_case_for_all_queues
from parviraptor.test.utils import measure_stats

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob, NoRetryJob


class JobsInSetUp:
    """Rows in every covered queue, created before each test."""

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        for i in range(4):
            IndependentJob.objects.create()
            FifoJob.objects.create()
            KeyedJob.objects.create(shop=i % 2, product=1)


class TestQueues(
    JobsInSetUp,
    make_test_case_for_all_queues(job_classes_to_ignore=[NoRetryJob], maxDiff=None),
):
    """Both of the original's tests, every queue but NoRetryJob."""

    def test_the_class_is_as_the_original_made_it(self) -> None:
        self.assertEqual(self.queues, ["IndependentJob", "FifoJob", "KeyedJob"])
        self.assertIsNone(self.maxDiff)


class TestQueuesOneAtATime(
    JobsInSetUp, make_test_case_for_all_queues([NoRetryJob, "KeyedJob"])
):
    """A suite that skips the concurrent test, by its name."""

    @unittest.skip("this project's queues share a lock file")
    def test_can_process_queue_concurrently(self) -> None:
        raise AssertionError("skipped")


class TestOrder(QueueTestCase):
    def test_keys_in_order(self) -> None:
        jobs = [KeyedJob(shop=1, product=i % 2) for i in range(8)]
        self.process_queue(KeyedJob, jobs, 4)
        for filters in KeyedJob.get_queryset_filters_for_disjoint_queues():
            same_key = KeyedJob.objects.filter(**filters)
            self.assertEqual(
                self.get_ordered_ids(same_key, "pk"),
                self.get_ordered_ids(same_key, "modification_date"),
            )

    def test_jobs_created_before(self) -> None:
        for _ in range(3):
            FifoJob.objects.create()
        self.process_queue(FifoJob, FifoJob.objects.all(), 1, create_jobs=False)


def test_the_old_modules_name_ours() -> None:
    assert QueueTestCase is QueueTestCaseOfOurs
    assert make_test_case_for_all_queues is ours


def test_measure_stats_prints_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    with measure_stats():
        sorted(range(1000), key=lambda n: -n)
    out = capsys.readouterr().out
    assert "function calls" in out
    assert "Ordered by: cumulative time" in out


def test_each_old_name_says_what_it_stands_for(alias_docstrings: Any) -> None:
    from parviraptor.test import compat

    docs = alias_docstrings(compat)
    assert set(docs) == set(compat.__all__)
    for doc in docs.values():
        assert doc is not None and "\n" not in doc and "since" in doc
