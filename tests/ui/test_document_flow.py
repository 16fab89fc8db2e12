"""Moving through documents: done and next, skip, previous/next, next to do; status undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_driver import key, show_window, statuses

from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings

K, M = Qt.Key, Qt.KeyboardModifier
DOCS = [("A", "Alpha text."), ("B", "Beta text.", "done"), ("C", "Gamma text."), ("D", "Delta text.")]


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    win = show_window(qtbot, MainWindow(make_project(DOCS)), focus_text=True)
    yield win
    win.shut_down()


def title(win: MainWindow) -> str:
    return win.text_view.text.split()[0]


def test_document_flow_done_and_next(window, qtbot):
    key(qtbot, window, K.Key_Return, M.ControlModifier)
    assert statuses(window.project.path)["A"] == "done"
    assert title(window) == "Beta"
    assert window.status.progress_label.text() == "2 of 4 done"
    assert window.document_model.index(0, 0).data().startswith("✓")


def test_document_flow_skip_and_next(window, qtbot):
    key(qtbot, window, K.Key_Return, M.ControlModifier | M.ShiftModifier)
    assert statuses(window.project.path)["A"] == "skipped"
    assert title(window) == "Beta"


def test_document_flow_previous_next_keys(window, qtbot):
    key(qtbot, window, K.Key_Right, M.AltModifier)
    assert title(window) == "Beta"
    key(qtbot, window, K.Key_PageDown)
    assert title(window) == "Gamma"
    assert window.status.position_label.text() == "document 3 of 4"
    key(qtbot, window, K.Key_PageUp)
    key(qtbot, window, K.Key_Left, M.AltModifier)
    assert title(window) == "Alpha"
    key(qtbot, window, K.Key_Left, M.AltModifier)
    assert title(window) == "Alpha" and "No more documents" in window.statusBar().currentMessage()


def test_document_flow_next_todo_skips_done_and_wraps(window, qtbot):
    key(qtbot, window, K.Key_J, M.ControlModifier)
    assert title(window) == "Gamma"  # B is done
    key(qtbot, window, K.Key_J, M.ControlModifier)
    assert title(window) == "Delta"
    key(qtbot, window, K.Key_J, M.ControlModifier)
    assert title(window) == "Alpha"


def test_document_flow_todo_filter_done_moves_to_the_next_to_do(window, qtbot):
    window.status_filter.setCurrentIndex(window.status_filter.findText("To do"))
    assert title(window) == "Alpha"
    window.text_view.setFocus()
    key(qtbot, window, K.Key_Return, M.ControlModifier)
    assert title(window) == "Gamma"
    assert window.document_model.rowCount() == 2
    assert window.status.position_label.text() == "document 1 of 2"
    # Undo brings the status back, and the document back into the list and onto the screen.
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert statuses(window.project.path)["A"] == "todo"
    assert title(window) == "Alpha" and window.document_model.rowCount() == 3
    assert window.status.progress_label.text() == "1 of 4 done"


def test_document_flow_status_undo_from_another_document(window, qtbot):
    key(qtbot, window, K.Key_Return, M.ControlModifier)  # A done, now on B
    key(qtbot, window, K.Key_PageDown)
    key(qtbot, window, K.Key_PageDown)
    assert title(window) == "Delta"
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert title(window) == "Alpha" and statuses(window.project.path)["A"] == "todo"
    key(qtbot, window, K.Key_Y, M.ControlModifier)
    assert statuses(window.project.path)["A"] == "done"


def test_document_flow_last_document_says_so(window, qtbot):
    window.document_pane.select_row(3)
    window.text_view.setFocus()
    key(qtbot, window, K.Key_Return, M.ControlModifier)
    assert statuses(window.project.path)["D"] == "done"
    assert title(window) == "Delta" and "last document" in window.statusBar().currentMessage()
