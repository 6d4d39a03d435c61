"""``python -m compat``: the differential check against the original parviraptor.

python -m compat run [--db mariadb,postgres] [--targets orig2,orig4,ours]
python -m compat readme [--check]
"""

from __future__ import annotations

import argparse
import sys

from compat import readme
from compat.differences import DifferenceListError, load
from compat.runner import DIFFERENCES, README, Options, run
from compat.targets import TARGETS, by_name

DATABASES = ("mariadb", "postgres")


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m compat", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser(
        "run", help="observe, diff, fail on unlisted differences"
    )
    run_parser.add_argument(
        "--db", default=",".join(DATABASES), help="mariadb,postgres"
    )
    run_parser.add_argument("--targets", default=",".join(t.name for t in TARGETS))
    run_parser.add_argument(
        "--parallel", type=int, default=3, help="observers at a time"
    )
    run_parser.add_argument(
        "--only", default="", help="comma-separated scenarios (no stale check)"
    )
    run_parser.add_argument("--keep-databases", action="store_true")
    readme_parser = commands.add_parser(
        "readme", help="write the README's list of differences"
    )
    readme_parser.add_argument(
        "--check", action="store_true", help="only check it is current"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "readme":
            return _readme(args.check)
        return run(_options(parser, args))
    except (DifferenceListError, readme.ReadmeError, ValueError) as exc:
        print(f"compat: {exc}", file=sys.stderr)
        return 2


def _options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Options:
    databases = _list(args.db)
    unknown = [d for d in databases if d not in DATABASES]
    if unknown:
        parser.error(
            f"unknown database(s) {unknown}; choose from {', '.join(DATABASES)}"
        )
    targets = [by_name(name) for name in _list(args.targets)]
    if not any(t.from_wheels for t in targets) or all(t.from_wheels for t in targets):
        parser.error("--targets needs ours and at least one original")
    return Options(targets, databases, args.parallel, args.only, args.keep_databases)


def _readme(check: bool) -> int:
    entries = load(DIFFERENCES)
    if check:
        if readme.is_current(README, entries):
            return 0
        print(
            "README.md's list of intended differences is out of date: run `just compat-readme`"
        )
        return 1
    changed = readme.update(README, entries)
    print("README.md updated" if changed else "README.md is current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
