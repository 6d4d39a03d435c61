"""The differential check against the original parviraptor (``just compat``).

``downstream/`` is a Django project written against the original's API;
its ``observe`` package runs the scenarios inside one target's venv and
writes an observation (JSON). This package makes the venvs (``venvs``,
``targets``), runs the observers (``observers``, ``runner``), diffs the
observations (``diff``), holds them against the intended differences
(``differences``, ``differences.toml``), prints the rest (``report``) and
keeps the README's list current (``readme``).
"""
