"""Taking the worker's queue lock, when parviraptor-worker is installed.

Workers decide which job heads its key while holding a per-queue row lock
(``parviraptor_worker.QueueLock``). Re-opening failed jobs of an ordered
queue takes the same lock, so that a worker sequencing new jobs at that
moment sees either all of the re-opened jobs or none. The model is looked up
through the app registry: parviraptor-web does not depend on the worker.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import F

from parviraptor.models import AbstractJob

__all__ = ["lock_queue_if_possible"]


def lock_queue_if_possible(job_class: type[AbstractJob], using: str) -> bool:
    """Lock the queue's row until the transaction ends; False without the worker."""
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("lock_queue_if_possible() needs transaction.atomic()")
    try:
        queue_lock = apps.get_model("parviraptor_worker", "QueueLock")
    except LookupError:
        return False
    locks = queue_lock._default_manager.db_manager(using)
    label = job_class._meta.label
    if not locks.filter(queue=label).update(acquisitions=F("acquisitions") + 1):
        locks.get_or_create(queue=label)
        locks.filter(queue=label).update(acquisitions=F("acquisitions") + 1)
    return True
