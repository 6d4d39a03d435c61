"""Create the scenario database afresh, with the driver, before Django starts."""

from __future__ import annotations

import os


def recreate(db: str, name: str) -> None:
    """Drop ``name`` if it exists and create it empty."""
    if db == "mariadb":
        _recreate_mariadb(name)
    elif db == "postgres":
        _recreate_postgres(name)
    else:
        raise ValueError(f"unknown database kind {db!r}")


def drop(db: str, name: str) -> None:
    """Drop ``name``; on PostgreSQL also while threads of a helper still hold
    connections (the original's test helpers leave theirs open)."""
    statement = f"DROP DATABASE IF EXISTS {_quoted(db, name)}"
    _execute(db, [statement + (" WITH (FORCE)" if db == "postgres" else "")])


def _recreate_mariadb(name: str) -> None:
    quoted = _quoted("mariadb", name)
    _execute(
        "mariadb",
        [
            f"DROP DATABASE IF EXISTS {quoted}",
            f"CREATE DATABASE {quoted} CHARACTER SET utf8mb4",
        ],
    )


def _recreate_postgres(name: str) -> None:
    quoted = _quoted("postgres", name)
    _execute(
        "postgres",
        [f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", f"CREATE DATABASE {quoted}"],
    )


def _quoted(db: str, name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"database name {name!r}: letters, digits and _ only")
    return f"`{name}`" if db == "mariadb" else f'"{name}"'


def _execute(db: str, statements: list[str]) -> None:
    if db == "mariadb":
        import MySQLdb

        connection = MySQLdb.connect(
            host=os.environ.get("MYSQL8_HOST", "127.0.0.1"),
            port=int(os.environ.get("MYSQL8_PORT", "3306")),
            user=os.environ.get("MYSQL8_USER", "root"),
            password=os.environ.get("MYSQL8_PASSWORD", ""),
        )
    else:
        import psycopg

        connection = psycopg.connect(
            host=os.environ.get("PG_HOST", "127.0.0.1"),
            port=int(os.environ.get("PG_PORT", "5432")),
            user=os.environ.get("PG_USER", "postgres"),
            password=os.environ.get("PG_PASSWORD", ""),
            dbname="postgres",
            autocommit=True,
        )
    try:
        cursor = connection.cursor()
        for statement in statements:
            cursor.execute(statement)
    finally:
        connection.close()
