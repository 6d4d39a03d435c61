"""Upgrading a table the original parviraptor made is additive only.

``testproject.upgrade`` is a job app as written against the original; its
``0001_initial`` is what the original's ``makemigrations`` made of it (2.2.2
and 4.1.0, kept as fixtures). On a fresh database migrated to that state,
with rows written as the original wrote them, our ``makemigrations`` must
find only nullable new columns and new indexes (no changed column, no dropped
or renamed index), ``sqlmigrate`` must show only ``ADD COLUMN`` and
``CREATE INDEX``, and the upgraded queues must then run.

SQLite rebuilds a whole table for most ``ALTER``s (a column that is NOT NULL
or has a default, any changed column); for these nullable columns without a
default Django uses ``ALTER TABLE ... ADD COLUMN`` there too, so the same
assertions hold on every database.
"""

from __future__ import annotations

import ast
import json
import re
import shutil

import pytest

from conftest import REPO_ROOT

FIXTURES = REPO_ROOT / "testproject" / "upgrade" / "migrations"
APPS = ["django.contrib.contenttypes", "parviraptor", "parviraptor.worker"]
APPS += ["testproject.upgrade"]
MODULE = "upgrade_migrations"

ROWS_AS_THE_ORIGINAL_WROTE_THEM = """
from django.db import connection
from django.utils import timezone
now = timezone.now()
columns = "creation_date, modification_date, status, error_count, error_message, shop, result"
rows = [
    (now, now, "NEW", 0, None, 1, ""),
    (now, now, "NEW", 1, "remote down", 1, ""),
    (now, now, "PROCESSED", 0, None, 2, "done before"),
    (now, now, "NEW", 0, None, 2, ""),
]
with connection.cursor() as cursor:
    cursor.executemany(
        f"INSERT INTO upgrade_keyedsyncjob ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        rows,
    )
"""

STATUSES = """
import json
from testproject.upgrade.models import KeyedSyncJob
print(json.dumps(list(KeyedSyncJob.objects.order_by("pk").values_list("status", "error_count"))))
"""


@pytest.fixture
def project(run_project, scratch_database, tmp_path):
    """``project(fixture)``: runs manage.py on an upgrade app whose migrations
    start with the original's 0001 of ``fixture`` (a copy under tmp_path)."""

    def make(fixture: str):
        package = tmp_path / MODULE
        package.mkdir()
        (package / "__init__.py").touch()
        shutil.copy(FIXTURES / fixture / "0001_initial.py", package)
        db = scratch_database(f"up{fixture[-1]}")
        env = {"PARVIRAPTOR_TEST_MIGRATION_MODULES": f"upgrade={MODULE}"}

        def manage(*args: str, expect: int = 0) -> str:
            result = run_project(
                APPS, *args, db=db, env=env, pythonpath=(str(tmp_path),)
            )
            assert result.returncode == expect, (
                f"{args}: rc {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
            return result.stdout

        manage.package = package
        return manage

    return make


def _operations(migration_source: str) -> list[ast.Call]:
    """The calls in the ``operations`` list of a migration file's source."""
    for node in ast.walk(ast.parse(migration_source)):
        if isinstance(node, ast.Assign) and node.targets[0].id == "operations":
            return list(node.value.elts)
    raise AssertionError("no operations in:\n" + migration_source)


def _keyword(call: ast.Call, name: str):
    return next(kw.value for kw in call.keywords if kw.arg == name)


def _check_operations(source: str, expect_4x_index_kept: bool) -> None:
    operations = _operations(source)
    kinds = [op.func.attr for op in operations]
    assert set(kinds) == {"AddField", "AddIndex"}, kinds
    for op in operations:
        if op.func.attr == "AddField":
            field = _keyword(op, "field")
            null = _keyword(field, "null")
            assert isinstance(null, ast.Constant) and null.value is True
    added_indexes = [
        ast.literal_eval(_keyword(_keyword(op, "index"), "fields"))
        for op in operations
        if op.func.attr == "AddIndex"
    ]
    assert (
        ["modification_date", "status"] in added_indexes
    ) is not expect_4x_index_kept
    assert kinds.count("AddField") == 4 * 4  # 4 worker columns, 4 models


FORBIDDEN = re.compile(r"\b(MODIFY|CHANGE|DROP|CHECK|RENAME)\b|ALTER COLUMN")
ALLOWED = re.compile(r"^(ALTER TABLE \S+ ADD COLUMN |CREATE INDEX |BEGIN|COMMIT)")


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if line and not line.startswith("--")]
    return [s.strip() for s in " ".join(lines).split(";") if s.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("fixture", ["from2", "from4"])
def test_upgrade_of_the_originals_tables_is_additive(project, fixture):
    manage = project(fixture)
    dry_run = manage(
        "makemigrations", "upgrade", "--check", "--dry-run", "-v", "3", expect=1
    )
    source = dry_run.split("Full migrations file", 1)[1].split(":\n", 1)[1]
    _check_operations(source, expect_4x_index_kept=fixture == "from4")

    manage("makemigrations", "upgrade", "--name", "upgrade")
    manage("migrate", "--no-input", "upgrade", "0001")
    manage("shell", "-c", ROWS_AS_THE_ORIGINAL_WROTE_THEM)
    statements = _statements(manage("sqlmigrate", "upgrade", "0002"))
    assert statements, "sqlmigrate printed nothing"
    for statement in statements:
        assert ALLOWED.match(statement), statement
        assert not FORBIDDEN.search(statement), statement

    manage("migrate", "--no-input")
    manage("makemigrations", "--check", "--dry-run")
    manage("process_queue", "upgrade", "KeyedSyncJob", "--until-empty")
    rows = json.loads(manage("shell", "-c", STATUSES).strip().splitlines()[-1])
    assert [status for status, _ in rows] == ["PROCESSED"] * 4
    assert [count for _, count in rows] == [0, 1, 0, 0]


def test_the_fixtures_are_the_originals_output():
    """Generated by the original's makemigrations; 4.x's adds one index per
    model whose Meta derives from the base's (3 of the 4 models)."""
    for fixture, indexes in (("from2", 0), ("from4", 3)):
        text = (FIXTURES / fixture / "0001_initial.py").read_text()
        assert text.startswith("# Generated by Django 4.2")
        assert text.count("Index(fields=['modification_date', 'status']") == indexes
        assert "('status', models.CharField(choices=[('NEW', 'New')" in text
        assert "db_index=True, default='NEW', max_length=32" in text
        assert "('error_message', models.TextField(blank=True, null=True))" in text
