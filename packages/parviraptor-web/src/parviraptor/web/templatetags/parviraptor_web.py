"""Template filters of the parviraptor pages: ``{% load parviraptor_web %}``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template

from parviraptor.web.formatting import format_duration, format_rate

register = template.Library()


@register.filter
def duration(value: timedelta | float | None) -> str:
    """A duration as ``2 h 5 min``."""
    return format_duration(value)


@register.filter
def rate(value: float) -> str:
    """Jobs per minute, rounded to what is worth reading."""
    return format_rate(value)


@register.filter
def headline(value: Any) -> str:
    """The telling line of a message: the last of a traceback, else the first."""
    lines = [line.strip() for line in str(value or "").strip().splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    return lines[-1] if lines[0].startswith("Traceback") else lines[0]


@register.filter
def lower_status(value: str) -> str:
    """A status as a CSS class suffix: ``FAILED`` -> ``failed``."""
    return str(value).lower()
