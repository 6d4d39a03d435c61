"""Write the rows an old installation holds, in two stages.

``history``: finished rows of every kind (PROCESSED, FAILED, IGNORED,
SQUASHED, DEFERRED with error counts and messages, as the 2.2.2 worker
leaves them), then one NEW job per queue whose ``payload`` is "block": the
old worker is killed while it processes that one. ``successors``: NEW jobs
after it (some with the error count and message of a temporary failure),
so that each blocked job has successors of its own key.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from upgradejobs.models import BLOCK, FifoJob, IndependentJob, KeyedJob

# (key, payload, status, error_count, error_message)
HISTORY = {
    IndependentJob: [
        ("i", "done-1", "PROCESSED", 0, None),
        ("i", "broken", "FAILED", 0, "invalid: no such product"),
        ("i", "dup", "IGNORED", 0, "ignored: duplicate"),
        ("i", "merged", "SQUASHED", 0, None),
        ("i", "later", "DEFERRED", 1, "deferred: shop closed"),
        ("i", BLOCK, "NEW", 0, None),
    ],
    FifoJob: [
        ("q", "done-1", "PROCESSED", 0, None),
        ("q", "done-2", "PROCESSED", 2, "temporary: timeout"),
        ("q", "dup", "IGNORED", 0, "ignored: duplicate"),
        ("q", "later", "DEFERRED", 3, "deferred: not yet"),
        ("q", "merged", "SQUASHED", 0, None),
        ("q", BLOCK, "NEW", 0, None),
    ],
    KeyedJob: [
        ("f", "done-1", "PROCESSED", 0, None),
        ("a", "done-1", "PROCESSED", 0, None),
        ("b", "done-1", "PROCESSED", 1, "temporary: timeout"),
        ("f", "broken", "FAILED", 4, "boom"),
        ("b", "later", "DEFERRED", 1, "deferred: stock unknown"),
        ("c", "merged-1", "SQUASHED", 0, None),
        ("f", "after-broken", "FAILED", 0, "dependent jobs failed"),
        ("a", "dup", "IGNORED", 0, "ignored: duplicate"),
        ("b", "done-2", "PROCESSED", 0, None),
        ("c", "merged-2", "SQUASHED", 0, None),
        ("a", BLOCK, "NEW", 0, None),
    ],
}

SUCCESSORS = {
    IndependentJob: [
        ("i", "new-1", 0, None),
        ("i", "new-2", 2, "temporary: timeout"),
        ("i", "new-3", 0, None),
    ],
    FifoJob: [
        ("q", "new-1", 1, "temporary: timeout"),
        ("q", "new-2", 0, None),
        ("q", "new-3", 0, None),
    ],
    KeyedJob: [
        ("a", "new-1", 0, None),
        ("b", "new-1", 0, None),
        ("d", "new-1", 0, None),
        ("a", "new-2", 2, "temporary: timeout"),
        ("c", "new-1", 0, None),
        ("d", "new-2", 1, "temporary: timeout"),
        ("b", "new-2", 0, None),
        ("a", "new-3", 0, None),
        ("d", "new-3", 0, None),
    ],
}


class Command(BaseCommand):
    help = "Write the old installation's rows (stage: history or successors)."

    def add_arguments(self, parser):
        parser.add_argument("stage", choices=["history", "successors"])

    @transaction.atomic
    def handle(self, stage, **options):
        if stage == "history":
            for model, rows in HISTORY.items():
                for key, payload, status, count, message in rows:
                    self._create(model, key, payload, status, count, message)
        else:
            for model, rows in SUCCESSORS.items():
                for key, payload, count, message in rows:
                    self._create(model, key, payload, "NEW", count, message)

    @staticmethod
    def _create(model, key, payload, status, count, message):
        model.objects.create(
            key=key,
            payload=payload,
            status=status,
            error_count=count,
            error_message=message,
        )
