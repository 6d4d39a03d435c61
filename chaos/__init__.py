"""The chaos run: many workers, injected faults, invariants checked at the end.

``python -m chaos --db mariadb|postgres --jobs N`` (see ``chaos.__main__``).
"""
