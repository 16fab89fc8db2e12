"""Project.interrupt: another thread stops the query a project's connection runs (the window
closing while View > Layers counts on a connection of its own)."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from annotator.store import Project

# Counts to a billion: minutes, unless interrupted.
ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) FROM n"


def test_project_interrupt_stops_a_running_query_from_another_thread(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    opened: list[Project] = []
    outcome: list[object] = []
    ready = threading.Event()

    def run() -> None:  # as a job does: a project of its own, opened on its own thread
        with Project.open(path, check=False, read_only=True) as project:
            opened.append(project)
            ready.set()
            try:
                project.db.execute(ENDLESS).fetchall()
            except sqlite3.OperationalError as exc:
                outcome.append(exc)
            outcome.append(project.document_count())  # the connection works on afterwards

    thread = threading.Thread(target=run)
    thread.start()
    assert ready.wait(10)
    while thread.is_alive() and not outcome:  # until the query has started and stopped
        opened[0].interrupt()
        thread.join(0.05)
    thread.join(10)
    assert not thread.is_alive()
    assert len(outcome) == 2 and "interrupt" in str(outcome[0]) and outcome[1] == 0


def test_project_interrupt_of_a_closed_project_does_nothing(tmp_path):
    path = tmp_path / "p.annotator"
    project = Project.create(path)
    project.close()
    project.interrupt()  # no query, no connection: nothing to stop, no error
    with pytest.raises(sqlite3.ProgrammingError):
        project.db.execute("SELECT 1")
