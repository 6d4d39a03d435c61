"""Print the operations of the app's latest migration as JSON.

For each: its class name, the model and field or index it names and, for a
field, whether the column is nullable; the scenario checks that the upgrade
migration only adds nullable columns and indexes.
"""

import json

from django.core.management.base import BaseCommand
from django.db.migrations.loader import MigrationLoader


def describe(operation) -> dict:
    field = getattr(operation, "field", None)
    index = getattr(operation, "index", None)
    return {
        "operation": type(operation).__name__,
        "model": getattr(operation, "model_name", None),
        "name": getattr(operation, "name", None) or getattr(index, "name", None),
        "null": None if field is None else bool(field.null),
        "field": None if field is None else field.deconstruct()[1:],
    }


class Command(BaseCommand):
    help = "Print the operations of the latest migration of an app as JSON."

    def add_arguments(self, parser):
        parser.add_argument("app_label")

    def handle(self, app_label, **options):
        loader = MigrationLoader(None, ignore_no_migrations=True)
        (leaf,) = loader.graph.leaf_nodes(app_label)
        migration = loader.get_migration(*leaf)
        ops = [describe(op) for op in migration.operations]
        self.stdout.write(
            json.dumps({"migration": leaf[1], "operations": ops}, default=str)
        )
