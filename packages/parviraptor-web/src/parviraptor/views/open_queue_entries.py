"""The original's ``parviraptor.views.open_queue_entries`` (2.x, 4.x)."""

from parviraptor.web.compat import OpenQueueEntriesView

__all__ = ["OpenQueueEntriesView"]
