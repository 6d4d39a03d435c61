"""What an environment holds of parviraptor, as JSON on stdout.

Run by ``tests/test_upgrade_install.py`` with the Python of a scratch venv
(never imported by the test-suites):

    python upgrade_probe.py OLD_RECORD_JSON

OLD_RECORD_JSON names a file with the RECORD entries of the old single
``parviraptor`` (2.x/4.x) as installed before the upgrade. The probe reports
the installed distributions, every RECORD entry of the four packages that is
missing on disk with its copy under ``_parviraptor_fallback/`` (the copy the
wheels carry for upgrades, see packages/parviraptor/README.md) missing too,
how many are missing but have that copy, every module of theirs that does not import (a missing
third-party module such as pytest is an optional dependency, not a failure),
and every file of the old distribution still on disk that none of the four
owns.
"""

from __future__ import annotations

import csv
import importlib
import json
import sys
import sysconfig
import tempfile
from importlib import metadata
from pathlib import Path

FALLBACK = "_parviraptor_fallback/"
FOUR = (
    "parviraptor-core",
    "parviraptor-worker",
    "parviraptor-web",
    "parviraptor-testing",
)


def installed() -> dict[str, str]:
    names = ("parviraptor", *FOUR)
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


def owned_files() -> dict[str, list[str]]:
    """RECORD entries of each of the four that are installed.

    Read from RECORD itself: ``metadata.files()`` leaves out missing files
    on Python >= 3.12.
    """
    owned = {}
    for name in FOUR:
        try:
            record = metadata.distribution(name).read_text("RECORD") or ""
        except metadata.PackageNotFoundError:
            continue
        owned[name] = [row[0] for row in csv.reader(record.splitlines()) if row]
    return owned


def module_name(entry: str) -> str | None:
    if not entry.startswith("parviraptor/") or not entry.endswith(".py"):
        return None
    parts = entry[: -len(".py")].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def fallback_twin(entry: str) -> str | None:
    return FALLBACK + entry if entry.startswith("parviraptor/") else None


def lost_files(site: Path, entries: set[str]) -> tuple[list[str], int]:
    """RECORD entries gone with their fallback copy; how many the copy stands in for."""
    gone = [e for e in entries if not (site / e).exists()]
    lost = [e for e in gone if not ((t := fallback_twin(e)) and (site / t).exists())]
    return sorted(lost), len(gone) - len(lost)


def setup_django() -> None:
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "parviraptor",
            "parviraptor.worker",
            "parviraptor.web",
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(Path(tempfile.gettempdir()) / "probe.sqlite3"),
            }
        },
        USE_TZ=True,
    )
    import django

    django.setup()


def import_failures(modules: list[str]) -> dict[str, str]:
    failures = {}
    for name in modules:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] == "parviraptor":
                failures[name] = repr(exc)
        except Exception as exc:
            failures[name] = repr(exc)
    return failures


def main(old_record_file: str) -> int:
    site = Path(sysconfig.get_paths()["purelib"])
    owned = owned_files()
    ours = {entry for entries in owned.values() for entry in entries}
    old = json.loads(Path(old_record_file).read_text())
    modules = sorted({m for e in ours if (m := module_name(e))})
    missing, from_fallback = lost_files(site, ours)
    report = {
        "installed": installed(),
        "missing": missing,
        "from_fallback": from_fallback,
        "leftover": sorted(e for e in old if e not in ours and (site / e).exists()),
        "modules": len(modules),
        "import_failures": {},
    }
    try:
        setup_django()
    except Exception as exc:
        report["import_failures"]["django.setup()"] = repr(exc)
    else:
        report["import_failures"] = import_failures(modules)
        report["root"] = sys.modules["parviraptor"].__file__
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
