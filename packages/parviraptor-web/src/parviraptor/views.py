"""The original parviraptor's views module (2.x, 4.x), now part of
parviraptor-web: ``OpenQueueEntriesView`` and ``queue_monitoring``, the views
behind ``open-queue-entries/`` and ``queue-monitoring/``. See
``parviraptor.web.compat``; new code imports from ``parviraptor.web.views``.
"""

from parviraptor.web.compat import OpenQueueEntriesView, queue_monitoring

__all__ = ["OpenQueueEntriesView", "queue_monitoring"]
