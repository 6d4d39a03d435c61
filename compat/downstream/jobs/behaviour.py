"""What a downstream job does, chosen per row by its ``kind``.

Each kind exercises one path of the original's documented API: setting
fields in ``process()``, ``raise_temporary_failure``, ``TemporaryJobFailure``
with an explicit count, ``DeferJob``, ``IgnoreJob``, ``InvalidJobError``, any
other exception, and ``self.save()`` from inside ``process()``.
"""

from __future__ import annotations

import time

from parviraptor.exceptions import (
    DeferJob,
    IgnoreJob,
    InvalidJobError,
    TemporaryJobFailure,
)

HANG_SECONDS = 120


def perform(job) -> None:
    """Run the behaviour of ``job.kind``; an unknown kind is a bug here."""
    KINDS[job.kind](job)


def _ok(job) -> None:
    job.result = job.a + job.b
    job.note = "done"


def _retrying(fail):
    """Fail by ``fail(job)`` while fewer than ``fail_times`` errors, then succeed."""

    def behave(job) -> None:
        if job.error_count < job.fail_times:
            fail(job)
        _ok(job)

    return behave


def _temporary(job) -> None:
    job.raise_temporary_failure("temporary: try again")


def _temporary_with_count(job) -> None:
    raise TemporaryJobFailure("temporary with a count", job.b)


def _set_then_temporary(job) -> None:
    job.result = -1
    job.note = f"attempt {job.error_count}"
    job.raise_temporary_failure("temporary after setting fields")


def _defer(job) -> None:
    raise DeferJob("not yet")


def _ignore(job) -> None:
    job.note = "ignored"
    raise IgnoreJob("nothing to do")


def _invalid(job) -> None:
    job.note = "invalid"
    raise InvalidJobError("bad data")


def _crash(job) -> None:
    job.result = 99
    raise ValueError("boom")


def _save_self(job) -> None:
    job.note = "saved by itself"
    job.save()
    job.result = job.a + job.b


def _hang(job) -> None:
    """Hang on the first attempt (the scenario kills the worker), then succeed."""
    if job.error_count == 0:
        deadline = time.monotonic() + HANG_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
    _ok(job)


KINDS = {
    "ok": _ok,
    "temp": _retrying(_temporary),
    "temp_n": _retrying(_temporary_with_count),
    "set_temp": _retrying(_set_then_temporary),
    "always_temp": _temporary,
    "defer": _retrying(_defer),
    "ignore": _ignore,
    "invalid": _invalid,
    "crash": _crash,
    "save_self": _save_self,
    "hang": _hang,
}
