"""A project's own worker script, as the original's ``QueueWorker`` docstring
shows it: ``QueueWorker(Job).run()`` blocks until SIGTERM or SIGINT."""

import os
import sys

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    django.setup()
    from django.apps import apps

    from parviraptor.worker import QueueWorker

    QueueWorker(apps.get_model("jobs", sys.argv[1])).run()
    print("worker returned")
