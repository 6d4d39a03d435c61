"""``manage.py clean_old_finished_jobs``: the older name of clean_old_processed_jobs."""

from parviraptor.worker.management.commands.clean_old_processed_jobs import (
    Command as CleanOldProcessedJobs,
)


class Command(CleanOldProcessedJobs):
    help = "Same as clean_old_processed_jobs (kept for its older name)."
