"""Settings of the chaos run: the shared test project plus ``chaos_jobs``.

The chaos job models are installed only here (or when ``PARVIRAPTOR_CHAOS=1``
is set), so the ordinary test-suites never see them.
"""

import os

from testproject.settings import *  # noqa: F403
from testproject.settings import INSTALLED_APPS

os.environ.setdefault("PARVIRAPTOR_CHAOS", "1")
if os.environ["PARVIRAPTOR_CHAOS"] == "1":
    INSTALLED_APPS = [*INSTALLED_APPS, "chaos.jobs"]
