"""A project's own templates at the original parviraptor's names.

The original rendered ``parviraptor/queue_monitoring.html`` (context
``queue_entries``) and ``parviraptor/open_queue_entries.html`` (context
``open_queue_entries``); projects override them, and with 2.2.2, whose wheel
shipped no templates, they had to. This package ships no template at those
names, so a template found there is the project's, and it is rendered.
"""

from __future__ import annotations

from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

__all__ = ["OPEN_QUEUE_ENTRIES", "QUEUE_MONITORING", "project_template"]

QUEUE_MONITORING = "parviraptor/queue_monitoring.html"
OPEN_QUEUE_ENTRIES = "parviraptor/open_queue_entries.html"


def project_template(name: str) -> Any:
    """The project's template called ``name``, or None if it has none."""
    try:
        return get_template(name)
    except TemplateDoesNotExist:
        return None
