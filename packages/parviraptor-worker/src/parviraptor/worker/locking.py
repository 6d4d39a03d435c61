"""The queue lock: serialises the per-key bookkeeping of one ordered queue."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from parviraptor.models import AbstractJob
from parviraptor.worker.models import QueueLock


def queue_label(job_class: type[AbstractJob]) -> str:
    return job_class._meta.label


def ensure_queue_lock(job_class: type[AbstractJob], using: str) -> None:
    """Create the queue's lock row ahead of time, outside any claim.

    Creating it lazily inside concurrent claims makes their inserts deadlock.
    """
    QueueLock.objects.using(using).get_or_create(queue=queue_label(job_class))


def lock_queue(job_class: type[AbstractJob], using: str) -> None:
    """Take the queue's row lock until the surrounding transaction ends.

    An ``UPDATE`` locks the row on every database (on SQLite it takes the
    write lock), unlike ``SELECT ... FOR UPDATE`` which SQLite ignores.
    """
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("lock_queue() must run inside transaction.atomic()")
    label = queue_label(job_class)
    locks = QueueLock.objects.using(using).filter(queue=label)
    if locks.update(acquisitions=F("acquisitions") + 1) == 0:
        QueueLock.objects.using(using).get_or_create(queue=label)
        locks.update(acquisitions=F("acquisitions") + 1)
