"""The original's ``parviraptor.views.queue_monitoring`` (2.x, 4.x)."""

from parviraptor.web.compat import queue_monitoring

__all__ = ["queue_monitoring"]
