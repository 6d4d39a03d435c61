"""Short, unambiguous renderings of durations and rates for the pages."""

from __future__ import annotations

from datetime import timedelta

__all__ = ["NONE", "format_duration", "format_rate"]

NONE = "\N{EN DASH}"  # shown for a duration that does not exist


def format_duration(value: timedelta | float | None) -> str:
    """``42 s``, ``3 min 5 s``, ``2 h 5 min``, ``3 d 4 h``; an en dash for None."""
    if value is None:
        return NONE
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    seconds = max(seconds, 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def format_rate(per_minute: float) -> str:
    """Jobs per minute with as many digits as are worth reading."""
    if per_minute == 0:
        return "0"
    if per_minute < 1:
        return f"{per_minute:.2f}"
    if per_minute < 10:
        return f"{per_minute:.1f}"
    return f"{per_minute:.0f}"
