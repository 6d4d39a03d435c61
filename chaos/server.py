"""The databases of a chaos run.

``PrivateMariaDB``: a MariaDB server of the run's own (data directory, port
and socket in a temporary directory), started, restarted and stopped by the
run. ``PostgresDatabase``: a fresh database ``chaos_<pid>`` on the running
PostgreSQL server, dropped at the end; its "restart" terminates the worker
connections instead (the system server is never restarted).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

MARIADBD = "/usr/sbin/mariadbd"
INSTALL_DB = "/usr/bin/mariadb-install-db"


def mariadb_available() -> bool:
    """Whether a private MariaDB server can be started here."""
    return os.access(MARIADBD, os.X_OK) and os.access(INSTALL_DB, os.X_OK)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateMariaDB:
    """A throw-away MariaDB server on 127.0.0.1:<free port>."""

    vendor = "mysql"

    def __init__(self, base: Path | None = None) -> None:
        self.dir = Path(base or tempfile.mkdtemp(prefix="parviraptor-chaos-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.name = "chaos"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.dir / "mariadbd.log"

    def env(self) -> dict[str, str]:
        """Environment that points the test project at this server."""
        return {
            "PARVIRAPTOR_TEST_DB": "mysql8",
            "MYSQL8_HOST": "127.0.0.1",
            "MYSQL8_PORT": str(self.port),
            "MYSQL8_USER": "root",
            "MYSQL8_PASSWORD": "",
            "PARVIRAPTOR_DB_NAME": self.name,
        }

    def start(self) -> None:
        if not self.data.exists():
            self._install()
        command = [
            MARIADBD,
            "--no-defaults",
            f"--datadir={self.data}",
            f"--port={self.port}",
            "--bind-address=127.0.0.1",
            f"--socket={self.dir / 'mysqld.sock'}",
            f"--pid-file={self.dir / 'mysqld.pid'}",
            f"--log-error={self.log}",
            "--skip-log-bin",
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-buffer-pool-size=256M",
            "--innodb-log-file-size=256M",
            "--max-connections=1000",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
        ]
        if os.geteuid() == 0:
            command.append("--user=root")
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        self._wait_ready()

    def _install(self) -> None:
        command = [
            INSTALL_DB,
            "--no-defaults",
            f"--datadir={self.data}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ]
        if os.geteuid() == 0:
            command.append("--user=root")
        with open(self.dir / "install.log", "wb") as out:
            subprocess.run(command, check=True, stdout=out, stderr=out)

    def connect(self, database: str | None = None) -> Any:
        import MySQLdb

        kwargs: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "user": "root",
            "connect_timeout": 2,
        }
        if database:
            kwargs["database"] = database
        return MySQLdb.connect(**kwargs)

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"mariadbd exited; see {self.log}")
            try:
                self.connect().close()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def create_database(self) -> None:
        conn = self.connect()
        try:
            conn.cursor().execute(
                f"CREATE DATABASE `{self.name}` CHARACTER SET utf8mb4"
            )
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self, pause: float = 0.0) -> float:
        """Stop the server, wait ``pause`` seconds, start it; seconds it was down."""
        started = time.monotonic()
        self.stop()
        time.sleep(pause)
        self.start()
        return time.monotonic() - started

    def drop_connections(self, client_ports: set[int]) -> int:
        """``KILL CONNECTION`` for the sessions coming from ``client_ports``."""
        conn = self.connect()
        killed = 0
        try:
            cursor = conn.cursor()
            cursor.execute("SELECT ID, HOST FROM information_schema.PROCESSLIST")
            for session, host in cursor.fetchall():
                port = host.rpartition(":")[2]
                if port.isdigit() and int(port) in client_ports:
                    try:
                        cursor.execute(f"KILL CONNECTION {int(session)}")
                        killed += 1
                    except Exception:  # the session ended meanwhile
                        pass
        finally:
            conn.close()
        return killed

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class PostgresDatabase:
    """A database of its own on the PostgreSQL server at PG_HOST:PG_PORT."""

    vendor = "postgresql"

    def __init__(self) -> None:
        self.host = os.environ.get("PG_HOST", "127.0.0.1")
        self.port = int(os.environ.get("PG_PORT", "") or 5432)
        self.user = os.environ.get("PG_USER", "postgres")
        self.password = os.environ.get("PG_PASSWORD", "")
        self.name = f"chaos_{os.getpid()}"

    def env(self) -> dict[str, str]:
        return {
            "PARVIRAPTOR_TEST_DB": "postgres",
            "PG_HOST": self.host,
            "PG_PORT": str(self.port),
            "PG_USER": self.user,
            "PG_PASSWORD": self.password,
            "PARVIRAPTOR_DB_NAME": self.name,
        }

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        )

    def start(self) -> None:
        """Nothing to start: the server is the system's."""

    def create_database(self) -> None:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop_connections(self, client_ports: set[int]) -> int:
        """``pg_terminate_backend`` for the sessions from ``client_ports``."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT pid, client_port FROM pg_stat_activity WHERE datname = %s",
                (self.name,),
            ).fetchall()
            killed = 0
            for backend, port in rows:
                if port in client_ports:
                    conn.execute("SELECT pg_terminate_backend(%s)", (backend,))
                    killed += 1
        return killed

    def cleanup(self) -> None:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


Database = PrivateMariaDB | PostgresDatabase
