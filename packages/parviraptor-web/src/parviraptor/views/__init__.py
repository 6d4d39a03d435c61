"""The original parviraptor's views package (2.x, 4.x), now part of
parviraptor-web: ``OpenQueueEntriesView`` and ``queue_monitoring``, the views
behind ``open-queue-entries/`` and ``queue-monitoring/``, also in the
original's submodules of the same names. See ``parviraptor.web.compat``; new
code imports from ``parviraptor.web.views``.
"""

# From the submodules, as the original did: importing a submodule binds its
# name in this package, so the view must be bound after it (here, once).
from parviraptor.views.open_queue_entries import OpenQueueEntriesView
from parviraptor.views.queue_monitoring import queue_monitoring

__all__ = ["OpenQueueEntriesView", "queue_monitoring"]
