"""Driving the workers so that every implementation terminates.

The original's ``InfinityLoopFreeQueueWorker`` returns at its first sleep:
an empty queue, a job that is not processable, and every temporary failure
(its worker sleeps the whole backoff). ``drain`` therefore runs it round
after round until a round changes nothing, as a downstream test would call
it again; ours returns once nothing is eligible. Nothing here waits on time.
"""

from __future__ import annotations

from contextlib import contextmanager

from observe import rows

MAX_ROUNDS = 80


def run_once(model, *args, worker=None, **kwargs) -> str:
    """One ``InfinityLoopFreeQueueWorker(model, ...).run()``: how it ended.

    ``worker``: a subclass of it to run instead.
    """
    from parviraptor.test.worker import InfinityLoopFreeQueueWorker

    try:
        (worker or InfinityLoopFreeQueueWorker)(model, *args, **kwargs).run()
    except Exception as exc:  # an implementation's crash is an observation
        return f"raised {type(exc).__name__}"
    return "returned"


def drain(model, *args, **kwargs) -> dict:  # kwargs: also ``worker``
    """Run rounds until one changes nothing; how the last round ended."""
    before = rows.state(model)
    for _ in range(MAX_ROUNDS):
        ended = run_once(model, *args, **kwargs)
        after = rows.state(model)
        if ended != "returned" or after == before:
            return {"last_round": ended}
        before = after
    return {"last_round": "still changing after the last round"}


@contextmanager
def class_settings(model, **settings):
    """Set class attributes of a job model for a scenario, as a test patches them."""
    saved = {name: model.__dict__.get(name, _MISSING) for name in settings}
    for name, value in settings.items():
        setattr(model, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is _MISSING:
                delattr(model, name)
            else:
                setattr(model, name, value)


_MISSING = object()


@contextmanager
def retry_at_once(*models):
    """CONSTANT backoff of 0 minutes: a failed job may run again at once."""
    from parviraptor.models.abstract import BackoffStrategy

    with _nested(
        [
            class_settings(
                m, BACKOFF_STRATEGY=BackoffStrategy.CONSTANT, BACKOFF_STEP_MINUTES=0
            )
            for m in models
        ]
    ):
        yield


@contextmanager
def _nested(managers):
    if not managers:
        yield
        return
    with managers[0], _nested(managers[1:]):
        yield
