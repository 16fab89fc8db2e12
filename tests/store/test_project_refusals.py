"""What opening refuses without touching the file: a damaged file (never a byte written once
judged, lock bookkeeping included), an empty file that is not ours; and a session that lost
its editing lock, which may not write another byte."""

from __future__ import annotations

import hashlib
import os

import pytest

from annotator.core.records import DocumentRecord
from annotator.store import LockLost, NotAProject, Project, ProjectCorrupt, ProjectError
from annotator.store.import_writer import ImportWriter, PreparedDocument

PAGE = 4096


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damaged(path):
    with Project.create(path) as project, project.transaction():
        ImportWriter(project, None).write([PreparedDocument(DocumentRecord(f"article {i} " + "words " * 3000, i + 1))
                                           for i in range(20)])
    data = bytearray(path.read_bytes())
    page = len(data) // PAGE // 2
    data[page * PAGE:(page + 1) * PAGE] = b"\xa5" * PAGE
    path.write_bytes(bytes(data))
    return path


def test_project_refusals_damaged_file_is_not_written_when_opening(tmp_path):
    path = _damaged(tmp_path / "p.annotator")
    before = _digest(path)
    with pytest.raises(ProjectCorrupt, match="damaged"):
        Project.open(path)
    assert _digest(path) == before and not os.path.exists(f"{path}-wal")


def test_project_refusals_damaged_file_found_later_is_never_written_again(tmp_path):
    """The window's way: open unchecked, take the lock, check in the background."""
    path = _damaged(tmp_path / "p.annotator")
    before = _digest(path)
    project = Project.open(path, check=False)
    assert project.acquire_lock("ana") is None  # before the verdict: lands in the WAL only
    assert project.damage() and project.damaged
    with pytest.raises(ProjectCorrupt, match="read-only"):
        project.set_setting("after the verdict", "1")
    with pytest.raises(ProjectError):
        project.acquire_lock("ana", force=True)
    project.close()  # no lock release, no clean-close record, no checkpoint into the file
    assert _digest(path) == before


def test_project_refusals_empty_file_is_not_a_project(tmp_path):
    path = tmp_path / "placeholder.annotator"
    path.write_bytes(b"")
    for create in (False, True):
        with pytest.raises(NotAProject, match="empty"):
            Project.open(path, create=create)
    assert path.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["placeholder.annotator"]


def test_project_refusals_empty_file_chosen_for_a_new_project_is_replaced(tmp_path):
    path = tmp_path / "new.annotator"
    path.write_bytes(b"")  # e.g. made by a save dialog the user confirmed
    with Project.create(path) as project:
        assert len(project.labels()) == 11


def test_project_refusals_lost_lock_means_no_write_at_all(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    first, second = Project.open(path), Project.open(path)
    told = []
    first.on_lock_lost = lambda: told.append(1)
    assert first.acquire_lock("ana") is None
    first.set_setting("before", "1")
    assert second.acquire_lock("ben", force=True) is None  # Take Over
    with pytest.raises(LockLost, match="ben on .* took this project over: nothing was changed"):
        first.set_setting("after", "1")  # the very first write after the take-over is refused
    assert first.setting("after") is None and second.setting("after") is None
    assert told == [1] and first.lock_lost
    with pytest.raises(LockLost):
        first.set_setting("again", "1")
    assert told == [1]  # told once
    first.close()
    assert second.lock_holder().holder == "ben"  # the loser's close did not delete ben's lock
    second.set_setting("ben writes", "1")
    second.close()


def test_project_refusals_lock_holder_keeps_its_heartbeat_fresh_by_writing(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    with Project.open(path) as project:
        project.acquire_lock("annotator import", kind="command")
        with project.transaction():
            project.db.execute("UPDATE session_lock SET heartbeat_at = '2000-01-01T00:00:00.000000Z'")
        project.set_setting("x", "1")  # a long command has no timer: its writes beat for it
        assert project.lock_holder().heartbeat_at > "2000-01-02"


def test_project_refusals_sqlite_file_without_tables_is_not_a_project(tmp_path):
    path = tmp_path / "blank.annotator"
    conn = __import__("sqlite3").connect(path)
    conn.execute("VACUUM")  # a valid SQLite file with no tables (another tool's, or an interrupted start)
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAProject, match="no tables"):
        Project.open(path, create=True)
    assert path.read_bytes() == before
