"""Install the wheels from dist/ into the running (tox) environment and make
sure the tests will import them, not the source trees under packages/.

    python devtools/tox_wheels.py DIST_DIR DISTRIBUTION...

Fails with a clear message when dist/ holds no wheel of a distribution asked
for (run ``just build`` first).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path


def wheel_prefix(distribution: str) -> str:
    # A wheel's file name spells the project name normalized, "-" as "_".
    return distribution.replace("-", "_").lower() + "-"


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    dist = Path(argv[0]).resolve()
    distributions = argv[1:]
    wheels = sorted(dist.glob("*.whl")) if dist.is_dir() else []
    missing = [
        name
        for name in distributions
        if not any(w.name.lower().startswith(wheel_prefix(name)) for w in wheels)
    ]
    if missing:
        print(
            f"ERROR: no wheel of {', '.join(missing)} in {dist}.\n"
            "The test environments install the built wheels, not the source "
            "trees: run `just build` (or `just test` / `just test-cell ENV`) "
            "first.",
            file=sys.stderr,
        )
        return 1

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--no-deps",
            "--force-reinstall",
            "--find-links",
            str(dist),
            *distributions,
        ],
        check=True,
    )
    # The wheels' own dependency ranges (core's Django, worker's core, ...)
    # are checked against what the environment holds.
    subprocess.run([sys.executable, "-m", "pip", "check"], check=True)

    # Every portion of the parviraptor namespace must come from the
    # environment, none from packages/*/src.
    sources = (Path(__file__).resolve().parent.parent / "packages").as_posix()
    parviraptor = importlib.import_module("parviraptor")
    portions = [Path(p).resolve().as_posix() for p in parviraptor.__path__]
    from_sources = [p for p in portions if p.startswith(sources)]
    if from_sources:
        print(
            "ERROR: parviraptor is imported from the source trees "
            f"{from_sources}, not from the installed wheels.",
            file=sys.stderr,
        )
        return 1
    print(f"parviraptor wheels installed: {', '.join(portions)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
