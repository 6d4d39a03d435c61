"""The demo (``just demo``, ``just demo-web``), run small and fast on SQLite.

``python -m demo --no-venv`` runs in this environment: it needs the four
packages (the wheels in a tox cell, editable installs in a dev venv), Django
>= 5.1 (concurrent SQLite writers) and ``rich``. Each run gets a state
directory (SQLite file, worker logs) of its own.

``PARVIRAPTOR_DEMO_VENV_TEST=1`` also runs the demo the way ``just demo``
does, creating its virtualenv from PyPI (slow, needs the network).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "rich", reason="the demo needs rich (add rich to the test environment's deps)"
)
pytest.importorskip("parviraptor.worker", reason="the demo needs parviraptor-worker")
django = pytest.importorskip("django")
if django.VERSION < (5, 1):
    pytest.skip(
        "the demo's concurrent SQLite workers need Django >= 5.1",
        allow_module_level=True,
    )

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parent.parent
JOBS = 500


def demo_env(state_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DEMO_STATE_DIR=str(state_dir), PYTHONUNBUFFERED="1", **extra)
    env.pop("DEMO_DB", None)
    return env


def run_demo(
    state_dir: Path, *args: str, venv: bool = False, **env: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """Run ``python -m demo`` to the end; its result and the JSON summary."""
    summary = state_dir / "summary.json"
    argv = [sys.executable, "-m", "demo", "--no-progress", "--json", str(summary)]
    if not venv:
        argv.append("--no-venv")
    result = subprocess.run(
        [*argv, *args],
        cwd=REPO_ROOT,
        env=demo_env(state_dir, **env),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return result, json.loads(summary.read_text())


@pytest.fixture(scope="module")
def demo_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, str, dict[str, Any]]:
    state_dir = tmp_path_factory.mktemp("demo")
    result, summary = run_demo(state_dir, "--jobs", str(JOBS))
    return state_dir, result.stdout, summary


def test_demo_processes_every_job_and_reports_the_planned_failures(
    demo_run: tuple[Path, str, dict[str, Any]],
) -> None:
    _, stdout, summary = demo_run
    queues = summary["queues"]
    assert summary["jobs"] == JOBS
    assert summary["problems"] == []  # statuses as planned, per-key and strict order
    # 500 jobs: 275 e-mails (1 invalid address), 175 price updates of 35
    # products (3 of them with a bad price in update 3 of 5), 50 bookings (1
    # overdraft).
    assert queues["MailJob"]["counts"] == {"PROCESSED": 274, "FAILED": 1}
    assert queues["ProductSyncJob"]["counts"] == {"PROCESSED": 166, "FAILED": 9}
    assert queues["LedgerJob"]["counts"] == {"PROCESSED": 49, "IGNORED": 1}
    # Greylisted mail and the flaky supplier: retried, then processed.
    assert queues["MailJob"]["retried"] >= 7
    assert queues["ProductSyncJob"]["retried"] >= 3
    # As /queue-monitoring/ says it: the queues in the app registry's order.
    assert summary["health"].splitlines() == [
        "There are 9 failed, 0 long processing and 0 long unprocessed ProductSyncJobs.",
        "There are 1 failed, 0 long processing and 0 long unprocessed MailJobs.",
    ]
    for text in ("parviraptor demo: summary", "jobs/s", "Health", "just demo-web"):
        assert text in stdout


def test_demo_without_failures_is_alles_ok(tmp_path: Path) -> None:
    result, summary = run_demo(tmp_path, "--jobs", "300", "--no-failures")
    assert summary["health"] == "Alles OK"
    assert summary["problems"] == []
    assert all("FAILED" not in q["counts"] for q in summary["queues"].values())
    assert "Alles OK" in result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, server: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"demo web exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"demo web did not listen on port {port} within {timeout:.0f} s")


def test_demo_web_serves_the_dashboard_to_the_demo_user(
    demo_run: tuple[Path, str, dict[str, Any]],
) -> None:
    state_dir, _, summary = demo_run
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "demo", "web", "--no-venv", "--port", str(port)],
        cwd=REPO_ROOT,
        env=demo_env(state_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_port(port, server, timeout=60)
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with opener.open(f"{base}/queue-monitoring/") as response:
            assert response.read().decode() == summary["health"]

        # Anonymous: sent to the admin's login; then log in as demo / demo.
        with opener.open(f"{base}/") as response:
            assert "/admin/login/" in response.url
            token = re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()
            )
            login_url = response.url
        assert token is not None
        form = urllib.parse.urlencode(
            {
                "username": "demo",
                "password": "demo",
                "csrfmiddlewaretoken": token.group(1),
                "next": "/queue-dashboard/",
            }
        ).encode()
        with opener.open(login_url, data=form) as response:
            assert response.url == f"{base}/queue-dashboard/"
            page = response.read().decode()
        for text in ("MailJob", "ProductSyncJob", "LedgerJob", "is not a number"):
            assert text in page
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert "log in as demo / demo" in output


@pytest.mark.skipif(
    os.environ.get("PARVIRAPTOR_DEMO_VENV_TEST") != "1",
    reason="creates a virtualenv from PyPI; set PARVIRAPTOR_DEMO_VENV_TEST=1",
)
def test_demo_creates_its_virtualenv_and_reuses_it(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    env = {"DEMO_VENV": str(venv)}
    first, summary = run_demo(tmp_path, "--jobs", "300", venv=True, **env)
    assert "creating venv/" in first.stderr
    assert (venv / "demo-stamp.json").exists()
    assert summary["problems"] == []
    again, _ = run_demo(tmp_path, "--jobs", "300", venv=True, **env)
    assert "installing" not in again.stderr
