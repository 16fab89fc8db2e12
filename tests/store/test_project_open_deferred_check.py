"""Opening without the integrity check (a window opens first and checks in the background)."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.records import DocumentRecord
from annotator.store import Project, ProjectError, migrations
from annotator.store.import_writer import ImportWriter, PreparedDocument

PAGE = 4096


def _project(path):
    with Project.create(path) as project, project.transaction():
        ImportWriter(project, None).write([PreparedDocument(DocumentRecord(f"article {i} " + "words " * 3000, i + 1))
                                           for i in range(20)])


def test_project_open_deferred_check_finds_the_same_damage(tmp_path):
    path = tmp_path / "p.annotator"
    _project(path)
    with Project.open(path, check=False) as project:
        assert project.damage() == []
    data = bytearray(path.read_bytes())
    page = len(data) // PAGE // 2
    data[page * PAGE:(page + 1) * PAGE] = b"\xa5" * PAGE
    path.write_bytes(bytes(data))
    try:
        project = Project.open(path, check=False)
    except ProjectError:
        return  # damage this bad is noticed on opening anyway
    with project:
        try:
            problems = project.damage()
        except sqlite3.DatabaseError:
            return
        assert problems, "the damaged page was not noticed"
        with pytest.raises(ProjectError):
            Project.open(path)


def test_project_open_deferred_check_still_checks_before_a_migration(tmp_path, monkeypatch):
    path = tmp_path / "p.annotator"
    _project(path)
    calls = []
    real = Project.damage
    monkeypatch.setattr(Project, "damage", lambda self: calls.append(1) or real(self))
    Project.open(path, check=False).close()
    assert calls == []
    # A file older than this program (a migration would run): checked before anything is written.
    monkeypatch.setattr(migrations, "LATEST_VERSION", migrations.LATEST_VERSION + 1)
    Project.open(path, check=False).close()
    assert calls == [1]
