"""Finding and claiming the next batch of eligible jobs of one queue."""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction
from django.db.models import Q, QuerySet

from parviraptor.dbtime import DatabaseNow
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.db import claim_strategy_for
from parviraptor.worker.locking import lock_queue
from parviraptor.worker.sequencing import extend_runs, sequence_new_jobs
from parviraptor.worker.transitions import database_for


def due() -> Q:
    """Jobs whose backoff delay (if any) has passed, by the database's clock."""
    return Q(not_before__isnull=True) | Q(not_before__lte=DatabaseNow())


class Claimer:
    """Claims batches of jobs of ``job_class`` for the worker slot ``claimer``.

    Eligible NEW jobs come first, in id order; DEFERRED jobs are claimed only
    when no NEW job is eligible. Ordered queues claim the heads of their keys
    (see ``sequencing``) while holding the queue lock.
    """

    def __init__(
        self,
        job_class: type[AbstractJob],
        claimer: str,
        batch_size: int = 10,
        sequence_batch: int = 500,
    ) -> None:
        self.job_class = job_class
        self.claimer = claimer
        self.batch_size = batch_size
        self.sequence_batch = sequence_batch
        self.using = database_for(job_class)
        self.keyed = job_class.is_keyed()
        self.strategy = claim_strategy_for(connections[self.using], self.keyed)
        self.sequenced = 0

    @property
    def jobs(self) -> Any:
        return self.job_class._default_manager.db_manager(self.using)

    def has_work(self) -> bool:
        """One cheap indexed query: is anything claimable (or to sequence)?"""
        waiting = Q(status__in=[JobStatus.NEW, JobStatus.DEFERRED])
        if self.keyed:
            heads = Q(key_head=True) | Q(status=JobStatus.NEW, key_head__isnull=True)
        else:
            heads = Q(key_head__isnull=True)
        return self.jobs.filter(waiting & heads & due()).exists()

    def claim(self, limit: int | None = None) -> list[AbstractJob]:
        """Claim up to ``limit`` jobs; the claimed jobs (now PROCESSING) by id."""
        limit = limit or self.batch_size
        if self.keyed:
            pks = self._claim_ordered(limit)
        else:
            pks = self._claim_from(self._candidates(JobStatus.NEW, None), limit)
            if not pks:
                pks = self._claim_from(
                    self._candidates(JobStatus.DEFERRED, None), limit
                )
        if not pks:
            return []
        return list(self.jobs.filter(pk__in=pks).order_by("pk"))

    def _candidates(self, status: str, key_head: bool | None) -> QuerySet[Any]:
        if key_head is None:
            base = self.jobs.filter(status=status, key_head__isnull=True)
        else:
            base = self.jobs.filter(status=status, key_head=key_head)
        return base.filter(due()).order_by("pk")

    def _claim_from(self, candidates: QuerySet[Any], limit: int) -> list[Any]:
        return self.strategy.claim(candidates, limit, self.claimer)

    def _claim_ordered(self, limit: int) -> list[Any]:
        """Heads of keys, each with the run of jobs waiting right behind it."""
        with transaction.atomic(using=self.using):
            lock_queue(self.job_class, self.using)
            self.sequenced = sequence_new_jobs(
                self.job_class, self.using, self.sequence_batch
            )
            pks = self._claim_from(self._candidates(JobStatus.NEW, True), limit)
            if not pks:
                pks = self._claim_from(
                    self._candidates(JobStatus.DEFERRED, True), limit
                )
            heads = list(
                self.jobs.filter(pk__in=pks).only("pk", *self.job_class.key_attnames())
            )
            run = extend_runs(self.job_class, self.using, heads, limit - len(pks))
            if run:
                self.jobs.filter(pk__in=run).update(
                    status=JobStatus.PROCESSING,
                    claimed_by=self.claimer,
                    claimed_at=DatabaseNow(),
                    modification_date=DatabaseNow(),
                    key_head=True,
                )
            return pks + run
