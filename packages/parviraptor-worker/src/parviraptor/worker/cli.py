"""Command-line plumbing shared by the worker's management commands.

User errors end in one line on stderr and a non-zero exit, never a
traceback: argparse errors exit 2 with ``<command>: error: ...``;
``CommandError`` exits 1 with ``CommandError: ...``.
"""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parviraptor.models import AbstractJob
from parviraptor.utils import resolve_job_model

# Upper limits of the numeric options. Larger values are typing mistakes that
# would fail later, with a traceback: threads that cannot be started, a LIMIT
# the database rejects, a wait longer than the platform's clock can represent.
MAX_CONCURRENCY = 1000
MAX_ROWS = 2**31 - 1
MAX_POLL_INTERVAL = 86400.0  # seconds: a day
MAX_DAYS = 36500  # an age in days: a century

# What ``str.splitlines()`` breaks lines at, escaped (argparse quotes the
# arguments it does not recognise as they are).
_LINE_BREAKS = {
    ord(char): char.encode("unicode_escape").decode()
    for char in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
}


def one_line(text: str) -> str:
    """``text`` with its line breaks escaped (``\\n``): one line on stderr."""
    return text.translate(_LINE_BREAKS)


class OneLineErrorParser(CommandParser):
    """A ``CommandParser`` that reports errors in one line, without usage."""

    def error(self, message: str) -> NoReturn:
        message = one_line(message)
        if getattr(self, "called_from_command_line", False):
            self.exit(2, f"{self.prog}: error: {message}\n")
        raise CommandError(f"Error: {message}")


class JobCommand(BaseCommand):
    """Base class of the worker's commands: one-line argument errors."""

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: Any
    ) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = OneLineErrorParser
        return parser


def positive_int(text: str, maximum: int = MAX_ROWS, minimum: int = 1) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least {minimum}")
    if value > maximum:
        raise argparse.ArgumentTypeError(f"{text!r} must be at most {maximum}")
    return value


def slot_count(text: str) -> int:
    """``--concurrency``: threads of one process, 1 to ``MAX_CONCURRENCY``."""
    return positive_int(text, MAX_CONCURRENCY)


def day_count(text: str) -> int:
    """An age in days, 0 to ``MAX_DAYS``."""
    return positive_int(text, MAX_DAYS, minimum=0)


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= MAX_POLL_INTERVAL:  # also rejects nan and inf
        raise argparse.ArgumentTypeError(
            f"{text!r} must be a positive number, at most {MAX_POLL_INTERVAL:g}"
        )
    return value


def job_model(app_label: str, model_name: str) -> type[AbstractJob]:
    """The job model named on the command line, or a one-line CommandError."""
    try:
        return resolve_job_model(app_label, model_name)
    except (LookupError, TypeError) as exc:
        raise CommandError(str(exc)) from None


def job_model_from_label(label: str) -> type[AbstractJob]:
    """``app_label.ModelName`` -> job model, or a one-line CommandError."""
    app_label, dot, model_name = label.partition(".")
    if not dot or not app_label or not model_name or "." in model_name:
        raise CommandError(f"--queue {label!r} is not of the form app_label.ModelName")
    return job_model(app_label, model_name)
