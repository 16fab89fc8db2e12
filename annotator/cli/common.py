"""What every command shares: exit codes, failing with a message, opening a project."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from ..store import Project, ProjectError

EXIT_INPUT = 2  # bad input: a refused file, a bad scheme, a bad option value
EXIT_PROJECT = 3  # the project file cannot be used


def fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def open_or_exit(path: str, *, create: bool = False) -> Project:
    try:
        return Project.open(path, create=create)
    except ProjectError as exc:
        fail(f"error: {exc}", EXIT_PROJECT)
        raise  # unreachable; keeps type checkers calm


def progress_line() -> tuple[Callable[[int, int, str], None], Callable[[], None]]:
    """A live progress line on a terminal, nothing in logs and pipes: (report, clear)."""
    live = sys.stderr.isatty()

    def report(done: int, total: int, message: str) -> None:
        if live:
            click.echo(f"\r{message[:70]:<70}", err=True, nl=False)

    def clear() -> None:
        if live:
            click.echo(f"\r{'':<70}\r", err=True, nl=False)

    return report, clear
