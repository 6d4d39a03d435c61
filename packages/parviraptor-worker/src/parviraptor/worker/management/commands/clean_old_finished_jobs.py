"""``manage.py clean_old_finished_jobs [DAYS]``: the older name of
clean_old_processed_jobs, with 2.x's age in days as an optional argument."""

from django.core.management.base import CommandParser

from parviraptor.worker.cli import day_count
from parviraptor.worker.management.commands.clean_old_processed_jobs import (
    Command as CleanOldProcessedJobs,
)


class Command(CleanOldProcessedJobs):
    help = (
        "Same as clean_old_processed_jobs (kept for its older name). DAYS, as "
        "in parviraptor 2.x: delete PROCESSED jobs older than that many days "
        "instead of their class's MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "max_age_in_days",
            nargs="?",
            type=day_count,
            help="age in days, for every queue of this run (classes whose age "
            "is None are kept)",
        )
        super().add_arguments(parser)
