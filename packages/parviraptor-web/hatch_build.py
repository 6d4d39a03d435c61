"""Build hook: a second copy of the wheel's modules, for upgrades from parviraptor 2.x-4.x.

pip upgrades an environment that has the single-package ``parviraptor``
by installing this distribution first and uninstalling the old release
after; that uninstall deletes every file the old release listed, also those
this wheel has just written at the same paths (``parviraptor/__init__.py``,
``parviraptor/models/abstract.py`` ...). So the wheel carries its modules
twice: at their place, and under ``_parviraptor_fallback/``, which
parviraptor-core's ``parviraptor_fallback.pth`` puts on ``sys.path`` behind
site-packages. Python takes the copy only where the first is gone. Editable
installs get neither. The same file is in each of the four packages
(tests/test_packaging.py keeps them equal); packages/parviraptor/README.md
explains the whole upgrade.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

FALLBACK = "_parviraptor_fallback"
PTH = "parviraptor_fallback.pth"


class FallbackCopyHook(BuildHookInterface):
    """Adds ``_parviraptor_fallback/parviraptor/...`` (and the .pth, if here)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version != "standard":
            return
        # Copies: hatch puts each source file into a wheel once only.
        self._copies = Path(tempfile.mkdtemp(prefix="parviraptor-fallback-"))
        forced = build_data["force_include"]
        for included in self.build_config.builder.recurse_selected_project_files():
            if included.distribution_path.startswith("parviraptor/"):
                copy = self._copies / included.distribution_path
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(included.path, copy)
                forced[str(copy)] = f"{FALLBACK}/{included.distribution_path}"
        pth = Path(self.root) / PTH
        if pth.is_file():
            forced[str(pth)] = PTH

    def finalize(self, version: str, build_data: dict[str, Any], artifact: str) -> None:
        copies = getattr(self, "_copies", None)
        if copies is not None:
            shutil.rmtree(copies, ignore_errors=True)
