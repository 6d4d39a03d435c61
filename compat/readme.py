"""The README's list of intended differences, generated from differences.toml.

It stands between two markers in README.md; ``just compat-readme`` rewrites
it, ``just compat`` (and the test-suite) fail while it is out of date.
"""

from __future__ import annotations

from pathlib import Path

from compat.differences import Intended

__all__ = ["END", "START", "ReadmeError", "is_current", "render", "update"]

START = "<!-- compat-differences:start -->"
END = "<!-- compat-differences:end -->"
NOTE = "<!-- generated from compat/differences.toml by `just compat-readme`; do not edit -->"
NAMES = {"2.2.2": "2.2.2", "4.1": "4.1"}


class ReadmeError(ValueError):
    """README.md lacks the markers (or has them out of order)."""


def render(entries: list[Intended]) -> str:
    """The block between the markers: one bullet per intended difference."""
    lines = [NOTE, ""]
    for entry in entries:
        concerns = " and ".join(NAMES[o] for o in entry.originals)
        lines.append(f"- **{entry.what}** (vs. {concerns}) {entry.reason}")
    return "\n".join(lines)


def _split(text: str) -> tuple[str, str, str]:
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ReadmeError(
            f"README.md needs the markers {START} and {END}, in this order"
        )
    return text[: start + len(START)], text[start + len(START) : end], text[end:]


def is_current(readme: Path, entries: list[Intended]) -> bool:
    _, block, _ = _split(readme.read_text())
    return block.strip() == render(entries).strip()


def update(readme: Path, entries: list[Intended]) -> bool:
    """Rewrite the block; True when it changed."""
    head, block, tail = _split(readme.read_text())
    new = f"\n{render(entries)}\n"
    if block == new:
        return False
    readme.write_text(head + new + tail)
    return True
