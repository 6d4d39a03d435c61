"""Writing Prometheus' text exposition format (version 0.0.4).

Just what the metrics page needs: gauges with labels. See
https://prometheus.io/docs/instrumenting/exposition_formats/
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["CONTENT_TYPE", "Gauge", "render"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def escape_label_value(value: str) -> str:
    """Backslash, double quote and line feed escaped, as the format wants."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def format_value(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


@dataclass
class Gauge:
    """One metric family: a name, a help text and its labelled samples."""

    name: str
    help: str
    samples: list[tuple[dict[str, str], float]] = field(default_factory=list)

    def set(self, value: float, **labels: str) -> None:
        self.samples.append((labels, value))

    def lines(self) -> Iterable[str]:
        yield f"# HELP {self.name} {escape_help(self.help)}"
        yield f"# TYPE {self.name} gauge"
        for labels, value in self.samples:
            pairs = ",".join(
                f'{key}="{escape_label_value(str(val))}"' for key, val in labels.items()
            )
            yield f"{self.name}{{{pairs}}} {format_value(value)}"


def render(gauges: Iterable[Gauge]) -> str:
    """The exposition text of ``gauges``, ending with a line feed."""
    return "".join(line + "\n" for gauge in gauges for line in gauge.lines())
