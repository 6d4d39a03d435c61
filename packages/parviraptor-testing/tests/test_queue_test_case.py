"""QueueTestCase.process_queue and its failure messages."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase

from parviraptor.test import QueueTestCase, QueueTestMixin

from testproject.jobs.models import FifoJob, IndependentJob, KeyedJob


class ProcessQueueTests(QueueTestCase):
    def test_sequentially(self) -> None:
        jobs = [FifoJob() for _ in range(4)]
        summary = self.process_queue(FifoJob, jobs, 1)
        self.assertEqual(summary.counts, {"PROCESSED": 4})
        self.assertJobsFinishedInOrder(FifoJob)

    def test_with_parallel_threads(self) -> None:
        jobs = [KeyedJob(shop=i % 3, product=1) for i in range(12)]
        summary = self.process_queue(KeyedJob, jobs, 4)
        self.assertEqual(summary.processed, 12)
        self.assertJobsFinishedInOrder(KeyedJob)

    def test_jobs_created_before(self) -> None:
        jobs = [IndependentJob.objects.create() for _ in range(3)]
        self.process_queue(IndependentJob, jobs, 2, create_jobs=False)

    def test_failure_lists_each_job_with_status_and_reason(self) -> None:
        ok = IndependentJob()
        crash = IndependentJob(behaviour="crash", message="payment API said 500")
        ignored = IndependentJob(behaviour="ignore", message="shop closed")
        with self.assertRaises(AssertionError) as raised:
            self.process_queue(IndependentJob, [ok, crash, ignored], 2)
        text = str(raised.exception)
        self.assertIn(
            "2 of 3 jobs.IndependentJob jobs did not end PROCESSED "
            "(processed with 2 parallel workers):",
            text,
        )
        self.assertIn("(1 PROCESSED, 1 FAILED, 1 IGNORED)", text)
        self.assertIn(f"#{crash.pk} FAILED: payment API said 500", text)
        self.assertIn(f"#{ignored.pk} IGNORED: shop closed", text)
        self.assertNotIn(f"#{ok.pk} ", text)

    def test_order_violation_names_the_jobs(self) -> None:
        first, second = FifoJob.objects.create(), FifoJob.objects.create()
        later = first.modification_date + timedelta(seconds=5)
        FifoJob.objects.filter(pk=first.pk).update(modification_date=later)
        with self.assertRaises(AssertionError) as raised:
            self.assertJobsFinishedInOrder(FifoJob)
        self.assertIn(
            f"key (whole queue): job #{second.pk} finished at", str(raised.exception)
        )
        self.assertIn(f"before the earlier job #{first.pk}", str(raised.exception))

    def test_get_ordered_ids(self) -> None:
        first, second, third = (FifoJob.objects.create() for _ in range(3))
        base = first.modification_date
        for job, seconds in ((first, 3), (second, 1), (third, 2)):
            FifoJob.objects.filter(pk=job.pk).update(
                modification_date=base + timedelta(seconds=seconds)
            )
        jobs = FifoJob.objects.all()
        self.assertEqual(
            self.get_ordered_ids(jobs, "pk"), [first.pk, second.pk, third.pk]
        )
        self.assertEqual(
            self.get_ordered_ids(jobs, "modification_date"),
            [second.pk, third.pk, first.pk],
        )
        self.assertEqual(
            self.get_ordered_ids(jobs.filter(pk=second.pk), "pk"), [second.pk]
        )
        jobs.update(modification_date=base)  # finished in one write: a tie
        self.assertEqual(
            self.get_ordered_ids(jobs, "modification_date"),
            [first.pk, second.pk, third.pk],
        )

    def test_job_of_another_class_is_refused(self) -> None:
        with self.assertRaisesRegex(TypeError, "is not a FifoJob"):
            self.process_queue(FifoJob, [IndependentJob()], 1)


class ProcessQueueInsideTestCase(QueueTestMixin, TestCase):
    """The mixin with Django's TestCase: one worker, in the test's transaction."""

    def test_sequentially(self) -> None:
        jobs = [KeyedJob(shop=1, product=i % 2) for i in range(4)]
        self.process_queue(KeyedJob, jobs, 1)
        self.assertJobsFinishedInOrder(KeyedJob)
