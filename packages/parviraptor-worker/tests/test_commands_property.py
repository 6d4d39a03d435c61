"""The worker's management commands against generated command lines.

test_commands.py checks 15 bad command lines chosen by hand. Here hypothesis
generates them: unknown app labels and model names (any text, unicode, line
breaks, empty, dotted), models that are no job queue, numbers that are no
number, zero, negative, nan, inf or huge, unknown options, missing and extra
positionals. Each such command line must end as the commands promise (see
``parviraptor.worker.cli``): exactly one line on stderr, in one of the two
documented forms, a non-zero exit status, no traceback, nothing on stdout,
and no change to any row of the database. Companion properties check that
valid numbers are accepted, so that the validators do not simply reject
everything.

The command lines run in this process, the way ``manage.py`` runs them
(``ManagementUtility.fetch_command(...).run_from_argv(argv)``, with stdout,
stderr and the log captured): an exception that leaves ``run_from_argv``
would be a traceback on a real command line. A subprocess costs about half a
second, so only ``test_in_process_runs_are_what_manage_py_prints`` starts
real ``manage.py`` processes, to show that both ways print the same.
"""

from __future__ import annotations

import functools
import io
import logging
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import ManagementUtility
from django.db import connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parviraptor.models import AbstractJob, JobStatus
from parviraptor.worker.cli import (
    MAX_CONCURRENCY,
    MAX_DAYS,
    MAX_POLL_INTERVAL,
    MAX_ROWS,
)
from parviraptor.worker.models import QueueLock, WorkerHeartbeat

from testproject.jobs.models import KeyedJob

CLEAN_COMMANDS = ("clean_old_processed_jobs", "clean_old_finished_jobs")

JOB_MODELS = [model for model in apps.get_models() if issubclass(model, AbstractJob)]
JOB_TARGETS = sorted((m._meta.app_label, m.__name__) for m in JOB_MODELS)
NOT_JOB_TARGETS = sorted(
    (m._meta.app_label, m.__name__)
    for m in apps.get_models()
    if not issubclass(m, AbstractJob)
)
# The apps' models by lower-case name, as AppConfig.get_model() looks them up.
MODELS_BY_APP = {config.label: set(config.models) for config in apps.get_app_configs()}
JOB_LABELS = {(app, name.lower()) for app, name in JOB_TARGETS}

# What str.splitlines() breaks a line at: each is a way to get a second line.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# Bytes that are no UTF-8, as Python decodes them from argv (surrogateescape).
UNDECODABLE = "\udcff\udcfe\udc80"

IN_PROCESS = settings(
    max_examples=150,
    deadline=None,
    database=None,  # no example database: a failing example is printed
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


# --- running a command line -----------------------------------------------------


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class BadInputWasAccepted(Exception):
    """Raised instead of starting the worker pool for a bad command line."""


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    escaped: str | None  # traceback of an exception that left the command


def _close_worker_threads_connections(
    close_all: Callable[[], None],
) -> Callable[[], None]:
    """``connections.close_all`` that spares the main thread's connection: in
    the test's transaction, closing it would end the test's database access."""

    def close() -> None:
        if threading.current_thread() is not threading.main_thread():
            close_all()

    return close


def run_command_line(*argv: str) -> Run:
    """``manage.py <argv>`` in this process, as manage.py runs it."""
    out, err = io.StringIO(), io.StringIO()
    log = logging.StreamHandler(err)
    log.setLevel(logging.WARNING)
    signals = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    full_argv = ["manage.py", *argv]
    returncode, escaped = 0, None
    logging.getLogger().addHandler(log)
    try:
        with (
            redirect_stdout(out),
            redirect_stderr(err),
            mock.patch.object(
                connections,
                "close_all",
                _close_worker_threads_connections(connections.close_all),
            ),
        ):
            try:
                command = ManagementUtility(full_argv).fetch_command(argv[0])
                command.run_from_argv(full_argv)
            except SystemExit as exit_:
                if exit_.code is None or isinstance(exit_.code, int):
                    returncode = exit_.code or 0
                else:  # sys.exit("message"): printed, status 1
                    print(exit_.code, file=err)
                    returncode = 1
            except Exception:
                escaped = traceback.format_exc()
                returncode = 1
    finally:
        logging.getLogger().removeHandler(log)
        for signum, handler in signals.items():  # the pool installs its own
            signal.signal(signum, handler)
    return Run(returncode, out.getvalue(), err.getvalue(), escaped)


@contextmanager
def worker_pool_refused() -> Iterator[None]:
    """A bad command line that got as far as the pool fails fast (and does not
    run a worker until the test's timeout)."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise BadInputWasAccepted("process_queue started the worker pool")

    with mock.patch(
        "parviraptor.worker.management.commands.process_queue"
        ".run_worker_pool_for_command",
        refuse,
    ):
        yield


class _RollBack(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint rolled back afterwards: every example starts from the same
    rows, even after a command that did change something."""
    try:
        with transaction.atomic():
            yield
            raise _RollBack
    except _RollBack:
        pass


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
    }


