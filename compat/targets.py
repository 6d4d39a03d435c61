"""The three implementations a compat run compares.

``orig2`` and ``orig4`` are the original single-package parviraptor from
PyPI, each on the Python it supports; ``ours`` is the four wheels from
``dist/`` (``just build``). All three run on Django 4.2 with both database
drivers, so that only parviraptor differs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMMON_REQUIREMENTS", "TARGETS", "Target", "by_name"]

COMMON_REQUIREMENTS = ("Django>=4.2,<5.0", "mysqlclient", "psycopg[binary]")

OUR_DISTRIBUTIONS = (
    "parviraptor-core",
    "parviraptor-worker",
    "parviraptor-web",
    "parviraptor-testing",
)


@dataclass(frozen=True)
class Target:
    """One implementation: its venv's Python and what to install into it."""

    name: str
    #: The original's version this target stands for ("ours" for our wheels).
    label: str
    python: str
    requirements: tuple[str, ...]
    #: True: our distributions, installed from the wheels in dist/.
    from_wheels: bool = False

    @property
    def is_original(self) -> bool:
        return not self.from_wheels


TARGETS = (
    Target("orig2", "2.2.2", "3.11", ("parviraptor==2.2.2", *COMMON_REQUIREMENTS)),
    Target("orig4", "4.1", "3.12", ("parviraptor==4.1.*", *COMMON_REQUIREMENTS)),
    Target("ours", "ours", "3.12", COMMON_REQUIREMENTS, from_wheels=True),
)


def by_name(name: str) -> Target:
    for target in TARGETS:
        if name in (target.name, target.label):
            return target
    known = ", ".join(t.name for t in TARGETS)
    raise ValueError(f"unknown target {name!r} (known: {known})")
