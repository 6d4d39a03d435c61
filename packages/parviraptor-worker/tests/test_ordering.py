"""Per-key FIFO order and failed predecessors, single-threaded."""

from __future__ import annotations

from itertools import pairwise

import pytest

from parviraptor.models import JobStatus
from parviraptor.worker import QueueWorker

from testproject.jobs.models import FifoJob, JobEvent, KeyedJob

pytestmark = pytest.mark.django_db


def drain(job_class):
    QueueWorker(job_class, own_heartbeat=False, stop_when_empty=True).run()


def statuses(job_class, **key):
    return list(
        job_class.objects.filter(**key).order_by("pk").values_list("status", flat=True)
    )


def test_failed_job_fails_its_later_same_key_jobs_only():
    key = {"shop": 1, "product": 1}
    KeyedJob.objects.create(**key)
    failing = KeyedJob.objects.create(**key, behaviour="invalid", message="broken")
    later = [KeyedJob.objects.create(**key) for _ in range(2)]
    other_key = [KeyedJob.objects.create(shop=1, product=2) for _ in range(3)]
    other_shop = [KeyedJob.objects.create(shop=2, product=1) for _ in range(3)]

    drain(KeyedJob)

    assert statuses(KeyedJob, **key) == ["PROCESSED", "FAILED", "FAILED", "FAILED"]
    failing.refresh_from_db()
    assert failing.error_message == "broken"
    for job in later:
        job.refresh_from_db()
        assert job.error_message == "dependent jobs failed"
    for job in [*other_key, *other_shop]:
        job.refresh_from_db()
        assert job.status == JobStatus.PROCESSED


def test_jobs_added_after_a_failure_of_their_key_fail_too():
    key = {"shop": 3, "product": 3}
    KeyedJob.objects.create(**key, behaviour="crash")
    drain(KeyedJob)
    late = KeyedJob.objects.create(**key)
    unrelated = KeyedJob.objects.create(shop=3, product=4)
    drain(KeyedJob)
    late.refresh_from_db()
    unrelated.refresh_from_db()
    assert late.status == JobStatus.FAILED
    assert late.error_message == "dependent jobs failed"
    assert unrelated.status == JobStatus.PROCESSED


def test_ignored_predecessor_does_not_block_its_key():
    key = {"shop": 4, "product": 1}
    KeyedJob.objects.create(**key, behaviour="ignore")
    KeyedJob.objects.create(**key)
    drain(KeyedJob)
    assert statuses(KeyedJob, **key) == ["IGNORED", "PROCESSED"]


