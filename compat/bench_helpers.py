"""The test helpers' speed next to the original's: ``InfinityLoopFreeQueueWorker``.

    python compat/bench_helpers.py [--db mysql|postgres|sqlite] [--jobs 3000]
        [--repeats 5] [--kind independent|fifo|per-key]
        [--orig-python PYTHON] [--ours-python PYTHON]

Downstream test suites drain their queues with
``InfinityLoopFreeQueueWorker(Job).run()``; ours must be at least as fast as
the original's. Each implementation runs in a subprocess of its own Python
(the original's venv: ``--orig-python``, by default the 4.1 venv that
``just compat`` caches in ``.compat-venvs/orig4``, else
``/work/venvs/orig4``; and ours: this interpreter unless ``--ours-python``),
in a small Django project written to a temporary directory: one app per
implementation, both in the same database. A run enqueues ``--jobs`` no-op
jobs, times one ``run()`` and checks that every job is PROCESSED. The two
implementations take turns, so that a drifting machine load hits both alike;
the medians of ``--repeats`` runs are printed, with their ratio.

The database is ``<PARVIRAPTOR_TEST_DB_PREFIX>parviraptor_bench_helpers``,
dropped and created anew (MariaDB/MySQL at 127.0.0.1:3306 as root,
PostgreSQL at 127.0.0.1:5432 as postgres, or an SQLite file).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMPAT_CACHE = Path(
    os.environ.get("PARVIRAPTOR_COMPAT_CACHE") or REPO / ".compat-venvs"
)
ORIG_PYTHONS = (COMPAT_CACHE / "orig4/bin/python", Path("/work/venvs/orig4/bin/python"))

MODELS = """
from django.db import models
from parviraptor.models import AbstractJobFactory

DEPENDENT_FIELDS = {fields!r}


class NoopJob(AbstractJobFactory.make_base_class(DEPENDENT_FIELDS)):
    key = models.IntegerField(default=0)

    def process(self):
        pass
"""

FIELDS_OF_KIND = {"independent": None, "fifo": [], "per-key": ["key"]}


# --- the child: one timed drain, inside the implementation's own Python ------


def database_settings(db: str, name: str, workdir: str) -> dict:
    if db == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(workdir, f"{name}.sqlite3"),
        }
    if db == "postgres":
        engine, port, user = "django.db.backends.postgresql", 5432, "postgres"
    else:
        engine, port, user = "django.db.backends.mysql", 3306, "root"
    return {
        "ENGINE": engine,
        "HOST": "127.0.0.1",
        "PORT": port,
        "USER": user,
        "PASSWORD": "",
        "NAME": name,
    }


def setup_django(args: argparse.Namespace) -> None:
    sys.path.insert(0, args.workdir)
    import django
    from django.conf import settings

    apps = ["parviraptor"]
    if args.impl == "ours":
        apps.append("parviraptor.worker")
    settings.configure(
        INSTALLED_APPS=[*apps, f"bench_{args.impl}"],
        DATABASES={"default": database_settings(args.db, args.name, args.workdir)},
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        LOGGING_CONFIG=None,
    )
    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)


def child(args: argparse.Namespace) -> None:
    """Enqueue, time one drain, verify, clean up; print the result as JSON."""
    setup_django(args)
    from django.apps import apps

    from parviraptor.test.worker import InfinityLoopFreeQueueWorker

    job_class = apps.get_model(f"bench_{args.impl}", "NoopJob")
    job_class.objects.all().delete()
    keys = max(1, args.jobs // 30)
    job_class.objects.bulk_create(
        [job_class(key=i % keys) for i in range(args.jobs)], batch_size=1000
    )
    started = time.perf_counter()
    InfinityLoopFreeQueueWorker(job_class).run()
    elapsed = time.perf_counter() - started
    statuses = sorted(set(job_class.objects.values_list("status", flat=True)))
    job_class.objects.all().delete()
    print(json.dumps({"seconds": elapsed, "statuses": statuses}))


# --- the parent: set up, take turns, report -----------------------------------


def fresh_database(db: str, name: str, workdir: str) -> None:
    """Drop and create the benchmark's database (a new file on SQLite)."""
    if db == "sqlite":
        return
    if db == "postgres":
        sql = [f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"']
        for statement in sql:
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", statement],
                check=True,
            )
        return
    sql = f"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`"
    subprocess.run(["mysql", "-h", "127.0.0.1", "-uroot", "-e", sql], check=True)


