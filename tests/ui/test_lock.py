"""Two sessions on one project: the editing lock, the prompt, read-only windows, a busy file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from window_driver import key, rows, show_window

from annotator.store import Project
from annotator.ui.window import opening as session
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings

K, M = Qt.Key, Qt.KeyboardModifier
DOCS = [("One", "Lisbon and Porto."), ("Two", "Nairobi.")]


@pytest.fixture
def path(make_project):
    project = make_project(DOCS)
    location = project.path
    project.close()
    return location


@pytest.fixture
def answers(monkeypatch):
    asked: list[tuple[str, str]] = []
    reply = {"choice": "read_only"}

    def fake_ask(parent, holder, path):
        asked.append((holder.holder, holder.describe()))
        return reply["choice"]

    monkeypatch.setattr(session, "ask_about_lock", fake_ask)
    return asked, reply


def open_window(qtbot, project: Project) -> MainWindow:
    Settings().set_value("annotator/name", "alice")
    return show_window(qtbot, MainWindow(project, owns_project=True))


def test_lock_free_project_opens_for_editing(path, answers, qtbot):
    project = session.open_project(path, "alice")
    assert project is not None and not project.read_only
    assert answers[0] == []
    assert project.lock_holder().holder == "alice"
    win = open_window(qtbot, project)
    assert win.windowTitle() == "news — annotator"
    win.close()
    with Project.open(path) as again:
        assert again.lock_holder() is None  # released on close


def test_lock_held_by_another_session_opens_read_only(path, answers, qtbot):
    other = Project.open(path)
    assert other.acquire_lock("bob") is None
    project = session.open_project(path, "alice")
    asked, _reply = answers
    assert asked and asked[0][0] == "bob" and "bob on" in asked[0][1]
    assert project is not None and project.read_only
    win = open_window(qtbot, project)
    assert win.windowTitle() == "news (read-only) — annotator"
    assert win.status.mode_label.isVisible() and win.status.mode_label.text() == "read-only"
    assert not win.actions_by_id["edit.undo"].isEnabled()
    assert not win.actions_by_id["go.done_next"].isEnabled()
    assert not win.label_bar.label_actions["GPE"].isEnabled()
    win.text_view.set_selection(0, 6)
    win.text_view.setFocus()
    key(qtbot, win, K.Key_3)
    key(qtbot, win, K.Key_Return, M.ControlModifier)
    win.tagging.label_key("GPE")
    assert rows(path) == [] and rows(path, "SELECT status FROM documents ORDER BY id") == [("todo",), ("todo",)]
    assert "read-only" in win.statusBar().currentMessage()
    assert win.upkeep.heartbeat_timer.isActive() is False
    win.close()
    assert other.lock_holder().holder == "bob"  # the read-only window never touched bob's lock
    other.close()


def test_lock_cancel_leaves_the_project_closed(path, answers):
    other = Project.open(path)
    other.acquire_lock("bob")
    answers[1]["choice"] = "cancel"
    assert session.open_project(path, "alice") is None
    assert other.lock_holder().holder == "bob"
    other.close()


def test_lock_take_over(path, answers, qtbot):
    other = Project.open(path)
    other.acquire_lock("bob")
    answers[1]["choice"] = "take_over"
    project = session.open_project(path, "alice")
    assert project is not None and not project.read_only
    assert project.lock_holder().holder == "alice"
    assert other.heartbeat() is False  # bob's window learns it lost the lock at its next beat
    project.close()
    other.close()


def test_lock_lost_to_a_take_over_turns_the_window_read_only(path, answers, qtbot):
    project = session.open_project(path, "alice")
    win = open_window(qtbot, project)
    with Project.open(path) as intruder:
        intruder.acquire_lock("carol", force=True)
    win.upkeep._heartbeat()
    assert project.read_only and win.windowTitle().endswith("(read-only) — annotator")
    assert "took over" in win.statusBar().currentMessage()
    win.close()


def test_lock_second_process_is_named_in_the_prompt(path, answers, qtbot):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from annotator.store import Project
            project = Project.open({str(path)!r})
            assert project.acquire_lock("dora") is None
            print("locked", flush=True)
            sys.stdin.readline()
            project.close()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        project = session.open_project(path, "alice")
        asked, _reply = answers
        assert asked[0][0] == "dora" and f"(process {holder.pid})" in asked[0][1]
        assert project is not None and project.read_only
        project.close()
    finally:
        holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    project = session.open_project(path, "alice")  # the other process is gone, and so is its lock
    assert project is not None and not project.read_only
    project.close()


def test_lock_busy_file_is_a_message_not_a_crash(path, answers, qtbot):
    project = session.open_project(path, "alice")
    win = open_window(qtbot, project)
    # The window's own background writer (the search index) finishes first: only the test blocks.
    qtbot.waitUntil(lambda: not win.upkeep.indexer.running and project.search_pending_count() == 0, timeout=30_000)
    project.db.execute("PRAGMA busy_timeout = 50")  # the real 5 s would only slow the test down
    blocker = sqlite3.connect(path, timeout=10)
    blocker.execute("BEGIN IMMEDIATE")  # another program writing
    try:
        win.text_view.set_selection(0, 6)
        win.text_view.setFocus()
        key(qtbot, win, K.Key_3)
        assert "busy in another program" in win.statusBar().currentMessage()
        assert win.session.stack.count() == 0
        win.upkeep._heartbeat()  # waits its turn silently
    finally:
        blocker.rollback()
        blocker.close()
    win.text_view.set_selection(0, 6)
    key(qtbot, win, K.Key_3)
    assert [r[4] for r in rows(path)] == ["Lisbon"]
    win.close()


def touch(path):
    """As if another program had written the file: its clean-close record no longer matches."""
    os.utime(path)


def test_lock_window_checks_the_file_in_the_background_edits_allowed_at_once(path, answers, qtbot):
    touch(path)
    project = session.open_project(path, "alice")
    Settings().set_value("annotator/name", "alice")
    win = MainWindow(project, owns_project=True, checked=False)
    qtbot.addWidget(win)
    win.show()
    assert win.session.blocked is None and project.verified is None  # edits at once; the check runs meanwhile
    win.text_view.set_selection(0, 6)
    win.tagging.label_key("GPE")
    assert [r[4] for r in rows(path)] == ["Lisbon"]
    with qtbot.waitSignal(win.upkeep.integrity.done, timeout=30_000) as verdict:
        pass
    assert verdict.args == [[]] and not project.read_only and project.verified is True
    win.close()


def test_lock_damaged_file_found_in_the_background_turns_read_only(path, answers, qtbot, monkeypatch):
    from annotator.ui.jobs import background

    monkeypatch.setattr(background, "check_file", lambda p, ctx: ["*** in database main ***", "page 7: btree"])
    touch(path)
    project = session.open_project(path, "alice")
    win = MainWindow(project, owns_project=True, checked=False)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.upkeep.integrity.done, timeout=30_000):
        pass
    assert project.read_only and win.windowTitle().endswith("(read-only) — annotator")
    box = win.findChild(QMessageBox)
    assert box is not None and "damaged" in box.text() and "page 7: btree" in box.text()
    box.close()
    win.close()


def test_lock_unchanged_file_skips_the_check_next_time(path, answers, qtbot):
    settings = Settings()
    assert not session.known_sound(settings, path)
    touch(path)
    project = session.open_project(path, "alice")
    win = MainWindow(project, settings, owns_project=True, checked=False)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.upkeep.integrity.done, timeout=30_000):
        pass
    win.close()
    assert session.known_sound(settings, path)
    again = MainWindow(session.open_project(path, "alice"), settings, owns_project=True,
                       checked=session.known_sound(settings, path))
    qtbot.addWidget(again)
    assert again.session.blocked is None  # no check, no wait
    again.close()
    with Project.open(path) as other:  # another program writes: the file is not as we left it
        other.set_status(other.document_summaries(0, 1)[0].id, "done")
    assert not session.known_sound(settings, path)
