"""A job app as a project written against the original parviraptor has it.

The models (``models.py``) use only names the original (2.2.2, 4.1.0) has.
``migrations/from2/0001_initial.py`` and ``migrations/from4/0001_initial.py``
are what the original's ``makemigrations`` made of them: output of each
version, generated in a virtualenv with ``parviraptor==2.2.2`` (and one with
``parviraptor==4.1.0``) and Django 4.2 by ``python -m
testproject.upgrade.generate <dir>``, kept as test fixtures. They differ by
4.x's index on (modification_date, status).

The app is installed only in subprocesses of ``tests/test_upgrade_migration.py``
(via ``testproject.app_settings``), which point its migrations at a copy of one
of them and check what our ``makemigrations`` adds: only nullable columns and
indexes.
"""
