"""Project configurations an upgrading user may have (see ``shop.settings``).

``upgraded``: the apps as the README's upgrade steps say; ``unchanged``:
``INSTALLED_APPS`` untouched from before the upgrade (only "parviraptor");
``no-auth``: without ``django.contrib.auth``, as the original's own test
settings; ``zero-backoff``: a job with ``BACKOFF_STEP_MINUTES = 0``.
Observed: ``check`` and ``process_queue --help``.
"""

from __future__ import annotations

from observe import procs

VARIANTS = ("upgraded", "unchanged", "no-auth", "zero-backoff")


def observe() -> dict:
    return {
        variant: {
            "check": procs.manage("check", COMPAT_APPS=variant),
            "process_queue --help": procs.manage(
                "process_queue", "--help", COMPAT_APPS=variant
            ),
        }
        for variant in VARIANTS
    }
