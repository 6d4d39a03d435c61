"""The original parviraptor's ``parviraptor.test.case``: ``QueueTestCase``.
See ``parviraptor.test.compat``."""

from parviraptor.test.compat import QueueTestCase

__all__ = ["QueueTestCase"]
