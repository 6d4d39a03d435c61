"""The original parviraptor's ``parviraptor.test.utils``: ``measure_stats``.
See ``parviraptor.test.compat``."""

from parviraptor.test.compat import measure_stats

__all__ = ["measure_stats"]
