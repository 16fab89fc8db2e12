"""Project.stop_queries_when: a job's query stops once its Cancel is asked, whenever that is
(the window closing while View > Layers counts on a connection of its own)."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from annotator.store import Project

# Counts to a billion: minutes, unless stopped.
ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) FROM n"


@pytest.fixture
def path(tmp_path):
    location = tmp_path / "p.annotator"
    Project.create(location).close()
    return location


def test_project_stop_queries_when_stops_a_query_and_the_connection_works_on(path):
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) >= 3  # the third time it is asked

    with Project.open(path, check=False, read_only=True) as project:
        project.stop_queries_when(stop, every=1000)
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            project.db.execute(ENDLESS).fetchall()
        assert len(asked) == 3
        project.stop_queries_when(None)
        assert project.document_count() == 0


def test_project_stop_queries_when_asked_from_another_thread_before_the_query_starts(path):
    """The Cancel may come before the query has begun (a race sqlite3_interrupt loses): the
    query still stops at its first check."""
    cancel = threading.Event()
    cancel.set()
    outcome: list[object] = []

    def run() -> None:  # as a job does: a project of its own, on its own thread
        with Project.open(path, check=False, read_only=True) as project:
            project.stop_queries_when(cancel.is_set)
            try:
                project.db.execute(ENDLESS).fetchall()
            except sqlite3.OperationalError as exc:
                outcome.append(str(exc))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive() and outcome == ["interrupted"]
