"""Running one job's ``process()`` and turning how it ended into an Outcome."""

from __future__ import annotations

import logging

from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.outcomes import Outcome, outcome_for

logger = logging.getLogger("parviraptor.worker")


def run_job(job: AbstractJob, threshold: int) -> Outcome:
    """Call ``job.process()``; never raises for the job's own exceptions.

    ``SystemExit`` and ``KeyboardInterrupt`` pass through: a job that exits
    the interpreter leaves its claim behind, recovered like a killed worker.
    """
    try:
        job.process()
    except Exception as exc:
        outcome = outcome_for(job, exc, threshold)
        if outcome.status == JobStatus.FAILED:
            logger.exception("%s failed: %s", job, outcome.error_message)
        else:
            logger.info("%s: %s (%s)", job, outcome.status, outcome.error_message)
        return outcome
    return outcome_for(job, None, threshold)
