"""The parviraptor demo: the example shop's three queues under a realistic load.

``python -m demo`` (or ``just demo``) creates ``.demo-venv/`` with the four
packages of this checkout, resets a database of its own, enqueues a batch
of jobs, runs ``process_queue`` workers as subprocesses while showing the
progress of each queue, and ends with a summary table and the health text.
``python -m demo web`` (``just demo-web``) serves the dashboard on the
demo's database.

Only the standard library may be imported at module level in
``__main__`` and ``setup_env``: they run before the virtualenv exists.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DIR = REPO_ROOT / "example"
# The SQLite database and the workers' logs; ``DEMO_STATE_DIR`` moves them.
STATE_DIR = Path(os.environ.get("DEMO_STATE_DIR") or REPO_ROOT / ".demo")
