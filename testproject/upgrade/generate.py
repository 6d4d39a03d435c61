"""Write the original's migration of this app into a directory.

Run with the original parviraptor installed (its virtualenv), from the
repository root: ``python -m testproject.upgrade.generate /tmp/out``. The
directory gets ``0001_initial.py``; copy it into ``migrations/from2/`` or ``migrations/from4/``.
"""

import sys
import tempfile
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command


def main(out: Path) -> None:
    package = out / "upgrade_generated"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").touch()
    sys.path.insert(0, str(out))
    settings.configure(
        INSTALLED_APPS=["parviraptor", "testproject.upgrade"],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(Path(tempfile.mkdtemp()) / "db.sqlite3"),
            }
        },
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        MIGRATION_MODULES={"upgrade": "upgrade_generated"},
        USE_TZ=True,
    )
    django.setup()
    call_command("makemigrations", "upgrade")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