@pytest.fixture
def seeded(db: None) -> None:
    """Rows every command would change if it ran: old PROCESSED jobs (clean-up)
    and NEW jobs (a worker) in every queue, a stale heartbeat (recovery), a
    queue lock and a user."""
    long_ago = timezone.now() - timedelta(days=60)
    statuses = [JobStatus.PROCESSED] * 3 + [JobStatus.NEW] * 2
    for model in JOB_MODELS:
        model.objects.bulk_create(
            model(
                status=status,
                **({"shop": 1, "product": i} if model is KeyedJob else {}),
            )
            for i, status in enumerate(statuses)
        )
        model.objects.filter(status=JobStatus.PROCESSED).update(
            modification_date=long_ago
        )
    WorkerHeartbeat.objects.create(
        worker_id="gone:1:0/0",
        queue="jobs.KeyedJob",
        hostname="gone",
        pid=1,
        started_at=long_ago,
        last_seen=long_ago,
    )
    QueueLock.objects.create(queue="jobs.KeyedJob")
    User.objects.create_user("hypothesis")


# --- strategies -----------------------------------------------------------------

words = st.text(
    st.characters(exclude_characters="\x00")
    | st.sampled_from(LINE_BREAKS + UNDECODABLE + ".-_= "),
    max_size=20,
)
# Positional arguments: argparse takes words beginning with "-" for options.
positional_words = words.filter(lambda word: not word.startswith("-"))
case_changes = st.sampled_from([str, str.lower, str.upper, str.swapcase])


def is_count(text: str, maximum: int) -> bool:
    try:
        return 1 <= int(text) <= maximum
    except ValueError:
        return False


def is_day_count(text: str) -> bool:
    try:
        return 0 <= int(text) <= MAX_DAYS
    except ValueError:
        return False


def is_seconds(text: str) -> bool:
    try:
        return 0 < float(text) <= MAX_POLL_INTERVAL
    except ValueError:
        return False


def is_job_label(label: str) -> bool:
    app, _, model = label.partition(".")
    return (app, model.lower()) in JOB_LABELS


def valid_counts(maximum: int) -> st.SearchStrategy[str]:
    return st.builds(
        str.format,
        st.sampled_from(["{}", "+{}", " {} ", "0{}"]),
        st.integers(1, maximum),
    )


valid_seconds = st.one_of(
    st.floats(0, MAX_POLL_INTERVAL, exclude_min=True).map(repr),
    st.integers(1, int(MAX_POLL_INTERVAL)).map(str),
    st.sampled_from(["1e-3", ".5", "86400.0", "5e-324"]),
)


def bad_counts(maximum: int) -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(max_value=0).map(str),
        st.integers(maximum + 1, 10**30).map(str),
        st.floats().map(repr),
        st.sampled_from(["", " ", "1.5", "1e3", "0x10", "1,000", "one", "9" * 5000]),
        words,
    ).filter(lambda text: not is_count(text, maximum))


