"""Names of the original single-package parviraptor (2.x, 4.x), kept for code
written against it. Each stands for one of ours and has no behaviour of its
own; ``parviraptor.views`` re-exports them where the original had them.

Also kept, outside this module: the URL names ``queue-monitoring`` and
``open-queue-entries`` (``parviraptor.urls``) and the template names
``parviraptor/queue_monitoring.html`` and ``parviraptor/open_queue_entries.html``
(``parviraptor.web.overrides``).
"""

from __future__ import annotations

from parviraptor.web.views import health, open_entries

__all__ = ["OpenQueueEntriesView", "queue_monitoring"]

OpenQueueEntriesView = open_entries.OpenQueueEntriesView
"""2.x/4.x ``parviraptor.views.OpenQueueEntriesView``: ours from ``views.open_entries``; since 0.2.0."""

queue_monitoring = health.queue_monitoring
"""2.x/4.x ``parviraptor.views.queue_monitoring``: ours from ``views.health``; since 0.2.0."""
