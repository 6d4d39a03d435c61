"""Upgrading an environment that has the single-package parviraptor.

Each test makes a scratch venv with ``parviraptor`` 2.2.2 (Python 3.11) or
4.1.0 (Python 3.12) from the package index, then installs the wheels from
``dist/`` (``just build``: the four and the code-free ``parviraptor`` 5.x) in
each way packages/parviraptor/README.md describes, and checks with
``upgrade_probe.py`` that every module of the four imports, no file of the
old distribution is left, ``pip check`` is clean, and ``pip uninstall
parviraptor`` afterwards leaves the four intact.

It needs the package index (for the old releases and Django) and the
Pythons 3.11 and 3.12 on PATH, so it runs in one cell only: where
``PARVIRAPTOR_TEST_DB`` is ``sqlite`` on Django 5.2, or anywhere with
``PARVIRAPTOR_RUN_UPGRADE_INSTALL=1``. The tests never touch the venv they
run in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
PROBE = Path(__file__).resolve().parent / "upgrade_probe.py"
FOUR = [
    "parviraptor-core",
    "parviraptor-worker",
    "parviraptor-web",
    "parviraptor-testing",
]
OLD = {"2.2.2": "python3.11", "4.1.0": "python3.12"}

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


def _skip_reason() -> str | None:
    import django

    in_its_cell = os.environ.get("PARVIRAPTOR_TEST_DB") == "sqlite" and (
        django.VERSION[:2] == (5, 2)
    )
    if not in_its_cell and os.environ.get("PARVIRAPTOR_RUN_UPGRADE_INSTALL") != "1":
        return "upgrade install: in the django52-sqlite cell (or PARVIRAPTOR_RUN_UPGRADE_INSTALL=1)"
    return None


@pytest.fixture(scope="module", autouse=True)
def _in_its_cell() -> None:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    wheels = [w.name for w in DIST.glob("*.whl")] if DIST.is_dir() else []
    if not any(w.startswith("parviraptor-") for w in wheels):
        pytest.fail("no wheel of the code-free parviraptor in dist/: run `just build`")


def _env() -> dict[str, str]:
    # Nothing of the running test environment may leak into the scratch venvs.
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")
    return {k: v for k, v in os.environ.items() if k not in drop}


class Venv:
    """A scratch venv, driven through its own ``python -m pip``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.python = str(path / "bin" / "python")

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [self.python, *args],
            env=_env(),
            cwd=self.path,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if check and result.returncode != 0:
            pytest.fail(f"{args} exited {result.returncode}:\n{result.stderr[-3000:]}")
        return result

    def pip(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("-m", "pip", *args, "--disable-pip-version-check", check=check)

    def upgrade(self) -> None:
        """``pip install -U parviraptor`` with dist/ as an extra source."""
        self.pip("install", "-U", "--find-links", str(DIST), "parviraptor")

    def reinstall_four(self) -> None:
        """Puts the four's files back in their place (README: optional)."""
        self.pip(
            "install", "--force-reinstall", "--no-deps", "--no-index",
            "--find-links", str(DIST), *FOUR,
        )  # fmt: skip

    def probe(self) -> dict:
        result = self.run(str(PROBE), str(self.path / "old-record.json"))
        return json.loads(result.stdout)


def _interpreter(name: str) -> str | None:
    """The first ``name`` on PATH that runs (a pyenv shim may not)."""
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(directory) / name
        if not os.access(candidate, os.X_OK):
            continue
        ran = subprocess.run([candidate, "-c", ""], capture_output=True, env=_env())
        if ran.returncode == 0:
            return str(candidate)
    return None


def _make_baseline(version: str, path: Path) -> None:
    executable = _interpreter(OLD[version])
    if executable is None:
        pytest.skip(f"{OLD[version]} is not on PATH")
    subprocess.run([executable, "-m", "venv", str(path)], check=True, env=_env())
    venv = Venv(path)
    venv.pip("install", "--quiet", f"parviraptor=={version}", "Django>=4.2,<5")
    record = venv.run(
        "-c",
        "import csv, json; from importlib import metadata; "
        "r = metadata.distribution('parviraptor').read_text('RECORD'); "
        "print(json.dumps([row[0] for row in csv.reader(r.splitlines()) if row]))",
    )
    (path / "old-record.json").write_text(record.stdout)


@pytest.fixture(scope="module")
def baselines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Venvs with an old release, each made once and copied for each test."""
    return {}


@pytest.fixture
def old_venv(request, baselines, tmp_path_factory, tmp_path) -> Venv:
    """A copy of the baseline venv of ``request.param`` (a release)."""
    version = request.param
    if version not in baselines:
        path = tmp_path_factory.mktemp(f"parviraptor-{version}") / "venv"
        _make_baseline(version, path)
        baselines[version] = path
    # A venv's python finds its prefix from pyvenv.cfg beside it, so a copy
    # is a venv of its own as long as nothing runs the copied bin/ scripts.
    path = tmp_path / "venv"
    shutil.copytree(baselines[version], path, symlinks=True)
    return Venv(path)


def _assert_clean(venv: Venv, *, with_meta: bool) -> None:
    report = venv.probe()
    expected = {"parviraptor-core", "parviraptor-worker", "parviraptor-web"}
    assert expected | {"parviraptor-testing"} <= set(report["installed"]), report
    assert (report["installed"].get("parviraptor", "").startswith("5.")) is with_meta
    assert report["missing"] == [], report["missing"]
    assert report["import_failures"] == {}, report["import_failures"]
    assert report["modules"] > 50, report
    assert report["leftover"] == [], report["leftover"]
    venv.pip("check")


def _assert_upgraded_and_uninstallable(venv: Venv) -> None:
    _assert_clean(venv, with_meta=True)
    venv.pip("uninstall", "--yes", "parviraptor")
    _assert_clean(venv, with_meta=False)


@pytest.mark.parametrize("old_venv", list(OLD), indirect=True)
def test_one_step_pip_upgrade(old_venv: Venv) -> None:
    old_venv.upgrade()
    report = old_venv.probe()
    # pip installed the four, then uninstalled the old release, whose RECORD
    # deleted the files they share: the fallback copy stands in for them.
    assert report["from_fallback"] > 0, report
    assert "_parviraptor_fallback" in report["root"], report
    _assert_upgraded_and_uninstallable(old_venv)
    # A reinstall of the four puts the files back in their place.
    old_venv.reinstall_four()
    report = old_venv.probe()
    assert report["from_fallback"] == 0
    assert "_parviraptor_fallback" not in report["root"]


@pytest.mark.parametrize("old_venv", ["2.2.2"], indirect=True)
def test_the_four_alone_over_the_old_release(old_venv: Venv) -> None:
    old_venv.pip("install", "--find-links", str(DIST), *FOUR)
    report = old_venv.probe()
    # The old distribution stays installed beside the four, with its files.
    assert report["installed"]["parviraptor"] == "2.2.2"
    leftover = set(report["leftover"])
    assert "parviraptor/management/commands/process_queue.py" in leftover
    assert "parviraptor/worker.py" in leftover
    assert "tests/__init__.py" in leftover
    # Uninstalling it removes them, and the files it shared with the four:
    # the fallback copy stands in for those.
    old_venv.pip("uninstall", "--yes", "parviraptor")
    assert old_venv.probe()["from_fallback"] > 0
    _assert_clean(old_venv, with_meta=False)
