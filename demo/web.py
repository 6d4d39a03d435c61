"""``python -m demo web``: the dashboard on the demo's database.

Creates (or resets) the staff user ``demo`` with password ``demo``, prints
the login and the URLs, then runs Django's development server on
127.0.0.1 (``runserver --insecure`` serves the admin's static files with
``DEBUG = False``). Local use only: the password is no secret.
"""

from __future__ import annotations

import argparse
import os
import sys

from demo import EXAMPLE_DIR, database

USERNAME = "demo"
PASSWORD = "demo"
HOST = "127.0.0.1"


def ensure_demo_user() -> None:
    """A staff superuser ``demo``/``demo``: sees every page, may retry jobs."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    user.set_password(PASSWORD)
    user.save()


def serve(args: argparse.Namespace) -> int:
    """Prepare the database and the user, then exec ``runserver`` (no return)."""
    database.configure(args.db)
    if not database.exists():
        print("demo: no demo database yet; creating an empty one (run `just demo`)")
        database.reset()
        database.migrate()
    ensure_demo_user()
    base = f"http://{HOST}:{args.port}"
    print(
        f"parviraptor demo dashboard on {database.describe()}\n"
        f"  log in as {USERNAME} / {PASSWORD} (a staff user, for this demo only)\n"
        f"  {base}/queue-dashboard/     the dashboard\n"
        f"  {base}/queue-monitoring/    health text (no login)\n"
        f"  {base}/queue-metrics/       Prometheus metrics\n"
        f"  {base}/open-queue-entries/  open jobs per queue (no login)\n"
        f"  {base}/admin/               the job queues in Django's admin\n"
        "Stop with Ctrl-C.",
        flush=True,
    )
    argv = [
        sys.executable,
        str(EXAMPLE_DIR / "manage.py"),
        "runserver",
        f"{HOST}:{args.port}",
        "--noreload",
        "--insecure",
    ]
    os.chdir(EXAMPLE_DIR)
    os.execv(sys.executable, argv)
    return 0  # not reached