def write_project(workdir: str, kind: str) -> None:
    for impl in ("orig", "ours"):
        app = Path(workdir, f"bench_{impl}")
        app.mkdir()
        (app / "__init__.py").write_text("")
        models = MODELS.format(fields=FIELDS_OF_KIND[kind])
        (app / "models.py").write_text(textwrap.dedent(models))


def run_child(python: str, impl: str, args: argparse.Namespace, workdir: str) -> float:
    argv = [
        python,
        os.path.abspath(__file__),
        "--child",
        impl,
        "--workdir",
        workdir,
        "--name",
        args.name,
        "--db",
        args.db,
        "--jobs",
        str(args.jobs),
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{impl} run failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["statuses"] != ["PROCESSED"]:
        raise SystemExit(f"{impl}: jobs left in {result['statuses']}")
    return args.jobs / result["seconds"]


def version_of(python: str) -> str:
    code = "import importlib.metadata as m; print(m.version('parviraptor'))"
    probe = [python, "-c", code]
    done = subprocess.run(probe, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return done.stdout.strip()
    probe[-1] = code.replace("'parviraptor'", "'parviraptor-testing'")
    done = subprocess.run(probe, capture_output=True, text=True, check=False)
    return f"testing {done.stdout.strip()}" if done.returncode == 0 else "?"


def original_python(given: str | None) -> str:
    """``--orig-python``, or the first venv of the original 4.1 found."""
    if given:
        return given
    for python in ORIG_PYTHONS:
        if python.exists():
            return str(python)
    raise SystemExit(
        "no venv with the original parviraptor: run `just compat` once (it "
        "caches one in .compat-venvs/) or pass --orig-python"
    )


def parent(args: argparse.Namespace) -> int:
    prefix = os.environ.get("PARVIRAPTOR_TEST_DB_PREFIX", "")
    args.name = f"{prefix}parviraptor_bench_helpers"
    pythons = {"orig": original_python(args.orig_python), "ours": args.ours_python}
    rates: dict[str, list[float]] = {"orig": [], "ours": []}
    with tempfile.TemporaryDirectory(prefix="bench-helpers-") as workdir:
        write_project(workdir, args.kind)
        fresh_database(args.db, args.name, workdir)
        for _ in range(args.repeats):
            for impl, python in pythons.items():
                rates[impl].append(run_child(python, impl, args, workdir))
    print(
        f"InfinityLoopFreeQueueWorker(Job).run(): {args.jobs} no-op jobs, "
        f"{args.kind} queue, {args.db}, median of {args.repeats}"
    )
    medians = {impl: statistics.median(values) for impl, values in rates.items()}
    for impl, python in pythons.items():
        runs = ", ".join(f"{rate:.0f}" for rate in rates[impl])
        print(
            f"  {impl:4} ({version_of(python)}): {medians[impl]:7.0f} jobs/s  [{runs}]"
        )
    print(f"  ours / original: {medians['ours'] / medians['orig']:.2f}")
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", choices=["mysql", "postgres", "sqlite"], default="mysql"
    )
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--kind", choices=sorted(FIELDS_OF_KIND), default="independent")
    parser.add_argument("--orig-python", help="the Python of a venv with the original")
    parser.add_argument("--ours-python", default=sys.executable)
    parser.add_argument("--child", choices=["orig", "ours"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--name", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.child:
        args.impl = args.child
        child(args)
        return 0
    return parent(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
