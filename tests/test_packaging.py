"""The four distributions as installed: each owns only its own modules.

Run inside tox these check the wheels (the cells install wheels, never the
source trees); in a dev venv they check the editable installs the same way.
"""

from __future__ import annotations

import importlib
from importlib import metadata

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
    "parviraptor-web": ["parviraptor.web", "parviraptor.urls", "parviraptor.views"],
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