bad_seconds = st.one_of(
    st.floats(max_value=0).map(repr),
    st.floats(min_value=MAX_POLL_INTERVAL, exclude_min=True).map(repr),
    st.integers(max_value=0).map(str),
    st.sampled_from(
        ["nan", "-nan", "inf", "Infinity", "-inf", "1e999", "-0", "", "1,5", "0x1p3"]
    ),
    words,
).filter(lambda text: not is_seconds(text))

unknown_apps = st.one_of(
    st.sampled_from(
        ["JOBS", "job", " jobs", "jobs.", "testproject.jobs", "parviraptor.worker"]
    ),
    positional_words,
).filter(lambda label: label not in MODELS_BY_APP)


def unknown_models(app: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["KeyedJobs", "KeyedJob ", "jobs.KeyedJob", "AbstractJob"]),
        positional_words,
    ).filter(lambda name: name.lower() not in MODELS_BY_APP[app])


@functools.cache
def unknown_options(command: str) -> st.SearchStrategy[str]:
    """Options the command does not know, and that abbreviate none it knows
    (argparse takes ``--con`` for ``--concurrency``)."""
    known = set(parser_for(command)._option_string_actions)

    def unknown(option: str) -> bool:
        name = option.partition("=")[0]
        if is_day_count(option):  # "-0": argparse takes it for a number, an age
            return False
        return not any(known_option.startswith(name) for known_option in known)

    return st.one_of(
        st.sampled_from(
            ["--concurency", "--until_empty", "--batchsize", "--dryrun", "--queues"]
        ),
        st.builds(
            "--{}{}".format,
            words.filter(lambda word: word and not word.startswith("-")),
            st.just("") | words.map("={}".format),
        ),
        st.builds(
            "-{}{}".format,
            st.characters(exclude_characters="\x00-vh"),
            words,
        ),
    ).filter(unknown)


def parser_for(command: str) -> Any:
    return (
        ManagementUtility(["manage.py"])
        .fetch_command(command)
        .create_parser("manage.py", command)
    )


def option(name: str, value: str) -> st.SearchStrategy[list[str]]:
    """``--name value`` or ``--name=value``."""
    return st.sampled_from([[name, value], [f"{name}={value}"]])


@st.composite
def optional_groups(
    draw: st.DrawFn, groups: dict[str, st.SearchStrategy[list[str]]]
) -> list[list[str]]:
    """Some of ``groups`` (each a list of arguments), in any order."""
    chosen = draw(st.lists(st.sampled_from(sorted(groups)), unique=True))
    return [draw(groups[name]) for name in chosen]


def common_groups() -> dict[str, st.SearchStrategy[list[str]]]:
    return {
        "verbosity": st.sampled_from("0123").flatmap(lambda v: option("-v", v)),
        "skip-checks": st.just(["--skip-checks"]),
        "no-color": st.just(["--no-color"]),
    }


def process_queue_groups(
    concurrency: int = MAX_CONCURRENCY,
    seconds: st.SearchStrategy[str] = valid_seconds,
) -> dict[str, st.SearchStrategy[list[str]]]:
    return {
        **common_groups(),
        "until-empty": st.just(["--until-empty"]),
        "concurrency": valid_counts(concurrency).flatmap(
            lambda v: option("--concurrency", v)
        ),
        "batch-size": valid_counts(MAX_ROWS).flatmap(
            lambda v: option("--batch-size", v)
        ),
        "poll-interval": seconds.flatmap(lambda v: option("--poll-interval", v)),
    }


def clean_groups() -> dict[str, st.SearchStrategy[list[str]]]:
    return {
        **common_groups(),
        "dry-run": st.just(["--dry-run"]),
        "chunk-size": valid_counts(MAX_ROWS).flatmap(
            lambda v: option("--chunk-size", v)
        ),
    }


job_labels = st.builds(
    lambda target, change: f"{target[0]}.{change(target[1])}",
    st.sampled_from(JOB_TARGETS),
    st.sampled_from([str, str.lower]),
)


@dataclass(frozen=True)
class BadLine:
    """A bad command line, and what its one line of error must mention."""

    argv: list[str]
    mentions: str | None = None


def _flat(groups: list[list[str]]) -> list[str]:
    return [argument for group in groups for argument in group]


