"""What becomes of a job, for every way ``process()`` can end.

Backoff is CONSTANT 0 minutes here (retry at once), so that every
implementation reaches the same final state; the workers are driven round
after round until nothing changes (see ``observe.driving``).
"""

from __future__ import annotations

from jobs.models import Gate, GatedJob, IndependentJob

from observe import jobs, rows
from observe.driving import drain, retry_at_once

EVERY_KIND = [
    ("ok", "ok", {"a": 1, "b": 2}),
    ("temp", "temp", {"fail_times": 2, "a": 2, "b": 2}),
    ("temp_n", "temp_n", {"fail_times": 1, "b": 4}),
    ("set_temp", "set_temp", {"fail_times": 1, "a": 5}),
    ("defer", "defer", {"fail_times": 1, "a": 6}),
    ("ignore", "ignore"),
    ("invalid", "invalid"),
    ("crash", "crash"),
    ("save_self", "save_self", {"a": 7}),
    ("always_temp", "always_temp"),
    ("ok_last", "ok", {"a": 9}),
]


def observe() -> dict:
    """An independent queue with a job of every kind, drained to the end."""
    jobs.create(IndependentJob, EVERY_KIND)
    with retry_at_once(IndependentJob):
        ended = drain(IndependentJob)
    return {**ended, "rows": rows.snapshot(IndependentJob)}


def observe_gated() -> dict:
    """``is_processable()`` False: nothing runs; once True, everything does."""
    gate = Gate.objects.create(closed=True)
    jobs.create(GatedJob, [("g1", "ok"), ("g2", "ok"), ("g3", "ok")])
    closed = drain(GatedJob)
    while_closed = rows.snapshot(GatedJob)
    gate.closed = False
    gate.save()
    opened = drain(GatedJob)
    return {
        "closed": {**closed, "rows": while_closed},
        "opened": {**opened, "rows": rows.snapshot(GatedJob)},
    }
