"""Names of the original single-package parviraptor's test helpers (2.x,
4.x), kept for code written against it. Each stands for one of ours and has
no behaviour of its own. The original's modules re-export them where it had
them: ``parviraptor.test.case``, ``parviraptor.test.factory`` and
``parviraptor.test.utils``; new code imports from ``parviraptor.test``.
"""

from __future__ import annotations

from parviraptor.test import all_queues, cases, profiling

__all__ = ["QueueTestCase", "make_test_case_for_all_queues", "measure_stats"]

QueueTestCase = cases.QueueTestCase
"""2.x/4.x ``parviraptor.test.case.QueueTestCase``: ours from ``parviraptor.test``; since 0.2.0."""

make_test_case_for_all_queues = all_queues.make_test_case_for_all_queues
"""2.x/4.x ``parviraptor.test.factory.make_test_case_for_all_queues``: ours from ``parviraptor.test``; since 0.2.0."""

measure_stats = profiling.measure_stats
"""2.x/4.x ``parviraptor.test.utils.measure_stats``: ours from ``parviraptor.test``; since 0.2.0."""
