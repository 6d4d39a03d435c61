"""The four distributions as installed: each owns only its own modules.

Run inside tox these check the wheels (the cells install wheels, never the
source trees); in a dev venv they check the editable installs the same way.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import sys
from importlib import metadata
from pathlib import Path

import pytest

OWNERS = {
    "parviraptor-core": [
        "parviraptor",
        "parviraptor.models",
        "parviraptor.exceptions",
        "parviraptor.monitoring",
        "parviraptor.utils",
        "parviraptor.apps",
    ],
    "parviraptor-worker": [
        "parviraptor.worker",
        "parviraptor.worker.management.commands.process_queue",
    ],
    "parviraptor-web": [
        "parviraptor.web",
        "parviraptor.urls",
        "parviraptor.views",
        "parviraptor.views.open_queue_entries",
        "parviraptor.views.queue_monitoring",
    ],
    "parviraptor-testing": [
        "parviraptor.test",
        "parviraptor.test.worker",
        "parviraptor.test.case",
        "parviraptor.test.factory",
        "parviraptor.test.utils",
    ],
}


def _files(distribution: str) -> set[str]:
    return {str(path) for path in metadata.files(distribution) or ()}


def _editable(distribution: str) -> bool:
    direct_url = metadata.distribution(distribution).read_text("direct_url.json")
    return bool(direct_url and '"editable": true' in direct_url)


@pytest.mark.parametrize("distribution", sorted(OWNERS))
def test_wheel_ships_py_typed(distribution: str) -> None:
    if _editable(distribution):
        pytest.skip(f"{distribution} is an editable install: no wheel to inspect")
    files = _files(distribution)
    assert any(name.endswith("py.typed") for name in files), files


@pytest.mark.parametrize(
    ("distribution", "module"), [(d, m) for d, ms in OWNERS.items() for m in ms]
)
def test_module_is_importable(distribution: str, module: str) -> None:
    assert importlib.import_module(module) is not None


@pytest.mark.parametrize(
    ("distribution", "module"), [(d, m) for d, ms in OWNERS.items() for m in ms]
)
def test_module_is_shipped_by_its_distribution(distribution: str, module: str) -> None:
    if _editable(distribution):
        pytest.skip(f"{distribution} is an editable install: no wheel to inspect")
    path = module.replace(".", "/")
    assert {f"{path}.py", f"{path}/__init__.py"} & _files(distribution)


def test_only_core_ships_the_namespace_root() -> None:
    owners = [d for d in OWNERS if "parviraptor/__init__.py" in _files(d)]
    # Editable installs list no module files; wheels must list it exactly once.
    assert owners in (["parviraptor-core"], [])


def test_testing_registers_its_pytest_plugin() -> None:
    entry_points = metadata.distribution("parviraptor-testing").entry_points
    plugins = [ep for ep in entry_points if ep.group == "pytest11"]
    assert [ep.value for ep in plugins] == ["parviraptor.test.pytest_plugin"]


@pytest.mark.parametrize("distribution", sorted(OWNERS))
def test_versions_are_set(distribution: str) -> None:
    assert metadata.version(distribution)


# The copy each wheel carries for upgrades from the single-package
# parviraptor (packages/parviraptor/README.md, packages/*/hatch_build.py).
FALLBACK = "_parviraptor_fallback/"
PACKAGES = Path(__file__).resolve().parent.parent / "packages"


def _record(distribution: str) -> dict[str, str]:
    """path -> hash, from RECORD (``metadata.files`` skips missing files)."""
    text = metadata.distribution(distribution).read_text("RECORD") or ""
    return {row[0]: row[1] for row in csv.reader(text.splitlines()) if row}


@pytest.mark.parametrize("distribution", sorted(OWNERS))
def test_wheel_carries_a_fallback_copy_of_each_module(distribution: str) -> None:
    if _editable(distribution):
        pytest.skip(f"{distribution} is an editable install: no fallback copy")
    record = _record(distribution)
    ours = {p: h for p, h in record.items() if p.startswith("parviraptor/") and h}
    assert ours
    assert {p: record.get(FALLBACK + p) for p in ours} == ours


def test_core_puts_the_fallback_copy_behind_site_packages() -> None:
    if _editable("parviraptor-core"):
        pytest.skip("parviraptor-core is an editable install")
    assert "parviraptor_fallback.pth" in _record("parviraptor-core")
    site = Path(metadata.distribution("parviraptor-core").locate_file(""))
    assert (site / "parviraptor_fallback.pth").read_text().split() == [FALLBACK[:-1]]
    entries = [Path(p).resolve() for p in sys.path if p]
    assert entries.index((site / FALLBACK).resolve()) > entries.index(site.resolve())


def test_a_healthy_installation_imports_the_modules_from_their_place() -> None:
    import parviraptor.models.abstract

    assert FALLBACK not in Path(parviraptor.models.abstract.__file__).as_posix()


def test_the_four_build_hooks_are_the_same_file() -> None:
    hooks = sorted(PACKAGES.glob("parviraptor-*/hatch_build.py"))
    if not hooks:
        pytest.skip("no source tree at hand")
    digests = {hashlib.sha256(h.read_bytes()).hexdigest() for h in hooks}
    assert len(hooks) == 4 and len(digests) == 1, hooks
