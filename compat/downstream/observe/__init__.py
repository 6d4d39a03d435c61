"""The compat observer: runs the scenarios in one target's venv, writes JSON.

Run from ``compat/downstream`` with the target's python::

    python -m observe --db mariadb --name w6_compat_orig2_mariadb --out obs.json

Everything here uses only what the original documents (and, where a
scenario probes a timing, what each implementation leaves in the database);
ids, timestamps and pids never reach the observation: rows are keyed by
their ``tag``, times are kept only as an order.
"""
