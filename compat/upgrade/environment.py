"""The two venvs of the scenario and running the project's manage.py in them.

``old``: Python 3.11 with parviraptor 2.2.2, Django 4.2 and both database
drivers, made fresh (or copied from ``--old-venv``; an existing venv is never
changed). ``new``: a copy of ``old`` upgraded the way
packages/parviraptor/README.md tells (``pip install -U parviraptor`` with
``dist/`` as a source), then ``pip check``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ScenarioError", "Venv", "make_new_venv", "make_old_venv"]

OLD_REQUIREMENTS = (
    "parviraptor==2.2.2",
    "Django>=4.2,<5",
    "mysqlclient",
    "psycopg[binary]",
)
DROPPED = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")


class ScenarioError(RuntimeError):
    """A step that must work did not (a venv, a migration, seeding)."""


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def run(argv: list[str], *, cwd: Path | None = None, env=None, timeout=600):
    """Run ``argv``; raise ScenarioError with its output when it fails."""
    result = subprocess.run(
        argv, cwd=cwd, env=env or clean_env(), capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    if result.returncode != 0:
        raise ScenarioError(
            f"{' '.join(argv)} exited {result.returncode}:\n"
            f"{result.stdout[-2000:]}{result.stderr[-4000:]}"
        )
    return result


@dataclass
class Venv:
    path: Path

    @property
    def python(self) -> str:
        return str(self.path / "bin" / "python")

    def pip(self, *args: str) -> subprocess.CompletedProcess:
        return run([self.python, "-m", "pip", "--disable-pip-version-check", *args])

    def manage_argv(self, project: Path, *args: str) -> list[str]:
        return [self.python, str(project / "manage.py"), *args]


def find_python(version: str) -> str:
    """A Python ``version`` that runs: pyenv's shims only answer for some."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = sorted(pyenv.glob(f"versions/{version}.*/bin/python{version}"))
    found = shutil.which(f"python{version}")
    for candidate in [*map(str, candidates), *([found] if found else [])]:
        if "/shims/" not in candidate:
            return candidate
    raise ScenarioError(f"no python{version} on PATH or in pyenv")


def make_old_venv(path: Path, template: Path | None) -> Venv:
    if template is not None:
        shutil.copytree(template, path, symlinks=True)
    else:
        run([find_python("3.11"), "-m", "venv", str(path)])
        Venv(path).pip("install", "--quiet", *OLD_REQUIREMENTS)
    venv = Venv(path)
    version = run(
        [venv.python, "-c", "import parviraptor; print(parviraptor.__version__)"]
    )
    if version.stdout.strip() != "2.2.2":
        raise ScenarioError(
            f"{path} has parviraptor {version.stdout.strip()}, not 2.2.2"
        )
    return venv


def make_new_venv(old: Venv, path: Path, dist: Path) -> tuple[Venv, str]:
    """Copy ``old`` and upgrade it as documented; return it and pip's output."""
    # A venv's python finds its prefix from pyvenv.cfg beside it: a copy is a
    # venv of its own as long as nothing runs its copied bin/ scripts.
    shutil.copytree(old.path, path, symlinks=True)
    new = Venv(path)
    steps = [
        new.pip("install", "--upgrade", "--find-links", str(dist), "parviraptor"),
        new.pip("check"),
    ]
    return new, "".join(step.stdout for step in steps)
