"""One cached virtualenv per target under ``.compat-venvs/``.

A venv is made once and reused while its Python and its requirements stay
the same (a stamp file records both); our wheels are reinstalled on every
run, as they change with every build. The originals come from PyPI, so the
first run needs the network; later ones do not.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from compat.targets import OUR_DISTRIBUTIONS, Target

__all__ = ["VenvError", "ensure_venv", "find_python", "venv_python"]

STAMP = "compat-stamp.json"


class VenvError(RuntimeError):
    """A venv could not be made (no such Python, pip failed, no wheels)."""


def find_python(version: str) -> str:
    """The interpreter for ``version`` ("3.11"): pyenv's, else one on PATH.

    pyenv's shims are passed over: they answer only for the versions that
    pyenv has selected.
    """
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for candidate in sorted(pyenv_root.glob(f"versions/{version}.*/bin/python")):
        return str(candidate)
    found = shutil.which(f"python{version}")
    if found and "/shims/" not in found:
        return found
    raise VenvError(
        f"no Python {version}: put python{version} on PATH (`just tox` adds "
        "the pyenv Pythons) or install it with pyenv"
    )


def venv_python(cache: Path, target: Target) -> Path:
    return cache / target.name / "bin" / "python"


def ensure_venv(cache: Path, target: Target, dist: Path) -> Path:
    """The venv's python for ``target``, made or refreshed as needed."""
    root = cache / target.name
    wanted = {"python": target.python, "requirements": list(target.requirements)}
    if _stamp(root) != wanted:
        _create(root, target)
        (root / STAMP).write_text(json.dumps(wanted))
    if target.from_wheels:
        _install_wheels(venv_python(cache, target), dist)
    return venv_python(cache, target)


def _stamp(root: Path) -> dict | None:
    try:
        return json.loads((root / STAMP).read_text())
    except (OSError, ValueError):
        return None


def _create(root: Path, target: Target) -> None:
    shutil.rmtree(root, ignore_errors=True)
    _run([find_python(target.python), "-m", "venv", str(root)])
    python = str(root / "bin" / "python")
    _run([python, "-m", "pip", "install", "--quiet", *target.requirements])


def _install_wheels(python: Path, dist: Path) -> None:
    wheels = sorted(dist.glob("*.whl")) if dist.is_dir() else []
    names = {w.name.split("-")[0].replace("_", "-").lower() for w in wheels}
    missing = [d for d in OUR_DISTRIBUTIONS if d not in names]
    if missing:
        raise VenvError(f"no wheel of {', '.join(missing)} in {dist}: run `just build`")
    _run(
        [
            *(str(python), "-m", "pip", "install", "--quiet", "--no-index"),
            *("--no-deps", "--force-reinstall", "--find-links", str(dist)),
            *OUR_DISTRIBUTIONS,
        ]
    )
    _run([str(python), "-m", "pip", "check"])


def _run(argv: list[str]) -> None:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONPATH": ""}
    done = subprocess.run(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout.decode(errors="replace"))
        raise VenvError(f"failed ({done.returncode}): {' '.join(argv)}")
