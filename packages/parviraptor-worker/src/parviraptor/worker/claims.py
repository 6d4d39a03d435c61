"""Finding and claiming the next batch of eligible jobs of one queue."""

from __future__ import annotations

import math
from typing import Any

from django.db import connections, transaction
from django.db.models import Q, QuerySet

from parviraptor.dbtime import DatabaseNow
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.changes import remember
from parviraptor.worker.db import claim_strategy_for
from parviraptor.worker.locking import lock_queue
from parviraptor.worker.ranges import by_id_from_first
from parviraptor.worker.sequencing import extend_runs, sequence_new_jobs
from parviraptor.worker.transitions import database_for

# Ordered queues: first about one head per RUN_LENGTH places of a batch,
# in at most CLAIM_ROUNDS rounds (see ``Claimer._claim_ordered``).
RUN_LENGTH = 32
CLAIM_ROUNDS = 4


def due() -> Q:
    """Jobs whose backoff delay (if any) has passed, by the database's clock."""
    return Q(not_before__isnull=True) | Q(not_before__lte=DatabaseNow())


class Claimer:
    """Claims batches of jobs of ``job_class`` for the worker slot ``claimer``.

    Eligible NEW jobs come first, in id order; DEFERRED jobs are claimed only
    when no NEW job is eligible. Ordered queues claim the heads of their keys
    (see ``sequencing``) while holding the queue lock; their DEFERRED jobs
    have stepped out of their keys' order and are claimed one by one, without
    the jobs of their keys. Claimed jobs are noted as loaded (``changes``).
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
        self._has_work_sql: tuple[str, list[Any]] | None = None

    @property
    def jobs(self) -> Any:
        return self.job_class._default_manager.db_manager(self.using)

    def has_work(self) -> bool:
        """One round trip over cheap index ranges: anything to claim or sequence?

        One ``EXISTS`` per (status, key_head) range, OR-ed in a select of
        their own: MariaDB answers the same question put as one OR-ed
        ``WHERE`` with a scan of the whole table (74 ms per idle poll at
        100,000 jobs), and one query per range costs idle workers three
        round trips per poll.
        """
        if self._has_work_sql is None:
            self._has_work_sql = self._render_has_work()
        sql, params = self._has_work_sql
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return bool(row and row[0])

    def _render_has_work(self) -> tuple[str, list[Any]]:
        """The SQL of ``has_work``, rendered once (its clock is in the SQL)."""
        ranges = [self._range(JobStatus.NEW, True if self.keyed else None)]
        if self.keyed:
            ranges.append(self._range(JobStatus.NEW, None))  # not yet sequenced
        ranges.append(self._deferred())
        parts, params = [], []
        for jobs in ranges:
            query = jobs.filter(due()).values("pk").query
            sql, part_params = query.get_compiler(self.using).as_sql()
            parts.append(f"EXISTS ({sql})")
            params.extend(part_params)
        return f"SELECT {' OR '.join(parts)}", params

    def claim(self, limit: int | None = None) -> list[AbstractJob]:
        """Claim up to ``limit`` jobs; the claimed jobs (now PROCESSING) by id."""
        limit = limit or self.batch_size
        if self.keyed:
            pks = self._claim_ordered(limit)
        else:
            pks = self._claim_from(self._candidates(JobStatus.NEW, None), limit)
            if not pks:
                pks = self._claim_from(self._deferred_candidates(), limit)
        if not pks:
            return []
        jobs = list(self.jobs.filter(pk__in=pks).order_by("pk"))
        for job in jobs:
            remember(job)
        return jobs

    def _range(self, status: str, key_head: bool | None) -> QuerySet[Any]:
        """The jobs of one (status, key_head) range of the claim index."""
        if key_head is None:
            return self.jobs.filter(status=status, key_head__isnull=True)
        return self.jobs.filter(status=status, key_head=key_head)

    def _deferred(self) -> QuerySet[Any]:
        """DEFERRED jobs, whatever their ``key_head`` (the original's have
        None; ordered queues of parviraptor-worker 0.1 left True)."""
        return self.jobs.filter(status=JobStatus.DEFERRED)

    def _candidates(self, status: str, key_head: bool | None) -> QuerySet[Any]:
        """Due jobs of one range, by id (see ``ranges``)."""
        return by_id_from_first(self._range(status, key_head)).filter(due())

    def _deferred_candidates(self) -> QuerySet[Any]:
        return by_id_from_first(self._deferred()).filter(due())

    def _claim_from(self, candidates: QuerySet[Any], limit: int) -> list[Any]:
        return self.strategy.claim(candidates, limit, self.claimer)

    def _claim_ordered(self, limit: int) -> list[Any]:
        """Heads of keys, each with the run of jobs waiting right behind it.

        Few heads with long runs are cheaper than many heads: a key is
        handed on (a locked transaction) once per run, not once per job. So
        the first round claims about one head per ``RUN_LENGTH`` places and
        their runs; later rounds fill the free places, expecting runs as
        long as the previous round's. Without any NEW head, DEFERRED jobs
        (out of their keys' order, no runs).
        """
        with transaction.atomic(using=self.using):
            lock_queue(self.job_class, self.using)
            self.sequenced = sequence_new_jobs(
                self.job_class, self.using, self.sequence_batch
            )
            claimed: list[Any] = []
            run_length = float(RUN_LENGTH)
            for _ in range(CLAIM_ROUNDS):
                free = limit - len(claimed)
                heads = self._claim_heads(math.ceil(free / run_length))
                if not heads:
                    break
                runs = self._claim_runs(heads, free - len(heads))
                claimed += heads + runs
                run_length = max(1.0, (len(heads) + len(runs)) / len(heads))
                if len(claimed) >= limit:
                    break
            if not claimed:
                claimed = self._claim_from(self._deferred_candidates(), limit)
            return claimed

    def _claim_heads(self, limit: int) -> list[Any]:
        return self._claim_from(self._candidates(JobStatus.NEW, True), limit)

    def _claim_runs(self, head_pks: list[Any], limit: int) -> list[Any]:
        names = self.job_class.key_attnames()
        heads = list(self.jobs.filter(pk__in=head_pks).only("pk", *names))
        run = extend_runs(self.job_class, self.using, heads, limit)
        if run:
            self.jobs.filter(pk__in=run).update(
                status=JobStatus.PROCESSING,
                claimed_by=self.claimer,
                claimed_at=DatabaseNow(),
                modification_date=DatabaseNow(),
                key_head=True,
            )
        return run
