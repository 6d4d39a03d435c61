"""Print what the original's two monitoring URLs answer, as JSON."""

import json

from django.core.management.base import BaseCommand
from django.test import Client

# By path: the URL names are checked by the differential suite (compat/).
PATHS = {
    "queue-monitoring": "/queue-monitoring/",
    "open-queue-entries": "/open-queue-entries/",
}


class Command(BaseCommand):
    help = "GET queue-monitoring and open-queue-entries; print status and body."

    def handle(self, **options):
        client = Client()
        answers = {}
        for name, path in PATHS.items():
            response = client.get(path)
            answers[name] = {
                "status": response.status_code,
                "body": response.content.decode(errors="replace"),
            }
        self.stdout.write(json.dumps(answers))
