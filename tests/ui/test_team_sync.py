"""The window and a team server (a real PostgreSQL, tests/pg_cluster.py): edits are sent in the
background, the status bar says where things stand (synced / N changes waiting / offline since
…), others' work arrives, a close sends what waits; File > Team > Connect to Server… joins."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from window_driver import key, show_window

from annotator.store import Project
from annotator.ui.common.settings import Settings
from annotator.ui.dialogs.connect_server import ConnectServerDialog
from annotator.ui.window.main_window import MainWindow
from annotator.workflows import sync as sync_workflow
from annotator.workflows.sync import sync_project

sys.path.insert(0, str(Path(__file__).parents[1] / "workflows"))
from server_team import first_doc, publish  # noqa: E402

K, M = Qt.Key, Qt.KeyboardModifier
SYNC_MS = 20_000


def _window(qtbot, path: Path, delay: int = 1) -> MainWindow:
    settings = Settings()
    settings.set_value("annotator/name", "alice")
    settings.set_value("team/sync_delay", delay)
    return show_window(qtbot, MainWindow(Project.open(path), settings, owns_project=True), focus_text=True)


def _slow_pull(monkeypatch):
    """Make the receive wait (a slow link) until the test lets it go: (entered, release, the real pull)."""
    entered, release, real_pull = threading.Event(), threading.Event(), sync_workflow.exchange.pull

    def slow_pull(*args, **kwargs):
        entered.set()
        release.wait(20)
        return real_pull(*args, **kwargs)

    monkeypatch.setattr(sync_workflow.exchange, "pull", slow_pull)
    return entered, release, real_pull


def _sync_text(window: MainWindow) -> str:
    return window.status.sync_label.text()


def test_window_sends_edits_in_the_background_and_brings_others_work(team_db, tmp_path, qtbot):
    pub = publish(team_db, tmp_path, count=4, overlap_docs=4)
    pub.join("alice")
    pub.join("bob")
    window = _window(qtbot, tmp_path / "alice.annotator")
    qtbot.waitUntil(lambda: _sync_text(window) == "⇅ synced", timeout=SYNC_MS)
    assert window.status.sync_label.isVisible()
    key(qtbot, window, K.Key_Return, M.ControlModifier)  # mark done and next
    assert _sync_text(window) == "⇅ 1 change waiting"
    qtbot.waitUntil(lambda: team_db.sql("SELECT status FROM annotator.layers") == [("done",)], timeout=SYNC_MS)
    qtbot.waitUntil(lambda: _sync_text(window) == "⇅ synced", timeout=SYNC_MS)
    with pub.open("bob") as bob:
        bob.add_span(first_doc(bob), 0, 2, "PERSON", annotator="bob")
        sync_project(bob)
    window.actions_by_id["team.sync_now"].trigger()
    qtbot.waitUntil(lambda: any(layer.title == "bob" for layer in window.project.layers()), timeout=SYNC_MS)
    # An edit made just before closing is sent on the way out.
    key(qtbot, window, K.Key_Return, M.ControlModifier)
    window.close()
    assert sorted(team_db.sql("SELECT status FROM annotator.layers WHERE written_by = 'alice'")) == [
        ("done",), ("done",)]


def test_window_keeps_working_offline_and_says_so(team_db, pg_cluster, tmp_path, qtbot):
    pub = publish(team_db, tmp_path, count=3)
    pub.join("alice")
    window = _window(qtbot, tmp_path / "alice.annotator")
    qtbot.waitUntil(lambda: _sync_text(window) == "⇅ synced", timeout=SYNC_MS)
    pg_cluster.stop()
    try:
        key(qtbot, window, K.Key_Return, M.ControlModifier)
        qtbot.waitUntil(lambda: _sync_text(window).startswith("⚠ offline since "), timeout=SYNC_MS)
        assert _sync_text(window).endswith(", 1 change waiting")
        assert "cannot be reached" in window.status.sync_label.toolTip()
        key(qtbot, window, K.Key_Return, M.ControlModifier)  # the window still edits; it waits on disk
        qtbot.waitUntil(lambda: _sync_text(window).endswith(", 2 changes waiting"), timeout=SYNC_MS)
    finally:
        pg_cluster.start()
    window.actions_by_id["team.sync_now"].trigger()
    qtbot.waitUntil(lambda: _sync_text(window) == "⇅ synced", timeout=SYNC_MS)
    assert team_db.sql("SELECT count(*) FROM annotator.layers WHERE status = 'done'") == [(2,)]
    window.close()


def test_connect_to_server_dialog_joins_and_refuses_passwords(team_db, tmp_path, qtbot):
    pub = publish(team_db, tmp_path, count=3, annotators=("alice",))
    dialog = ConnectServerDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.address, pub.url("alice").replace("alice@", "alice:hunter2@"))
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "alice")
    dialog.file.setText(str(tmp_path / "mine.annotator"))
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "holds a password" in dialog.message.text(), timeout=SYNC_MS)
    assert dialog.isVisible() and not (tmp_path / "mine.annotator").exists()
    dialog.address.clear()
    qtbot.keyClicks(dialog.address, pub.url("alice"))
    with qtbot.waitSignal(dialog.accepted, timeout=SYNC_MS):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.joined_path == tmp_path / "mine.annotator"
    with Project.open(dialog.joined_path) as mine:
        assert mine.document_count() == 3 and mine.own_annotator().name == "alice"
    assert Settings().value("team/server") == pub.url("alice")


def test_sync_now_shows_its_progress_and_cancel_stops_it_between_steps(team_db, tmp_path, qtbot, monkeypatch):
    pub = publish(team_db, tmp_path, count=3, overlap_docs=3)
    pub.join("alice")
    pub.join("bob")
    window = _window(qtbot, tmp_path / "alice.annotator", delay=600)  # only Sync Now syncs here
    qtbot.waitUntil(lambda: _sync_text(window) == "⇅ synced", timeout=SYNC_MS)
    assert not window.status.sync_progress.isVisible() and not window.status.sync_cancel.isVisible()
    with pub.open("bob") as bob:
        bob.add_span(first_doc(bob), 0, 2, "PERSON", annotator="bob")
        sync_project(bob)
    entered, release, real_pull = _slow_pull(monkeypatch)
    key(qtbot, window, K.Key_Return, M.ControlModifier)  # mark done: a change to send
    window.actions_by_id["team.sync_now"].trigger()
    qtbot.waitUntil(entered.is_set, timeout=SYNC_MS)
    qtbot.waitUntil(lambda: window.status.sync_progress.value() == 1, timeout=SYNC_MS)  # "receiving changes"
    assert window.status.sync_progress.isVisible() and window.status.sync_cancel.isEnabled()
    assert _sync_text(window) == "⇅ syncing…"
    window.grab().save(str(tmp_path / "sync-progress.png"))
    qtbot.mouseClick(window.status.sync_cancel, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not window.status.sync_progress.isVisible(), timeout=SYNC_MS)
    assert not window.status.sync_cancel.isVisible()
    # What was sent stays sent; what was being received was dropped whole.
    assert team_db.sql("SELECT count(*) FROM annotator.layers WHERE written_by = 'alice' AND status = 'done'") == [(1,)]
    assert not any(layer.title == "bob" for layer in window.project.layers())
    assert _sync_text(window) == "⇅ synced"
    monkeypatch.setattr(sync_workflow.exchange, "pull", real_pull)
    window.actions_by_id["team.sync_now"].trigger()
    qtbot.waitUntil(lambda: any(layer.title == "bob" for layer in window.project.layers()), timeout=SYNC_MS)
    qtbot.waitUntil(lambda: not window.status.sync_progress.isVisible(), timeout=SYNC_MS)
    window.close()


def test_conflicts_are_shown_and_resolved_from_the_window(team_db, tmp_path, qtbot):
    """One annotator in two files (two machines): both change the same document; the second to
    sync gets a conflict, kept and shown, until File > Team > Resolve Conflicts… decides."""
    from modal import when_modal

    pub = publish(team_db, tmp_path, count=2, annotators=("alice",))
    pub.join("alice")
    pub.join("alice", tmp_path / "laptop.annotator")
    window = _window(qtbot, tmp_path / "alice.annotator", delay=600)
    qtbot.waitUntil(lambda: _sync_text(window) == "⇅ synced", timeout=SYNC_MS)
    shown = window.session.doc_id
    digest = window.project.db.conn.execute("SELECT content_hash FROM documents WHERE id = ?", [shown]).fetchone()[0]
    with Project.open(tmp_path / "laptop.annotator") as laptop:
        doc = laptop.db.conn.execute("SELECT id FROM documents WHERE content_hash = ?", [digest]).fetchone()[0]
        laptop.add_span(doc, 0, 2, "PERSON", annotator="alice")
        assert sync_project(laptop).sent == 1
    key(qtbot, window, K.Key_Return, M.ControlModifier)  # done here, not knowing the laptop's span
    window.actions_by_id["team.sync_now"].trigger()
    qtbot.waitUntil(lambda: _sync_text(window) == "⚠ 1 conflict", timeout=SYNC_MS)
    assert "Resolve Conflicts" in window.status.sync_label.toolTip()
    assert team_db.sql("SELECT status FROM annotator.layers") == [("todo",)]  # nothing overwritten

    def take_theirs(dialog):
        assert dialog.list.count() == 1 and "changed on the server by alice" in dialog.list.item(0).text()
        dialog.grab().save(str(tmp_path / "sync-conflicts.png"))
        qtbot.mouseClick(dialog.theirs, Qt.MouseButton.LeftButton)

    when_modal(qtbot, take_theirs)
    window.actions_by_id["team.resolve"].trigger()
    qtbot.waitUntil(lambda: _sync_text(window) == "⇅ synced", timeout=SYNC_MS)
    spans = window.project.db.conn.execute("SELECT start, \"end\" FROM spans WHERE doc_id = ?", [shown]).fetchall()
    assert spans == [(0, 2)]  # the laptop's version, here now
    assert window.project.document_count("done", "alice") == 0
    window.close()


def test_connect_dialog_shows_the_join_step_and_cancel_stops_it_leaving_no_file(team_db, tmp_path, qtbot, monkeypatch):
    pub = publish(team_db, tmp_path, count=3, annotators=("alice",))
    entered, release, real_pull = _slow_pull(monkeypatch)
    dialog = ConnectServerDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.address.setText(pub.url("alice"))
    dialog.name.setText("alice")
    dialog.file.setText(str(tmp_path / "mine.annotator"))
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(entered.is_set, timeout=SYNC_MS)
    qtbot.waitUntil(lambda: "receiving changes" in dialog.message.text(), timeout=SYNC_MS)
    assert dialog.progress.isVisible() and not dialog.connect_button.isEnabled()
    dialog.grab().save(str(tmp_path / "join-progress.png"))
    key(qtbot, dialog, K.Key_Escape)  # Esc is Cancel: the dialog stays to say how it ended
    release.set()
    qtbot.waitUntil(lambda: dialog.message.text() == "Cancelled: nothing was joined.", timeout=SYNC_MS)
    assert dialog.isVisible() and dialog.connect_button.isEnabled() and not dialog.progress.isVisible()
    assert not (tmp_path / "mine.annotator").exists()
    monkeypatch.setattr(sync_workflow.exchange, "pull", real_pull)
    with qtbot.waitSignal(dialog.accepted, timeout=SYNC_MS):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    with Project.open(tmp_path / "mine.annotator") as mine:
        assert mine.document_count() == 3


def test_cancel_stops_a_long_query_at_once_and_is_not_offline(team_db, tmp_path, qtbot, monkeypatch):
    """A receive stuck in a long query (a first sync of a big project, a slow server): Cancel
    stops the query itself (PostgreSQL cancels it), not only the next step."""
    import time

    pub = publish(team_db, tmp_path, count=3, overlap_docs=3)
    pub.join("alice")
    pub.join("bob")
    window = _window(qtbot, tmp_path / "alice.annotator", delay=600)
    qtbot.waitUntil(lambda: _sync_text(window) == "⇅ synced", timeout=SYNC_MS)
    with pub.open("bob") as bob:
        bob.add_span(first_doc(bob), 0, 2, "PERSON", annotator="bob")
        sync_project(bob)
    entered, real_pull = threading.Event(), sync_workflow.exchange.pull

    def stuck_pull(conn, *args, **kwargs):
        entered.set()
        conn.execute("SELECT pg_sleep(60)")  # what a very long receive looks like to the client
        return real_pull(conn, *args, **kwargs)

    monkeypatch.setattr(sync_workflow.exchange, "pull", stuck_pull)
    window.actions_by_id["team.sync_now"].trigger()
    qtbot.waitUntil(entered.is_set, timeout=SYNC_MS)
    time.sleep(0.2)  # the query is on the server now
    started = time.monotonic()
    qtbot.mouseClick(window.status.sync_cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.status.sync_progress.isVisible(), timeout=SYNC_MS)
    assert time.monotonic() - started < 10  # not the minute the query would have taken
    assert _sync_text(window) == "⇅ synced"  # cancelled is not offline
    assert not any(layer.title == "bob" for layer in window.project.layers())
    monkeypatch.setattr(sync_workflow.exchange, "pull", real_pull)
    window.actions_by_id["team.sync_now"].trigger()
    qtbot.waitUntil(lambda: any(layer.title == "bob" for layer in window.project.layers()), timeout=SYNC_MS)
    window.close()
