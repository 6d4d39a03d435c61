"""The pytest plugin: registered by installing, harmless without Django."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_importing_the_plugin_imports_no_django() -> None:
    code = (
        "import sys, parviraptor.test.pytest_plugin, parviraptor.test; "
        "print(sorted(m for m in sys.modules if m.startswith('django')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_session_without_django_settings_is_unaffected(tmp_path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_plain.py").write_text(
        "def test_plain(request):\n"
        "    plugin = request.config.pluginmanager.get_plugin('parviraptor')\n"
        "    assert plugin is not None and 'drain_queue' in vars(plugin)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_fixtures_are_listed(pytestconfig) -> None:
    plugin = pytestconfig.pluginmanager.get_plugin("parviraptor")
    assert plugin is not None
    for name in ("drain_queue", "queue_worker_process", "wait_for_jobs"):
        assert callable(getattr(plugin, name))
