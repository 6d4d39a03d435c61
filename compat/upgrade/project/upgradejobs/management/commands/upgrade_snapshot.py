"""Print every job row and every ProcessingLog row as JSON."""

import json

from django.core.management.base import BaseCommand

from upgradejobs.models import JOB_MODELS, ProcessingLog

JOB_FIELDS = (
    "id",
    "key",
    "payload",
    "result",
    "status",
    "error_count",
    "error_message",
    "creation_date",
    "modification_date",
)


class Command(BaseCommand):
    help = "Print the job rows and the processing log as JSON."

    def handle(self, **options):
        jobs = {
            model.__name__: list(model.objects.order_by("id").values(*JOB_FIELDS))
            for model in JOB_MODELS
        }
        log = list(ProcessingLog.objects.order_by("id").values())
        self.stdout.write(json.dumps({"jobs": jobs, "log": log}, default=str))
