"""The window edits as the right annotator (docs/teams.md): the settings' name, or the file's own
annotator when none is set. Statuses shown, counted, set and undone are that annotator's; a
file nobody owns becomes the named annotator's own copy."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_driver import key, show_window, statuses

from annotator.store import Project
from annotator.ui.common.settings import Settings
from annotator.ui.window.main_window import MainWindow

K, M = Qt.Key, Qt.KeyboardModifier
# Alice's own copy: she has B done. Bob, a guest with statuses of his own, has C and D done.
DOCS = [("A", "Alpha text."), ("B", "Beta text.", "done"), ("C", "Gamma text."), ("D", "Delta text.")]


@pytest.fixture
def path(make_project):
    project = make_project(DOCS)
    project.annotator_id("alice")
    project.set_own_annotator("alice")
    project.add_annotator("bob", separate_status=True)
    ids = {s.title: s.id for s in project.document_summaries(0, 10)}
    project.set_statuses([ids["C"], ids["D"]], "done", annotator="bob")
    location = project.path
    project.close()
    return location


def _open(qtbot, path, name: str) -> MainWindow:
    Settings().set_value("annotator/name", name)
    return show_window(qtbot, MainWindow(Project.open(path), owns_project=True), focus_text=True)


def _marks(win: MainWindow) -> str:
    model = win.document_model
    return "".join(model.index(row, 0).data()[0] for row in range(model.rowCount()))


def _bob_status(path, title: str) -> str:
    with Project.open(path, check=False, read_only=True) as project:
        doc_id = next(s.id for s in project.document_summaries(0, 10) if s.title == title)
        return project.document_status(doc_id, annotator="bob")


def test_window_annotator_counts_marks_and_undoes_the_guests_own_statuses(path, qtbot):
    win = _open(qtbot, path, "bob")
    assert win.session.annotator == "bob"
    assert win.status.progress_label.text() == "2 of 4 done"  # bob's C and D, not alice's B
    assert _marks(win) == "○○✓✓"
    key(qtbot, win, K.Key_J, M.ControlModifier)  # next to do by bob's statuses: B (by alice's: C)
    assert win.session.shown.title == "B" and win.session.shown.status == "todo"
    key(qtbot, win, K.Key_PageUp)
    key(qtbot, win, K.Key_Return, M.ControlModifier)  # A done, for bob
    assert _bob_status(path, "A") == "done" and statuses(path) == {"A": "todo", "B": "done", "C": "todo", "D": "todo"}
    assert win.status.progress_label.text() == "3 of 4 done" and _marks(win) == "✓○✓✓"
    key(qtbot, win, K.Key_Z, M.ControlModifier)
    assert _bob_status(path, "A") == "todo" and win.status.progress_label.text() == "2 of 4 done"
    win.close()


def test_window_annotator_without_a_name_edits_as_the_files_own_annotator(path, qtbot):
    win = _open(qtbot, path, "")
    assert win.session.annotator == "alice"
    assert win.status.progress_label.text() == "1 of 4 done" and _marks(win) == "○✓○○"
    win.close()


def test_window_annotator_changed_in_preferences_switches_the_counts(path, qtbot):
    win = _open(qtbot, path, "bob")
    Settings().set_value("annotator/name", "alice")
    win.preferences_changed(["annotator/name"])
    assert win.session.annotator == "alice"
    assert win.status.progress_label.text() == "1 of 4 done" and _marks(win) == "○✓○○"
    assert win.session.shown is not None and win.session.shown.title == "A"  # still on the same document
    win.close()


def test_window_annotator_claims_a_file_nobody_owns(make_project, qtbot):
    project = make_project(DOCS)
    assert project.own_annotator() is None
    Settings().set_value("annotator/name", "dana")
    win = show_window(qtbot, MainWindow(project))
    assert win.session.annotator == "dana" and project.own_annotator().name == "dana"
    assert win.status.progress_label.text() == "1 of 4 done"  # the statuses she has been setting
    win.shut_down()