def starts(job_class, pk):
    return list(
        JobEvent.objects.filter(queue=job_class.__name__, job_id=pk, event="start")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize("job_class", [KeyedJob, FifoJob])
def test_a_deferred_job_steps_out_of_its_keys_order(job_class):
    """Its key goes on at once; it is retried once no NEW job is eligible."""
    key = {"shop": 5, "product": 1} if job_class is KeyedJob else {}
    deferred = job_class.objects.create(**key, behaviour="defer", fail_times=1)
    later = [job_class.objects.create(**key) for _ in range(2)]
    drain(job_class)
    assert statuses(job_class, **key) == ["PROCESSED"] * 3
    deferred.refresh_from_db()
    assert deferred.error_count == 1
    first, retry = starts(job_class, deferred.pk)
    for job in later:
        job.refresh_from_db()
        assert job.error_message in ("", None)
        (start,) = starts(job_class, job.pk)
        assert first < start < retry


@pytest.mark.parametrize("job_class", [KeyedJob, FifoJob])
def test_a_deferred_job_that_finally_fails_fails_alone(job_class):
    key = {"shop": 6, "product": 1} if job_class is KeyedJob else {}
    deferred = job_class.objects.create(**key, behaviour="defer_always", message="x")
    later = job_class.objects.create(**key)
    drain(job_class)
    deferred.refresh_from_db()
    assert deferred.status == JobStatus.FAILED
    assert deferred.error_message == "deferred retry threshold exceeded: x"
    assert deferred.error_count == 20
    added_after_it_failed = job_class.objects.create(**key)
    drain(job_class)
    for job in (later, added_after_it_failed):
        job.refresh_from_db()
        assert job.status == JobStatus.PROCESSED


def test_a_deferred_jobs_retry_failing_for_good_fails_alone():
    key = {"shop": 6, "product": 2}
    deferred = KeyedJob.objects.create(
        **key, status=JobStatus.DEFERRED, error_count=1, behaviour="invalid"
    )
    later = KeyedJob.objects.create(**key)
    drain(KeyedJob)
    assert statuses(KeyedJob, **key) == ["FAILED", "PROCESSED"]
    deferred.refresh_from_db()
    assert deferred.error_message == "invalid"
    late = KeyedJob.objects.create(**key)
    drain(KeyedJob)
    later.refresh_from_db()
    late.refresh_from_db()
    assert later.status == late.status == JobStatus.PROCESSED


def test_a_deferred_jobs_temporary_failure_puts_it_back_in_line():
    """Failing for now on its retry, it is NEW again and takes its place by
    id among the waiting jobs of its key."""
    key = {"shop": 8, "product": 1}
    deferred = KeyedJob.objects.create(
        **key, status=JobStatus.DEFERRED, behaviour="temporary", fail_times=1
    )
    drain(KeyedJob)
    deferred.refresh_from_db()
    assert (deferred.status, deferred.error_count) == (JobStatus.NEW, 1)
    later = KeyedJob.objects.create(**key)
    KeyedJob.objects.filter(pk=deferred.pk).update(not_before=None)  # backoff over
    drain(KeyedJob)
    assert statuses(KeyedJob, **key) == ["PROCESSED", "PROCESSED"]
    assert starts(KeyedJob, deferred.pk)[-1] < starts(KeyedJob, later.pk)[0]


def test_deferred_jobs_wait_for_every_eligible_new_job():
    deferred = KeyedJob.objects.create(
        shop=9, product=1, behaviour="defer", fail_times=1
    )
    others = [KeyedJob.objects.create(shop=9, product=p) for p in range(2, 6)]
    drain(KeyedJob)
    retry = starts(KeyedJob, deferred.pk)[-1]
    assert all(starts(KeyedJob, job.pk)[0] < retry for job in others)
    assert set(statuses(KeyedJob, shop=9)) == {"PROCESSED"}


def test_strict_fifo_failure_fails_everything_after_it():
    FifoJob.objects.create()
    FifoJob.objects.create(behaviour="crash", message="boom")
    FifoJob.objects.create()
    FifoJob.objects.create()
    drain(FifoJob)
    assert statuses(FifoJob) == ["PROCESSED", "FAILED", "FAILED", "FAILED"]
    messages = list(
        FifoJob.objects.order_by("pk").values_list("error_message", flat=True)
    )
    assert messages[1:] == ["boom", "dependent jobs failed", "dependent jobs failed"]


def test_interleaved_keys_complete_in_id_order_per_key(ordering_problems):
    for _ in range(6):
        for shop in range(3):
            for product in range(2):
                KeyedJob.objects.create(shop=shop, product=product)
    drain(KeyedJob)
    assert set(statuses(KeyedJob)) == {"PROCESSED"}
    assert ordering_problems(KeyedJob) == []


def test_fifo_completes_in_id_order(ordering_problems):
    for _ in range(20):
        FifoJob.objects.create()
    drain(FifoJob)
    assert set(statuses(FifoJob)) == {"PROCESSED"}
    assert ordering_problems(FifoJob) == []


def ordering_violations(job_class):
    """Jobs of a key whose completion (modification_date) is out of id order."""
    found = []
    for key_filter in job_class.get_queryset_filters_for_disjoint_queues():
        dates = list(
            job_class.objects.filter(**key_filter)
            .order_by("pk")
            .values_list("modification_date", flat=True)
        )
        found += [key_filter for a, b in pairwise(dates) if b < a]
    return found


def test_a_failed_run_is_given_back_before_its_head_can_be_claimed_again(
    monkeypatch,
):
    """Slot A holds a key's head and the run behind it; the head fails for
    now. Once A's result for the head is written, another slot may claim the
    head again; the run must already be back, or that claim would skip the
    jobs A still held and run later ones first (found by the chaos run)."""
    from parviraptor.worker.claims import Claimer

    key = {"shop": 3, "product": 3}
    jobs = [KeyedJob.objects.create(**key, behaviour="temporary", fail_times=1)]
    jobs += [KeyedJob.objects.create(**key) for _ in range(3)]
    slot_a = QueueWorker(KeyedJob, own_heartbeat=False, worker_id="a", batch_size=2)
    claimed_by_b: list[int] = []
    original_write = QueueWorker._write

    def write_then_let_b_claim(self, job, outcome, hand_on):
        written = original_write(self, job, outcome, hand_on)
        if job.pk == jobs[0].pk and not claimed_by_b:
            KeyedJob.objects.update(not_before=None)  # its backoff is over
            claimed_by_b.extend(job.pk for job in Claimer(KeyedJob, "b").claim(3))
        return written

    monkeypatch.setattr(QueueWorker, "_write", write_then_let_b_claim)
    slot_a.run_once()

    assert claimed_by_b == [job.pk for job in jobs[:3]]