@st.composite
def bad_process_queue_lines(draw: st.DrawFn) -> BadLine:
    app, model = draw(st.sampled_from(JOB_TARGETS))
    positionals = [app, draw(st.sampled_from([str, str.lower]))(model)]
    groups = draw(optional_groups(process_queue_groups()))
    where = draw(st.integers(0, len(groups)))
    mentions = None
    fault = draw(
        st.sampled_from(
            [
                "unknown app",
                "unknown model",
                "no job queue",
                "missing positional",
                "extra positional",
                "bad number",
                "missing value",
                "unknown option",
            ]
        )
    )
    if fault == "unknown app":
        positionals = [draw(unknown_apps), draw(positional_words)]
        mentions = repr(positionals[0])
    elif fault == "unknown model":
        app = draw(st.sampled_from(sorted(MODELS_BY_APP)))
        positionals = [app, draw(unknown_models(app))]
        mentions = repr(positionals[1])
    elif fault == "no job queue":
        app, model = draw(st.sampled_from(NOT_JOB_TARGETS))
        positionals = [app, draw(case_changes)(model)]
        mentions = "not a job queue"
    elif fault == "missing positional":
        positionals = draw(st.sampled_from([[], [app], [model], [f"{app}.{model}"]]))
        mentions = "model_name"
    elif fault == "extra positional":
        positionals += draw(st.lists(positional_words, min_size=1, max_size=3))
    elif fault in ("bad number", "missing value"):
        name, bad_values = draw(
            st.sampled_from(
                [
                    ("--concurrency", bad_counts(MAX_CONCURRENCY)),
                    ("--batch-size", bad_counts(MAX_ROWS)),
                    ("--poll-interval", bad_seconds),
                ]
            )
        )
        if fault == "bad number":
            groups.insert(where, draw(option(name, draw(bad_values))))
        else:
            groups.append([name])
        mentions = name
    else:
        groups.insert(where, [draw(unknown_options("process_queue"))])
    return BadLine(["process_queue", *positionals, *_flat(groups)], mentions)


@st.composite
def bad_clean_lines(draw: st.DrawFn) -> BadLine:
    command = draw(st.sampled_from(CLEAN_COMMANDS))
    groups = draw(optional_groups(clean_groups()))
    queue = job_labels.flatmap(lambda label: option("--queue", label))
    which = draw(st.just(["--all-queues"]) | queue)
    mentions = None
    fault = draw(
        st.sampled_from(
            [
                "neither",
                "both",
                "bad label",
                "bad number",
                "missing value",
                "positional",
                "unknown option",
            ]
        )
    )
    if fault == "neither":
        which = []
        mentions = "--all-queues --queue"
    elif fault == "both":
        which = draw(st.permutations([["--all-queues"], draw(queue)]))
        which = _flat(which)
        mentions = "not allowed with"
    elif fault == "bad label":
        which = draw(option("--queue", draw(bad_labels)))
    groups.insert(draw(st.integers(0, len(groups))), which)
    where = draw(st.integers(0, len(groups)))
    if fault == "bad number":
        groups.insert(where, draw(option("--chunk-size", draw(bad_counts(MAX_ROWS)))))
        mentions = "--chunk-size"
    elif fault == "missing value":
        mentions = draw(st.sampled_from(["--chunk-size", "--queue"]))
        groups.append([mentions])  # last: nothing after it to take as its value
    elif fault == "positional":  # clean_old_finished_jobs takes one: an age in days
        extra = st.lists(positional_words, min_size=1, max_size=3).filter(
            lambda words: len(words) > 1 or not is_day_count(words[0])
        )
        groups.insert(where, draw(extra))
    elif fault == "unknown option":
        groups.insert(where, [draw(unknown_options(command))])
    return BadLine([command, *_flat(groups)], mentions)


