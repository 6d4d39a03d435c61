"""Create or drop the scenario's database (connected to the server, not to it)."""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Drop, then create (create) or only drop (drop) the database."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "drop"])

    def handle(self, action, **options):
        name = connection.settings_dict["NAME"]
        postgres = connection.vendor == "postgresql"
        # Connect to the server's own database, not to the one to drop.
        connection.settings_dict["NAME"] = "postgres" if postgres else ""
        quoted = connection.ops.quote_name(name)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            if action == "create":
                cursor.execute(f"CREATE DATABASE {quoted}")
        connection.close()
