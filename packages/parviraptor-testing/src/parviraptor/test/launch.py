"""Run a management command against the databases of a running test.

    python -m parviraptor.test.launch process_queue shop MailJob --concurrency 2

Like ``manage.py <command> ...`` with ``DJANGO_SETTINGS_MODULE`` from the
environment, except that each database's ``NAME`` is first replaced by the
one in ``PARVIRAPTOR_TEST_DATABASES`` (JSON ``{"alias": "name"}``): the test
database that the test process created, whatever the settings call it.
"""

from __future__ import annotations

import json
import os
import sys

__all__ = ["DATABASES_ENV", "main"]

DATABASES_ENV = "PARVIRAPTOR_TEST_DATABASES"


def use_test_databases(names: dict[str, str]) -> None:
    """Point each database alias at its test database (before any connection)."""
    from django.conf import settings

    for alias, name in names.items():
        settings.DATABASES[alias]["NAME"] = name


def main(argv: list[str]) -> None:
    use_test_databases(json.loads(os.environ.get(DATABASES_ENV) or "{}"))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