bad_labels = st.one_of(
    words.filter(lambda text: "." not in text),
    st.sampled_from(
        [
            ".",
            "..",
            "jobs.",
            ".KeyedJob",
            "jobs.KeyedJob.",
            "JOBS.KeyedJob",
            "testproject.jobs.KeyedJob",
            "jobs/KeyedJob",
            "jobs KeyedJob",
        ]
    ),
    st.builds("{}.{}".format, unknown_apps, words),
    st.sampled_from(sorted(MODELS_BY_APP)).flatmap(
        lambda app: unknown_models(app).map(f"{app}.{{}}".format)
    ),
    st.sampled_from(NOT_JOB_TARGETS).map(".".join),
    words,
).filter(lambda label: not is_job_label(label))


# --- the properties -------------------------------------------------------------


def assert_rejected(run: Run, line: BadLine) -> None:
    """One line on stderr in a documented form, a failure, no traceback."""
    assert run.escaped is None, f"a traceback on the command line:\n{run.escaped}"
    assert run.returncode != 0, f"exit 0 for a bad command line: {run}"
    assert "Traceback" not in run.stderr, run.stderr
    assert len(run.stderr.splitlines()) == 1, run.stderr
    error = run.stderr.rstrip("\n")
    if run.returncode == 2:  # argparse
        assert error.startswith(f"manage.py {line.argv[0]}: error: "), error
    else:
        assert run.returncode == 1, run
        assert error.startswith("CommandError: "), error
    if line.mentions is not None:
        assert line.mentions in error, error
    assert run.stdout == "", run.stdout


def check_bad_line(line: BadLine) -> None:
    with rolled_back(), worker_pool_refused():
        before = snapshot()
        run = run_command_line(*line.argv)
        assert_rejected(run, line)
        assert snapshot() == before, "a bad command line changed the database"


# Command lines that showed bugs, since fixed: huge numbers were accepted, then
# started threads without end, waited beyond the clock's range (a traceback)
# or asked for a LIMIT beyond the database's integers (a traceback); a line
# break in an unknown argument was printed as it was (a second line); and
# ``--queue ""`` cleaned up every queue, with exit status 0.
HUGE_CONCURRENCY = ["process_queue", "jobs", "KeyedJob", "--concurrency", "9" * 20]
HUGE_POLL_INTERVAL = ["process_queue", "jobs", "FifoJob", "--poll-interval", "1e300"]
LINE_BREAK_OPTION = ["process_queue", "jobs", "KeyedJob", "--until-empty", "--x\ny"]
HUGE_CHUNK_SIZE = ["clean_old_processed_jobs", "--all-queues", "--chunk-size", "9" * 20]
EMPTY_QUEUE = ["clean_old_processed_jobs", "--queue", ""]
LINE_BREAK_ARGUMENT = ["clean_old_finished_jobs", "--queue", "jobs.FifoJob", "a\u2028b"]
# clean_old_finished_jobs takes an age in days: none below 0, none absurd.
NEGATIVE_DAYS = ["clean_old_finished_jobs", "-1", "--all-queues"]
HUGE_DAYS = ["clean_old_finished_jobs", "9" * 20, "--all-queues"]


@IN_PROCESS
@given(line=bad_process_queue_lines())
@example(line=BadLine(HUGE_CONCURRENCY, "--concurrency"))
@example(line=BadLine(HUGE_POLL_INTERVAL, "--poll-interval"))
@example(line=BadLine(LINE_BREAK_OPTION, "--x\\ny"))
def test_a_bad_process_queue_line_fails_in_one_line_and_changes_nothing(
    seeded: None, line: BadLine
) -> None:
    check_bad_line(line)


@IN_PROCESS
@given(line=bad_clean_lines())
@example(line=BadLine(HUGE_CHUNK_SIZE, "--chunk-size"))
@example(line=BadLine(EMPTY_QUEUE, "--queue ''"))
@example(line=BadLine(LINE_BREAK_ARGUMENT, "a\\u2028b"))
@example(line=BadLine(NEGATIVE_DAYS, "must be at least 0"))
@example(line=BadLine(HUGE_DAYS, f"must be at most {MAX_DAYS}"))
def test_a_bad_clean_up_line_fails_in_one_line_and_changes_nothing(
    seeded: None, line: BadLine
) -> None:
    check_bad_line(line)


def _number(name: str, text: str) -> float:
    return float(text) if name == "--poll-interval" else int(text)


