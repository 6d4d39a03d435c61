#!/usr/bin/env python
"""The upgrade scenario's project: run with the Python of the old or new venv."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upgradeproject.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
