"""The original's test helpers, used as a downstream test-suite uses them.

``make_test_case_for_all_queues(**static_fields)`` (its class attributes,
test method names, and whether it passes with a ``setUp`` that creates
jobs), a ``QueueTestCase`` subclass, and ``InfinityLoopFreeQueueWorker``
inside a Django ``TestCase``. Tests are run with unittest in this process.
"""

from __future__ import annotations

import io
import unittest

from django.test import TestCase
from jobs.models import DirectJob, FifoJob, GatedJob, HangJob, IndependentJob, KeyedJob

from observe import jobs

STATIC_FIELDS = {"maxDiff": None, "fixtures": [], "databases": "__all__"}


def observe() -> dict:
    from parviraptor.test import make_test_case_for_all_queues

    generated = make_test_case_for_all_queues(**STATIC_FIELDS)
    return {
        "generated_class": {
            **{
                name: repr(getattr(generated, name, "missing"))
                for name in STATIC_FIELDS
            },
            "queues": jobs.present(getattr(generated, "queues", [])),
            "test_methods": jobs.present(_test_names(generated)),
        },
        "generated_run": _run(_with_jobs(generated)),
        "queue_test_case": _run(_downstream_queue_tests()),
        "worker_in_django_testcase": _run(_in_test_case()),
    }


def _test_names(case) -> list[str]:
    return sorted(name for name in dir(case) if name.startswith("test"))


def _create_jobs_of_every_queue() -> None:
    for model in (IndependentJob, FifoJob, GatedJob, HangJob):
        model.objects.bulk_create(model(tag=f"t{i}") for i in range(4))
    KeyedJob.objects.bulk_create(
        KeyedJob(tag=f"{s}{p}{i}", shop=s, product=p)
        for i in range(2)
        for s in "ab"
        for p in "xy"
    )
    DirectJob.objects.bulk_create(
        DirectJob(tag=f"{s}{i}", shop=s) for i in range(2) for s in "ab"
    )


def _with_jobs(generated):
    class AllQueues(generated):
        def setUp(self):
            super().setUp()
            _create_jobs_of_every_queue()

    return AllQueues


def _downstream_queue_tests():
    from parviraptor.test import QueueTestCase

    class DownstreamQueueTests(QueueTestCase):
        def test_keyed_with_one_thread(self):
            jobs = [
                KeyedJob(tag=f"k{i}", shop="s", product=f"p{i % 2}") for i in range(6)
            ]
            self.process_queue(KeyedJob, jobs, 1)
            queued = KeyedJob.objects.filter(product="p0")
            self.assertEqual(
                self.get_ordered_ids(queued, "pk"),
                self.get_ordered_ids(queued, "modification_date"),
            )

        def test_fifo_with_four_threads(self):
            self.process_queue(FifoJob, [FifoJob(tag=f"f{i}") for i in range(8)], 4)
            self.assertEqual(8, FifoJob.objects.filter(status="PROCESSED").count())

        def test_a_failing_job_fails_process_queue(self):
            with self.assertRaises(AssertionError):
                self.process_queue(
                    IndependentJob, [IndependentJob(tag="c", kind="crash")], 1
                )

    return DownstreamQueueTests


def _in_test_case():
    from parviraptor.test.worker import InfinityLoopFreeQueueWorker

    class WorkerInTestCase(TestCase):
        def test_drains_inside_the_test_transaction(self):
            IndependentJob.objects.bulk_create(
                IndependentJob(tag=f"i{i}") for i in range(3)
            )
            InfinityLoopFreeQueueWorker(IndependentJob).run()
            self.assertEqual(
                3, IndependentJob.objects.filter(status="PROCESSED").count()
            )

    return WorkerInTestCase


class _Result(unittest.TestResult):
    """Outcome per test method ("ok", "failure", "error", "skipped")."""

    def __init__(self) -> None:
        super().__init__(stream=io.StringIO())
        self.outcomes: dict[str, str] = {}

    def _note(self, test, outcome: str) -> None:
        name = test.id().rsplit(".", 1)[-1]
        if self.outcomes.get(name, "ok") == "ok":
            self.outcomes[name] = outcome

    def addSuccess(self, test):
        self._note(test, "ok")

    def addFailure(self, test, err):
        self._note(test, "failure")

    def addError(self, test, err):
        self._note(test, "error")

    def addSkip(self, test, reason):
        self._note(test, "skipped")

    def addSubTest(self, test, subtest, err):
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            self._note(test, "failure" if failed else "error")


def _run(case) -> dict:
    result = _Result()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    return dict(sorted(result.outcomes.items()))
