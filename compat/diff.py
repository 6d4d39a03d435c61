"""Comparing two observations: every leaf that differs, by its path.

An observation is nested JSON; it is flattened to ``path -> value`` with
paths like ``outcomes.rows.temp.error_count`` (keys joined by "."; list
items by index). A leaf present on one side only differs from the other's
``MISSING``. A scenario that crashed on one side is one difference at the
scenario's own path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["MISSING", "Difference", "diff", "flatten"]

MISSING = "<missing>"


@dataclass(frozen=True)
class Difference:
    """One leaf where an original (``expected``) and ours (``actual``) differ."""

    scenario: str
    path: str
    expected: Any
    actual: Any

    def describe(self) -> str:
        return f"{self.scenario}: {self.path}: original {_short(self.expected)} | ours {_short(self.actual)}"


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": [1]}}`` -> ``{"a.b.0": 1}``; empty containers are leaves."""
    if isinstance(value, dict) and value:
        items = value.items()
    elif isinstance(value, list) and value:
        items = enumerate(value)
    else:
        return {prefix: value}
    flat: dict[str, Any] = {}
    for key, item in items:
        flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def diff(original: dict, ours: dict) -> list[Difference]:
    """Every difference between two observations, scenario by scenario."""
    found = []
    for scenario in sorted(set(original) | set(ours)):
        left = original.get(scenario, MISSING)
        right = ours.get(scenario, MISSING)
        if _crashed(left) or _crashed(right):
            if left != right:
                found.append(
                    Difference(scenario, "crashed", _crash(left), _crash(right))
                )
            continue
        found.extend(_leaves(scenario, flatten(left), flatten(right)))
    return found


def _crashed(value: Any) -> bool:
    return value == MISSING or (isinstance(value, dict) and "crashed" in value)


def _crash(value: Any) -> Any:
    return value.get("crashed") if isinstance(value, dict) else value


def _leaves(scenario: str, left: dict, right: dict) -> list[Difference]:
    return [
        Difference(scenario, path, left.get(path, MISSING), right.get(path, MISSING))
        for path in sorted(set(left) | set(right))
        if left.get(path, MISSING) != right.get(path, MISSING)
    ]
