"""Running one job's ``process()`` and turning how it ended into an Outcome."""

from __future__ import annotations

import logging
import traceback

from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.changes import restore
from parviraptor.worker.outcomes import TRUNCATED, Outcome, outcome_for

logger = logging.getLogger("parviraptor.worker")


def run_job(job: AbstractJob, threshold: int) -> Outcome:
    """Call ``job.process()``; never raises for the job's own exceptions.

    Whatever ``process()`` did to ``status`` and the bookkeeping columns is
    undone before the outcome is decided: the worker decides them (see
    ``changes``). ``SystemExit`` and ``KeyboardInterrupt`` pass through: a
    job that exits the interpreter leaves its claim behind, recovered like a
    killed worker.
    """
    try:
        job.process()
    except Exception as exc:
        restore(job)
        outcome = outcome_for(job, exc, threshold)
        _log(job, outcome, exc)
        return outcome
    restore(job)
    return outcome_for(job, None, threshold)


def _log(job: AbstractJob, outcome: Outcome, exc: Exception) -> None:
    """A failure with its traceback; a huge message (cut for the database)
    is cut in the log too, its traceback given without the message."""
    message = outcome.error_message
    if outcome.status != JobStatus.FAILED:
        logger.info("%s: %s (%s)", job, outcome.status, message)
    elif message is not None and message.endswith(TRUNCATED):
        frames = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("%s failed: %s\n%s%s", job, message, frames, type(exc).__name__)
    else:
        logger.exception("%s failed: %s", job, message)
