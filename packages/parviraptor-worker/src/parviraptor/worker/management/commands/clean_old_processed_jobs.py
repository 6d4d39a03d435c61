"""``manage.py clean_old_processed_jobs``: delete old PROCESSED jobs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from parviraptor.utils import enumerate_job_models
from parviraptor.worker.cleanup import clean_old_processed_jobs
from parviraptor.worker.cli import JobCommand, job_model_from_label, positive_int


class Command(JobCommand):
    help = (
        "Delete PROCESSED jobs older than their class's "
        "MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS, in chunks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all-queues", action="store_true", help="every job queue")
        which.add_argument("--queue", help="one queue as app_label.ModelName")
        parser.add_argument(
            "--dry-run", action="store_true", help="count, delete nothing"
        )
        parser.add_argument(
            "--chunk-size",
            type=positive_int,
            default=1000,
            help="rows deleted per transaction",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"] is not None:  # --queue "": a bad label, not --all-queues
            job_classes = [job_model_from_label(options["queue"])]
        else:
            job_classes = enumerate_job_models()
        for job_class in job_classes:
            result = clean_old_processed_jobs(
                job_class,
                options["dry_run"],
                options["chunk_size"],
                options.get("max_age_in_days"),
            )
            self.stdout.write(result.describe(options["dry_run"]))
