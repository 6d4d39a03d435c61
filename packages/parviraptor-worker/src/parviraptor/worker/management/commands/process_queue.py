"""``manage.py process_queue <app_label> <Model>``: run a worker for one queue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from parviraptor.worker.cli import (
    JobCommand,
    job_model,
    one_line,
    positive_float,
    positive_int,
    slot_count,
)
from parviraptor.worker.pool import run_worker_pool_for_command
from parviraptor.worker.schema import SchemaNotMigrated


class Command(JobCommand):
    help = (
        "Process the jobs of one queue. SIGTERM/SIGINT finish the running "
        "jobs and exit 0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("app_label", help="app of the job model")
        parser.add_argument("model_name", help="name of the job model")
        parser.add_argument(
            "--concurrency",
            type=slot_count,
            default=1,
            help="jobs processed in parallel by this process (threads)",
        )
        parser.add_argument(
            "--until-empty",
            action="store_true",
            help="exit 0 once no job is eligible",
        )
        parser.add_argument(
            "--poll-interval",
            type=positive_float,
            default=None,
            help="seconds to wait when idle (PARVIRAPTOR_POLL_INTERVAL, 1.0)",
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=100,
            help="most jobs claimed per transaction by one slot (fewer when jobs are slow)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        job_class = job_model(options["app_label"], options["model_name"])
        try:
            result = run_worker_pool_for_command(
                job_class,
                concurrency=options["concurrency"],
                stop_when_empty=options["until_empty"],
                poll_interval=options["poll_interval"],
                batch_size=options["batch_size"],
            )
        except SchemaNotMigrated as exc:  # no outage: retrying would never end
            raise CommandError(one_line(str(exc))) from None
        if result.crashed:
            raise CommandError("a worker slot crashed; see the log above")
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{job_class._meta.label}: {result.processed} jobs processed"
            )
