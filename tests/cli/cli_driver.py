"""Running the command line as a user does (click's CliRunner) and reading the project back.

A module of its own (test modules import it by name, as the ui tests do window_driver).
"""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from annotator.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def rows(path, sql: str) -> list[tuple]:
    """Rows of ``sql`` through a connection of its own: only what was committed to the file."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()
