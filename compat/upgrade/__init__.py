"""The upgrade-path scenario: databases migrated by parviraptor 2.2.2, then ours.

``python -m compat.upgrade`` (``just compat-upgrade``); README.md says what it
does and checks.
"""
