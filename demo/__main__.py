"""``python -m demo [run|web] [options]``: the command line of the demo.

Without ``--no-venv`` it first makes sure ``.demo-venv/`` is up to date and
runs itself again with that virtualenv's interpreter; everything that needs
Django or ``rich`` is imported only after that.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from demo import REPO_ROOT, setup_env


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description="Run the example shop's job queues under load, with live "
        "progress and a summary (run), or serve the dashboard on the demo's "
        "database (web).",
    )
    parser.add_argument("command", nargs="?", default="run", choices=["run", "web"])
    parser.add_argument(
        "--db",
        choices=sorted(setup_env.DB_REQUIREMENTS),
        default=os.environ.get("DEMO_DB", "sqlite"),
        help="sqlite (a file under .demo/) or mysql (MySQL/MariaDB at "
        "MYSQL8_HOST:MYSQL8_PORT, default 127.0.0.1:3306, user root; database "
        "parviraptor_demo); default $DEMO_DB or sqlite",
    )
    parser.add_argument(
        "--jobs", type=positive_int, default=20_000, help="jobs to enqueue (20000)"
    )
    parser.add_argument(
        "--keys",
        type=positive_int,
        default=300,
        help="products (keys of the per-key FIFO queue) at most (300)",
    )
    parser.add_argument(
        "--processes",
        type=positive_int,
        help="worker processes for each of the e-mail and product queues "
        "(SQLite: 1 and 2, MySQL: 2 each); the strict FIFO ledger gets one",
    )
    parser.add_argument(
        "--concurrency",
        type=positive_int,
        help="--concurrency of those worker processes (SQLite: 2 and 1, MySQL: 4)",
    )
    parser.add_argument(
        "--no-failures",
        action="store_true",
        help="enqueue no job that fails for good (the health text is then 'Alles OK')",
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bars, only the summary"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the summary as JSON")
    parser.add_argument(
        "--timeout",
        type=positive_int,
        default=600,
        help="give up after this many seconds of processing (600)",
    )
    parser.add_argument(
        "--no-venv",
        action="store_true",
        help="run in this Python environment, which must have the packages",
    )
    parser.add_argument(
        "--port", type=positive_int, default=8000, help="web: port to serve on (8000)"
    )
    return parser.parse_args(argv)


def use_venv(db: str, argv: Sequence[str]) -> None:
    """Bring ``.demo-venv`` up to date; unless this is its Python already,
    replace this process by it."""
    python = str(setup_env.ensure_venv(db))
    if setup_env.inside_venv():
        importlib.invalidate_caches()  # packages pip may just have added
        return
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if part
    )
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(python, [python, "-m", "demo", *argv], env)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(arguments)
    if not args.no_venv:
        use_venv(args.db, arguments)
    if args.command == "web":
        from demo.web import serve

        return serve(args)
    from demo.runner import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
