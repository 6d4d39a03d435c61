"""Claim strategies under 8 concurrent claimers: every job exactly once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from parviraptor.models import JobStatus
from parviraptor.worker.db import (
    CompareAndSetClaim,
    SerializedClaim,
    SkipLockedClaim,
    claim_strategy_for,
)
from parviraptor.worker.db.claiming import supports_skip_locked

from testproject.jobs.models import IndependentJob

JOBS = 500
THREADS = 8

STRATEGIES = {"skip-locked": SkipLockedClaim, "compare-and-set": CompareAndSetClaim}


def skip_locked_available() -> bool:
    """Whether the server can SKIP LOCKED (asks MySQL for its version)."""
    features = connection.features
    return bool(
        features.has_select_for_update and features.has_select_for_update_skip_locked
    )


def claim_concurrently(strategy, limit=7):
    """8 threads claim until no NEW job is left; what each one claimed."""
    claimed: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def claimer(name: str) -> None:
        won: list[int] = []
        try:
            start.wait()
            while True:
                candidates = IndependentJob.objects.filter(
                    status=JobStatus.NEW
                ).order_by("pk")
                pks = strategy.claim(candidates, limit, name)
                won += pks
                if not pks and not candidates.exists():
                    break
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            claimed[name] = won
            connections.close_all()

    threads = [
        threading.Thread(target=claimer, args=(f"claimer-{index}",))
        for index in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "claimers hang"
    assert errors == []
    return claimed


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("strategy_name", list(STRATEGIES))
def test_concurrent_claims_never_claim_a_job_twice(strategy_name):
    if strategy_name == "skip-locked" and not skip_locked_available():
        pytest.skip(f"{connection.vendor}: no SELECT ... FOR UPDATE SKIP LOCKED")
    strategy = STRATEGIES[strategy_name]()
    IndependentJob.objects.bulk_create(IndependentJob() for _ in range(JOBS))
    all_pks = set(IndependentJob.objects.values_list("pk", flat=True))

    claimed = claim_concurrently(strategy)

    every_claim = [pk for pks in claimed.values() for pk in pks]
    assert len(every_claim) == len(set(every_claim)), "a job was claimed twice"
    assert set(every_claim) == all_pks
    # The database agrees with what each claimer was told it won.
    for name, pks in claimed.items():
        in_db = set(
            IndependentJob.objects.filter(claimed_by=name).values_list("pk", flat=True)
        )
        assert in_db == set(pks)
    assert not IndependentJob.objects.exclude(status=JobStatus.PROCESSING).exists()
    assert not IndependentJob.objects.filter(claimed_at__isnull=True).exists()


@pytest.mark.django_db
def test_strategy_choice():
    assert isinstance(claim_strategy_for(connection, ordered=True), SerializedClaim)
    chosen = claim_strategy_for(connection, ordered=False)
    if supports_skip_locked(connection):
        assert isinstance(chosen, SkipLockedClaim)
    else:
        assert isinstance(chosen, CompareAndSetClaim)


@pytest.mark.django_db
def test_mysql5_cell_forces_compare_and_set():
    from django.conf import settings

    if getattr(settings, "DB_KIND", "") != "mysql5":
        pytest.skip("only the mysql5 cell sets PARVIRAPTOR_USE_SKIP_LOCKED = False")
    assert isinstance(claim_strategy_for(connection, ordered=False), CompareAndSetClaim)


@pytest.mark.django_db
def test_claim_respects_the_limit_and_id_order():
    IndependentJob.objects.bulk_create(IndependentJob() for _ in range(5))
    candidates = IndependentJob.objects.filter(status=JobStatus.NEW).order_by("pk")
    strategy = claim_strategy_for(connection, ordered=False)
    pks = strategy.claim(candidates, 3, "me")
    assert pks == sorted(IndependentJob.objects.values_list("pk", flat=True))[:3]
    assert IndependentJob.objects.filter(status=JobStatus.PROCESSING).count() == 3


@pytest.mark.django_db
def test_a_claim_whose_answer_was_lost_is_given_back(monkeypatch):
    """The claim commits, then the connection fails before the worker learns
    its jobs: the worker must not leave them PROCESSING under its own id."""
    from django.db import OperationalError

    from parviraptor.worker import QueueWorker
    from parviraptor.worker.claims import Claimer

    IndependentJob.objects.bulk_create(IndependentJob() for _ in range(3))
    original_claim = Claimer.claim
    calls = []

    def claim_then_lose_the_answer(self, *args, **kwargs):
        calls.append(self.claimer)
        jobs = original_claim(self, *args, **kwargs)
        if len(calls) == 1:
            assert jobs  # committed: the jobs are PROCESSING now
            raise OperationalError("server closed the connection unexpectedly")
        return jobs

    monkeypatch.setattr(Claimer, "claim", claim_then_lose_the_answer)
    worker = QueueWorker(IndependentJob, own_heartbeat=False, stop_when_empty=True)
    worker.run()

    assert len(calls) >= 2
    assert set(IndependentJob.objects.values_list("status", flat=True)) == {
        JobStatus.PROCESSED
    }
    assert worker.processed == 3


def _claimed_by_key(jobs):
    keys: dict[int, list[int]] = {}
    for job in jobs:
        keys.setdefault(job.shop, []).append(job.pk)
    return keys


@pytest.mark.django_db
def test_ordered_claims_take_few_keys_with_long_runs():
    """A batch of 3 x RUN_LENGTH from 6 keys with longer backlogs: 3 heads,
    each with the jobs right behind it."""
    from parviraptor.worker.claims import RUN_LENGTH, Claimer

    from testproject.jobs.models import KeyedJob

    KeyedJob.objects.bulk_create(
        KeyedJob(shop=i % 6, product=0) for i in range(6 * (RUN_LENGTH + 5))
    )  # interleaved ids
    jobs = Claimer(KeyedJob, "me").claim(3 * RUN_LENGTH)

    by_key = _claimed_by_key(jobs)
    assert len(jobs) == 3 * RUN_LENGTH
    assert len(by_key) == 3
    for shop, pks in by_key.items():
        in_order = KeyedJob.objects.filter(shop=shop).order_by("pk")
        assert pks == list(in_order.values_list("pk", flat=True)[:RUN_LENGTH])


@pytest.mark.django_db
def test_ordered_claims_fill_the_batch_when_runs_are_short():
    """Keys with one job each: the second round takes more heads."""
    from parviraptor.worker.claims import Claimer

    from testproject.jobs.models import KeyedJob

    KeyedJob.objects.bulk_create(KeyedJob(shop=i, product=0) for i in range(30))
    jobs = Claimer(KeyedJob, "me").claim(24)

    assert len(jobs) == 24
    assert len(_claimed_by_key(jobs)) == 24
    assert [job.pk for job in jobs] == sorted(
        KeyedJob.objects.values_list("pk", flat=True)
    )[:24]