@settings(max_examples=200, deadline=None, database=None)
@given(
    line=st.one_of(
        st.tuples(
            st.just("process_queue"),
            st.just(["jobs", "KeyedJob"]),
            optional_groups(process_queue_groups()),
        ),
        st.tuples(
            st.sampled_from(CLEAN_COMMANDS),
            st.sampled_from([["--all-queues"], ["--queue", "jobs.FifoJob"]]),
            optional_groups(clean_groups()),
        ),
    )
)
def test_valid_numbers_are_accepted_as_they_are(
    line: tuple[str, list[str], list[list[str]]],
) -> None:
    command, required, groups = line
    parser = parser_for(command)
    options = vars(parser.parse_args([*required, *_flat(groups)]))
    for group in groups:
        name, _, value = "=".join(group).partition("=")
        dest = parser._option_string_actions[name].dest
        assert options[dest] == (_number(name, value) if value else True), group


@pytest.mark.django_db(transaction=True)
@settings(IN_PROCESS, max_examples=20)
@given(
    target=st.sampled_from(JOB_TARGETS),
    groups=optional_groups(
        {
            name: strategy
            for name, strategy in process_queue_groups(
                concurrency=3,  # threads: keep it cheap
                seconds=st.floats(0, 1, exclude_min=True).map(repr),
            ).items()
            if name != "until-empty"
        }
    ),
)
def test_process_queue_until_empty_with_valid_options_exits_0(
    target: tuple[str, str], groups: list[list[str]]
) -> None:
    """The whole command, worker pool included, on an empty queue."""
    run = run_command_line("process_queue", *target, "--until-empty", *_flat(groups))
    assert run.escaped is None, run.escaped
    assert (run.returncode, run.stderr) == (0, ""), run
    quiet = ["-v", "0"] in groups or ["-v=0"] in groups
    label = ".".join(target)
    assert run.stdout == ("" if quiet else f"{label}: 0 jobs processed\n")


def is_job_label_of(label: str, model: type) -> bool:
    app, _, name = label.partition(".")
    return (app, name.lower()) == (model._meta.app_label, model.__name__.lower())


@settings(IN_PROCESS, max_examples=50)
@given(
    command=st.sampled_from(CLEAN_COMMANDS),
    which=st.just(["--all-queues"]) | job_labels.map(lambda label: ["--queue", label]),
    groups=optional_groups(clean_groups()),
)
def test_a_clean_up_dry_run_with_valid_options_exits_0_and_deletes_nothing(
    seeded: None, command: str, which: list[str], groups: list[list[str]]
) -> None:
    with rolled_back():
        before = snapshot()
        run = run_command_line(command, *which, "--dry-run", *_flat(groups))
        assert snapshot() == before
    assert run.escaped is None, run.escaped
    assert (run.returncode, run.stderr) == (0, ""), run
    if which == ["--all-queues"]:
        labels = [model._meta.label for model in JOB_MODELS]
    else:
        labels = [
            model._meta.label
            for model in JOB_MODELS
            if is_job_label_of(which[1], model)
        ]
    assert [line.partition(":")[0] for line in run.stdout.splitlines()] == labels


def _as_printed(text: str) -> str:
    """``text`` as a real stderr prints it (undecodable bytes escaped)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@pytest.mark.slow
@settings(IN_PROCESS, max_examples=12)
@given(line=st.one_of(bad_process_queue_lines(), bad_clean_lines()))
def test_in_process_runs_are_what_manage_py_prints(
    db: None, manage_runner: Any, line: BadLine
) -> None:
    """The in-process runs above stand for real command lines: a subprocess
    of manage.py prints the same and ends with the same status."""
    with rolled_back(), worker_pool_refused():
        in_process = run_command_line(*line.argv)
    assert_rejected(in_process, line)
    real = manage_runner(*line.argv, timeout=60)
    assert "Traceback" not in real.stderr, real.stderr
    assert (real.returncode, real.stderr, real.stdout) == (
        in_process.returncode,
        _as_printed(in_process.stderr),
        in_process.stdout,
    )
