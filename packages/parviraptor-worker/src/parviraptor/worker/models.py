"""The worker's own tables: heartbeats of running workers, per-queue locks.

They belong to the app ``parviraptor_worker`` (``"parviraptor.worker"`` in
``INSTALLED_APPS``) and say so: without that app Django would file them
under the containing app ``parviraptor`` and nobody would create their
tables. So importing this module without the app installed (e.g.
``QueueWorker`` used by a project that lists only ``"parviraptor"``, as it
did for the original) fails at once, naming the app.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

APP = "parviraptor.worker"
APP_LABEL = "parviraptor_worker"

if not apps.is_installed(APP):
    raise ImproperlyConfigured(
        f'the parviraptor worker needs "{APP}" in INSTALLED_APPS '
        "(then run migrate): its heartbeat and queue lock tables belong to it"
    )


class WorkerHeartbeat(models.Model):
    """One row per worker slot (a thread of a ``process_queue`` process).

    ``last_seen`` is written with the database's clock every
    ``PARVIRAPTOR_HEARTBEAT_INTERVAL`` seconds; a row older than
    ``PARVIRAPTOR_HEARTBEAT_TIMEOUT`` marks a lost worker whose jobs any
    other worker recovers.
    """

    worker_id = models.CharField(max_length=100, primary_key=True)
    queue = models.CharField(max_length=200)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        app_label = APP_LABEL

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.queue})"


class QueueLock(models.Model):
    """A row per ordered queue, updated to serialise its per-key bookkeeping.

    Claims and completions of FIFO queues take this row lock for the length
    of a short transaction, so that deciding which job heads its key never
    races with another worker deciding the same.
    """

    queue = models.CharField(max_length=200, primary_key=True)
    acquisitions = models.BigIntegerField(default=0)

    class Meta:
        app_label = APP_LABEL

    def __str__(self) -> str:
        return self.queue
