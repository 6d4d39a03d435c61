"""The demo's own virtualenv, ``.demo-venv/``: created once, kept up to date.

It holds the four parviraptor packages of this checkout as editable installs
(source changes need no reinstall), Django and ``rich``, plus
``mysqlclient`` once a demo ran against MySQL/MariaDB. A stamp file records
what was installed from which ``pyproject.toml`` files; when they change, or
the demo needs more, ``pip install`` runs again. Standard library only: this
module runs before the virtualenv exists.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

from demo import REPO_ROOT

VENV_DIR = Path(os.environ.get("DEMO_VENV", REPO_ROOT / ".demo-venv"))
STAMP = VENV_DIR / "demo-stamp.json"

PACKAGES = (
    "parviraptor-core",
    "parviraptor-worker",
    "parviraptor-web",
    "parviraptor-testing",
)
BASE_REQUIREMENTS = ("Django>=5.2,<5.3", "rich>=13")
DB_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "sqlite": (),
    "mysql": ("mysqlclient>=2.2",),
}


def venv_python() -> Path:
    """The interpreter of the demo's virtualenv."""
    if os.name == "nt":
        return VENV_DIR / "Scripts" / "python.exe"
    return VENV_DIR / "bin" / "python"


def inside_venv() -> bool:
    """True when this interpreter is the demo's virtualenv."""
    return Path(sys.prefix).resolve() == VENV_DIR.resolve()


def requirements(db: str) -> list[str]:
    """What the demo needs on database ``db``, besides the four packages."""
    return [*BASE_REQUIREMENTS, *DB_REQUIREMENTS[db]]


def _sources_digest() -> str:
    """A digest of the packages' ``pyproject.toml`` files (their dependencies)."""
    digest = hashlib.sha256()
    for name in PACKAGES:
        digest.update((REPO_ROOT / "packages" / name / "pyproject.toml").read_bytes())
    return digest.hexdigest()


def _read_stamp() -> dict[str, object]:
    try:
        data = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _python_works() -> bool:
    python = venv_python()
    if not python.exists():
        return False
    probe = subprocess.run(
        [str(python), "-c", "import sys; print(sys.version)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.returncode == 0


def is_up_to_date(db: str) -> bool:
    """Whether the virtualenv has everything ``db`` needs, from these sources."""
    stamp = _read_stamp()
    installed = stamp.get("requirements")
    return (
        _python_works()
        and stamp.get("sources") == _sources_digest()
        and isinstance(installed, list)
        and set(requirements(db)) <= set(installed)
    )


def _say(message: str) -> None:
    print(f"demo: {message}", file=sys.stderr, flush=True)


def _create() -> None:
    _say(f"creating {VENV_DIR.name}/ with {sys.executable} ...")
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV_DIR)
    except (subprocess.CalledProcessError, OSError) as exc:
        raise SystemExit(
            f"demo: could not create a virtualenv ({exc}).\n"
            "On Debian/Ubuntu install the venv module first: "
            "apt install python3-venv"
        ) from None
    # Keep the virtualenv out of git without touching the repository's files.
    (VENV_DIR / ".gitignore").write_text("*\n")


def _install(wanted: list[str]) -> None:
    editables = [
        arg for name in PACKAGES for arg in ("-e", str(REPO_ROOT / "packages" / name))
    ]
    _say("installing " + ", ".join([*PACKAGES, *wanted]) + " ...")
    command = [
        str(venv_python()),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        *editables,
        *wanted,
    ]
    if subprocess.run(command, check=False).returncode != 0:
        hint = ""
        if any(req.startswith("mysqlclient") for req in wanted):
            hint = (
                "\nmysqlclient compiles against libmariadb (or libmysqlclient): "
                "install its headers and pkg-config, e.g. "
                "apt install libmariadb-dev pkg-config"
            )
        raise SystemExit(f"demo: pip install failed{hint}")


def ensure_venv(db: str) -> Path:
    """Create or update the virtualenv for database ``db``; its interpreter."""
    if is_up_to_date(db):
        return venv_python()
    if not _python_works():
        _create()
    previous = _read_stamp().get("requirements")
    kept = previous if isinstance(previous, list) else []
    wanted = sorted(set(requirements(db)) | set(kept))
    _install(wanted)
    STAMP.write_text(
        json.dumps({"sources": _sources_digest(), "requirements": wanted}, indent=2)
    )
    _say(f"{VENV_DIR.name}/ is ready")
    return venv_python()
