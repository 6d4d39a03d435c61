"""The original parviraptor's ``parviraptor.test.factory``:
``make_test_case_for_all_queues``. See ``parviraptor.test.compat``."""

from parviraptor.test.compat import make_test_case_for_all_queues

__all__ = ["make_test_case_for_all_queues"]
