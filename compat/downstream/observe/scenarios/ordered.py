"""Ordered queues: strict FIFO (``[]``) and FIFO per key, run to the end.

Observed: every row and, per key, the order in which jobs ended well.
Backoff is CONSTANT 0 minutes (retry at once).
"""

from __future__ import annotations

from jobs.models import DirectJob, FifoJob, KeyedJob

from observe import jobs, rows
from observe.driving import drain, retry_at_once, run_once

#: More than the original's recursion allows (one frame per waiting job).
LONG_KEY = 1200


def _drained(model, key_fields: tuple[str, ...]) -> dict:
    with retry_at_once(model):
        ended = drain(model)
    return {
        **ended,
        "rows": rows.snapshot(model),
        "completion_order": rows.completion_order(model, key_fields),
    }


def observe_fifo() -> dict:
    jobs.create(
        FifoJob,
        [
            ("f01", "ok", {"a": 1}),
            ("f02", "temp", {"fail_times": 1, "a": 2}),
            ("f03", "set_temp", {"fail_times": 1, "a": 3}),
            ("f04", "ignore"),
            ("f05", "save_self", {"a": 5}),
            ("f06", "ok", {"a": 6}),
            ("f07", "crash"),
            ("f08", "ok"),
            ("f09", "ok"),
        ],
    )
    return _drained(FifoJob, ())


def observe_fifo_deferred() -> dict:
    jobs.create(
        FifoJob,
        [("d1", "ok"), ("d2", "defer", {"fail_times": 1}), ("d3", "ok"), ("d4", "ok")],
    )
    return _drained(FifoJob, ())


KEYS = {
    ("s1", "p1"): [("ok",), ("temp", {"fail_times": 1}), ("ok",)],
    ("s1", "p2"): [("ok",), ("crash",), ("ok",)],
    ("s2", "p1"): [("ignore",), ("invalid",), ("ok",)],
    ("s2", "p2"): [("ok",), ("ok",), ("ok",)],
    ("s3", "p1"): [("ok",), ("defer", {"fail_times": 1}), ("ok",)],
}


def observe_keyed() -> dict:
    """Five keys; their jobs are created interleaved (round robin)."""
    for position in range(3):
        for (shop, product), specs in KEYS.items():
            kind, *fields = specs[position]
            KeyedJob.objects.create(
                tag=f"{shop}{product}-{position}",
                kind=kind,
                shop=shop,
                product=product,
                **(fields[0] if fields else {}),
            )
    return _drained(KeyedJob, ("shop", "product"))


def observe_direct() -> dict:
    """``dependent_fields`` set on a direct ``AbstractJob`` subclass."""
    for tag, kind, shop in (
        ("a1", "ok", "A"),
        ("a2", "crash", "A"),
        ("b1", "ok", "B"),
        ("a3", "ok", "A"),
    ):
        DirectJob.objects.create(tag=tag, kind=kind, shop=shop)
    return _drained(DirectJob, ("shop",))


def observe_long_key() -> dict:
    """A long key behind a job another worker holds (PROCESSING)."""
    FifoJob.objects.create(tag="held", status="PROCESSING")
    FifoJob.objects.bulk_create(FifoJob(tag=f"w{i:04}") for i in range(LONG_KEY))
    ended = run_once(FifoJob)
    return {"run": ended, "status_counts": rows.status_counts(FifoJob)}
