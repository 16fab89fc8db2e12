"""The window under the conditions of issue 11: read-only media and full disks open read-only
saying why; a file found damaged is never written again; a lost lock is noticed by the very
next edit, which writes nothing."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest
from modal import when_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from window_driver import key, rows, show_window

from annotator.core.records import DocumentRecord
from annotator.store import Project
from annotator.store.import_writer import ImportWriter, PreparedDocument
from annotator.ui.window import opening as session
from annotator.ui.dialogs.export_report import run_export
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings
from annotator.ui.jobs.worker import JobContext
from annotator.workflows.exporting import ExportOptions

K = Qt.Key
DOCS = [("One", "Lisbon and Porto."), ("Two", "Nairobi.")]
PAGE = 4096


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _open_noting_the_notice(qtbot, path) -> tuple[Project | None, list[str]]:
    notices: list[str] = []

    def read(box):
        notices.append(box.text())
        box.accept()

    when_modal(qtbot, read)
    return session.open_project(path, "alice"), notices


def _window(qtbot, project) -> MainWindow:
    Settings().set_value("annotator/name", "alice")
    return show_window(qtbot, MainWindow(project, owns_project=True))


def _try_to_tag(qtbot, win) -> None:
    win.text_view.set_selection(0, 6)
    win.text_view.setFocus()
    key(qtbot, win, K.Key_3)


def test_window_hardening_read_only_medium_opens_read_only_saying_why(make_project, tmp_path, qtbot):
    from media import read_only_folder, side_files

    with read_only_folder(tmp_path) as place:
        project = make_project(DOCS, name="news.annotator")
        project.close()
        path = place.folder / "news.annotator"
        shutil.move(project.path, path)
        before = _digest(path)
        place.seal()
        opened, notices = _open_noting_the_notice(qtbot, path)
        assert opened is not None and opened.read_only and not opened.writable
        assert notices and "cannot be written (read-only)" in notices[0] and "opens read-only" in notices[0]
        win = _window(qtbot, opened)
        assert win.windowTitle() == "news (read-only) — annotator" and win.status.mode_label.isVisible()
        _try_to_tag(qtbot, win)
        win.tagging.label_key("GPE")
        assert "read-only" in win.statusBar().currentMessage()
        # File > Export works from it (to a writable folder).
        result = run_export(path, tmp_path / "out", ExportOptions(format="csv", include=("todo",)),
                            JobContext(lambda _value: None))
        assert result.documents == 2
        win.close()
        assert _digest(path) == before and side_files(path) == []


def test_window_hardening_full_disk_opens_read_only_not_damaged(make_project, tmp_path, qtbot):
    from media import small_disk

    with small_disk(tmp_path, "4m") as disk:
        project = make_project(DOCS, name="news.annotator")
        project.close()
        path = disk.folder / "news.annotator"
        shutil.move(project.path, path)
        disk.fill()
        opened, notices = _open_noting_the_notice(qtbot, path)
        assert opened is not None and opened.read_only
        assert "the disk is full" in notices[0] and "damaged" not in notices[0]
        win = _window(qtbot, opened)
        assert win.document_model.rowCount() == 2
        win.close()
        disk.drain()
        assert rows(path, "SELECT count(*) FROM documents") == [(2,)]


def _damage(path) -> None:
    """A project with one damaged page the window never reads (a table another program added)."""
    with Project.create(path) as project, project.transaction():
        ImportWriter(project, None).write([PreparedDocument(DocumentRecord(f"article {i}", i + 1)) for i in range(5)])
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE junk (x)")
    conn.execute("INSERT INTO junk VALUES (zeroblob(20000))")
    conn.commit()
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'junk'").fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:  # the b-tree page's header: no longer a valid page type
        handle.seek((root - 1) * PAGE)
        handle.write(b"\xa5" * 16)


def test_window_hardening_damaged_file_is_never_written_after_the_verdict(tmp_path, qtbot):
    path = tmp_path / "damaged.annotator"
    _damage(path)
    before = _digest(path)
    project = session.open_project(path, "alice")  # the check runs in the background
    assert project is not None
    win = MainWindow(project, owns_project=True, checked=False)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.upkeep.integrity.done, timeout=60_000) as verdict:
        pass
    assert verdict.args[0] and project.damaged and project.read_only
    box = win.findChild(QMessageBox)
    assert box is not None and "damaged" in box.text() and "nothing more is written" in box.text()
    box.close()
    win.close()  # no lock release, no clean-close record, no checkpoint of the WAL into the file
    assert _digest(path) == before


def test_window_hardening_lost_lock_refuses_the_next_edit_at_once(make_project, qtbot):
    project = make_project(DOCS)
    path = project.path
    project.close()
    opened = session.open_project(path, "alice")
    win = _window(qtbot, opened)
    qtbot.waitUntil(lambda: not win.upkeep.indexer.running, timeout=30_000)
    with Project.open(path) as intruder:
        intruder.acquire_lock("carol", force=True)  # Take Over in another window
        intruder._lock_token = None  # carol's window stays open (its close must not free the lock)
    assert win.upkeep.heartbeat_timer.isActive()  # the 30-second beat has not noticed yet
    _try_to_tag(qtbot, win)
    assert rows(path) == []  # the edit wrote nothing
    assert opened.read_only and win.windowTitle().endswith("(read-only) — annotator")
    assert "carol on " in win.statusBar().currentMessage() and "took this project over" in win.statusBar().currentMessage()
    assert win.session.stack.count() == 0
    win.close()
    assert rows(path, "SELECT holder FROM session_lock") == [("carol",)]


@pytest.fixture(autouse=True)
def _no_lock_prompt(monkeypatch):
    monkeypatch.setattr(session, "ask_about_lock", lambda parent, holder, path: "read_only")
