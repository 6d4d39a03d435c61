"""Per-key FIFO bookkeeping: which job is its key's head.

Every open job of an ordered queue is in one of three ``key_head`` states:
``None`` (inserted, not yet looked at), ``True`` (the one job of its key that
may run) or ``False`` (waiting behind its key's head). Finding work is then
one index range scan over heads, whatever the backlog behind them.

A job that raises ``DeferJob`` steps out of its key's order: it becomes
DEFERRED with ``key_head`` None and hands its key on at once, so the later
jobs of its key go on. It is retried, out of order, once no NEW job of the
queue is eligible. If it finally fails, it fails alone: it is written FAILED
with ``key_head`` False, which no later job of its key waits for (a FAILED
job with ``key_head`` None, one that failed in order, fails the jobs after
it with "dependent jobs failed").

All functions here run inside a transaction holding the queue lock.
"""

from __future__ import annotations

from typing import Any

from parviraptor.dbtime import DatabaseNow
from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.keys import (
    first_failed,
    first_waiting,
    key_of,
    keys_with_open_head,
)
from parviraptor.worker.ranges import by_id_from_first

DEPENDENT_JOBS_FAILED = "dependent jobs failed"


def _jobs(job_class: type[AbstractJob], using: str) -> Any:
    return job_class._default_manager.db_manager(using)


def sequence_new_jobs(job_class: type[AbstractJob], using: str, limit: int) -> int:
    """Decide the ``key_head`` state of up to ``limit`` unsequenced jobs.

    In id order: a job whose key has an earlier FAILED job fails; one whose
    key already has a head waits; otherwise it becomes its key's head.
    Two queries per hundred keys, whatever the number of jobs.
    Returns how many jobs were sequenced.
    """
    names = job_class.key_attnames()
    jobs = _jobs(job_class, using)
    unsequenced = jobs.filter(status=JobStatus.NEW, key_head__isnull=True)
    batch = list(by_id_from_first(unsequenced).values_list("pk", *names)[:limit])
    keys = {tuple(row[1:]) for row in batch}
    headed = keys_with_open_head(jobs, names, keys)
    failed_from = first_failed(jobs, names, keys)
    heads, waiting, failed = [], [], []
    for pk, *values in batch:
        key = tuple(values)
        if key in failed_from and failed_from[key] < pk:
            failed.append(pk)
        elif key in headed:
            waiting.append(pk)
        else:
            heads.append(pk)
            headed.add(key)
    jobs.filter(pk__in=heads).update(key_head=True)
    jobs.filter(pk__in=waiting).update(key_head=False)
    _fail_dependents(jobs.filter(pk__in=failed))
    return len(batch)


def _fail_dependents(queryset: Any) -> int:
    now = DatabaseNow()
    return queryset.update(
        status=JobStatus.FAILED,
        error_message=DEPENDENT_JOBS_FAILED,
        key_head=None,
        modification_date=now,
    )


def extend_runs(
    job_class: type[AbstractJob], using: str, heads: list[AbstractJob], limit: int
) -> list[Any]:
    """Waiting jobs that directly follow ``heads``, to claim with them.

    A worker that holds a key's head may as well take the jobs queued behind
    it: it runs them one after the other, so their order holds. ``limit``
    jobs at most, shared evenly among the heads' keys.
    """
    if not heads or limit <= 0:
        return []
    per_key = max(1, limit // len(heads))
    jobs = _jobs(job_class, using)
    extra: list[Any] = []
    for head in heads:
        if len(extra) >= limit:
            break
        waiting = jobs.filter(**head.key_filter(), key_head=False, status=JobStatus.NEW)
        run = by_id_from_first(waiting).values_list("pk", "not_before")
        rows = run[: min(per_key, limit - len(extra))]
        for pk, not_before in rows:
            if not_before is not None:
                break  # waits for a backoff of its own: the run ends here
            extra.append(pk)
    return extra


def hand_on_keys(
    job_class: type[AbstractJob], using: str, finished: list[AbstractJob]
) -> None:
    """After heads finished: pass each key on, or fail what waits behind it.

    ``finished`` holds the last job of each key that gave up its place, with
    its new status. FAILED fails every job waiting behind it; otherwise
    (PROCESSED, IGNORED, DEFERRED ...), unless the rest of a run claimed with
    it is still open, the key's earliest waiting job becomes its head.
    """
    names = job_class.key_attnames()
    jobs = _jobs(job_class, using)
    passed_on = set()
    for job in finished:
        key = key_of(job, names)
        if job.status == JobStatus.FAILED:
            waiting = jobs.filter(
                **job.key_filter(), key_head=False, status=JobStatus.NEW
            )
            _fail_dependents(waiting)
        else:
            passed_on.add(key)
    passed_on -= keys_with_open_head(jobs, names, passed_on)
    successors = first_waiting(jobs, names, passed_on)
    if successors:
        jobs.filter(pk__in=successors).update(key_head=True)
