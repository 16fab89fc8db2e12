"""Opening and creating project files: pragmas, identity, refusals that leave files untouched."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from annotator.store import NotAProject, Project, ProjectCorrupt, ProjectError, ProjectTooNew
from annotator.store import migrations
from annotator.store.import_writer import ImportWriter, PreparedDocument
from annotator.core.records import DocumentRecord

PAGE = 4096


def _pragma(path, name):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_project_create_sets_pragmas_and_identity(tmp_path):
    path = tmp_path / "p.annotator"
    with Project.create(path) as project:
        q = lambda sql: next(iter(project.db.query(sql).__next__().values()))  # noqa: E731
        assert q("PRAGMA journal_mode") == "wal"
        assert q("PRAGMA foreign_keys") == 1
        assert q("PRAGMA synchronous") == 2
        assert q("PRAGMA application_id") == migrations.APPLICATION_ID
        assert q("PRAGMA user_version") == migrations.LATEST_VERSION
    # Persistent parts, read by a plain connection after close.
    assert _pragma(path, "journal_mode") == "wal"
    assert _pragma(path, "application_id") == migrations.APPLICATION_ID
    assert _pragma(path, "user_version") == migrations.LATEST_VERSION


def test_project_create_seeds_default_scheme(project):
    assert [lab.name for lab in project.labels()][:3] == ["PERSON", "ORG", "GPE"]
    assert len(project.labels()) == 11
    assert len(project.claim_attributes()) == 5
    assert project.language == "en"


def test_project_create_refuses_existing_file(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(path)
    assert path.read_bytes() == before


def test_project_open_missing_file_refused_without_creating(tmp_path):
    path = tmp_path / "missing.annotator"
    with pytest.raises(ProjectError, match="no such project"):
        Project.open(path)
    assert not path.exists()


def test_project_reopen_applies_no_migration_twice(tmp_path, monkeypatch):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    calls = []
    original = migrations.apply_pending
    monkeypatch.setattr(migrations, "apply_pending", lambda db: calls.append(original(db)) or calls[-1])
    with Project.open(path) as project:
        assert len(project.labels()) == 11  # not seeded a second time
        tables = project.db.table_names()
    assert calls == [[]]
    with Project.open(path):
        pass
    assert calls == [[], []]
    assert "documents" in tables
    assert _pragma(path, "user_version") == migrations.LATEST_VERSION


def test_project_open_too_new_refused_with_upgrade_hint(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectTooNew, match="(?i)upgrade"):
        Project.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b"just some notes\nnot a database\n", b"", b"\x00\xff" * 3000, b"SQLite format 3\x00" + b"\x17" * 5000],
    ids=["text", "empty", "garbage", "fake-header"],
)
def test_project_open_non_sqlite_file_refused_unchanged(tmp_path, content):
    path = tmp_path / "notes.annotator"
    path.write_bytes(content)
    if not content:  # an empty file is "no project yet", not a foreign file
        with pytest.raises(ProjectError):
            Project.open(path)
    else:
        with pytest.raises(NotAProject):
            Project.open(path)
    assert path.read_bytes() == content


def test_project_open_foreign_sqlite_refused_unchanged(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('Ada')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAProject, match="not an annotator project"):
        Project.open(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "other.db-wal").exists()


def test_project_open_other_application_id_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAProject):
        Project.open(path)
    assert path.read_bytes() == before


def _big_project(path):
    with Project.create(path) as project:
        with project.transaction():
            writer = ImportWriter(project, None)
            writer.write([PreparedDocument(DocumentRecord(f"article {i} " + "words " * 3000, i + 1))
                          for i in range(20)])
    return path.stat().st_size


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_project_open_damaged_page_gives_project_error(tmp_path, where):
    path = tmp_path / "p.annotator"
    size = _big_project(path)
    assert size > 20 * PAGE
    page = max(1, int(size // PAGE * where))
    data = bytearray(path.read_bytes())
    data[page * PAGE:(page + 1) * PAGE] = b"\xa5" * PAGE
    path.write_bytes(bytes(data))
    try:
        project = Project.open(path)
    except ProjectError as exc:  # never a raw sqlite3 error
        assert isinstance(exc, ProjectCorrupt) or "damaged" in str(exc)
        assert str(path) in str(exc)
    else:  # a page of free space or unused text may be harmless; then reading must work
        with project:
            project.stats()
            pytest.fail("damaged page was not noticed")


def test_project_open_damaged_schema_page_gives_project_corrupt(tmp_path):
    path = tmp_path / "p.annotator"
    _big_project(path)
    data = bytearray(path.read_bytes())
    data[100:PAGE] = b"\xa5" * (PAGE - 100)  # the rest of page 1: the schema table
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectCorrupt, match="damaged"):
        Project.open(path)


def test_project_create_failure_leaves_no_file(tmp_path):
    from annotator.core.model import Label, Scheme

    path = tmp_path / "p.annotator"
    bad = Scheme(labels=(Label("A", key="1"), Label("B", key="1")))
    with pytest.raises(ProjectError, match="already used"):
        Project.create(path, bad)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_project_open_copy_of_project_works(tmp_path, project):
    project.close()
    copy = tmp_path / "copy.annotator"
    shutil.copy(project.path, copy)
    with Project.open(copy) as opened:
        assert len(opened.labels()) == 11
