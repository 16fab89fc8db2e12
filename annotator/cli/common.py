"""What every command shares: exit codes, failing with a message, opening a project.

Reading commands (stats, export, listing labels) open the project for reading: that works on
read-only media and full disks and changes nothing. Writing commands take the project's
editing lock for as long as they run, as a window does: a window that has the project open
for editing is named and the command stops (or waits, with ``--wait``); another writing
command is waited for, saying so.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from ..store import Project, ProjectError
from ..store.project import BUSY_TIMEOUT

EXIT_INPUT = 2  # bad input: a refused file, a bad scheme, a bad option value
EXIT_PROJECT = 3  # the project file cannot be used


def fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def comma_names(value: str | None, option: str) -> tuple[str, ...] | None:
    """``--annotators a,b``-style values: the names, or None when the option was not given; an
    empty name exits 2."""
    if value is None:
        return None
    names = tuple(part.strip() for part in value.split(","))
    if not all(names):
        fail(f"error: {option}: an empty name in {value!r} (give names separated by commas)", EXIT_INPUT)
    return names


def wait_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--wait SECONDS`` for a writing command."""
    return click.option(
        "--wait", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
        help="How long to wait for whoever is changing the project: a window that has it open for editing "
             "(default: do not wait) or another command such as a second import (default: until it is done). "
             "0: never wait.")(command)


def open_or_exit(path: str, *, create: bool = False) -> Project:
    """Open for writing without the editing lock (for callers that hold it some other way)."""
    try:
        return Project.open(path, create=create)
    except ProjectError as exc:
        fail(f"error: {exc}", EXIT_PROJECT)
        raise  # unreachable; keeps type checkers calm


def open_for_reading(path: str, *, check: bool = True) -> Project:
    """Open for reading; exit 3 with one line if that fails. ``check=False``: no integrity check
    of a file not known sound (for a command that reads a few indexes, see ``stats``)."""
    try:
        return Project.open(path, read_only=True, check=check)
    except ProjectError as exc:
        fail(f"error: {exc}", EXIT_PROJECT)
        raise


def open_for_writing(path: str, command: str, *, wait: float | None = None, create: bool = False,
                     check: bool = True, lock: bool = True) -> Project:
    """Open and take the editing lock as ``annotator COMMAND``; exit 3 with one line if either fails.

    ``lock=False``: a child process of a window, which holds the lock for it.
    """
    # SQLite's own wait for a write in progress (another program's, or a window's heartbeat).
    timeout = BUSY_TIMEOUT if wait is None else max(0.5, wait)
    try:
        project = Project.open(path, create=create, check=check, timeout=timeout)
    except ProjectError as exc:
        fail(f"error: {exc}", EXIT_PROJECT)
        raise
    if not lock:
        return project
    try:
        project.acquire_lock_waiting(f"annotator {command}", wait=wait,
                                     notify=lambda message: click.echo(message, err=True))
    except ProjectError as exc:
        project.close()
        fail(f"error: {exc}", EXIT_PROJECT)
    return project


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
