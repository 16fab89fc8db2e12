"""The search box over the document list, and the search index catching up in a worker thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_driver import key, rows, show_window

from annotator.ui.views.document_model import DocumentListModel
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings

K, M = Qt.Key, Qt.KeyboardModifier
DOCS = [
    ("Lisbon talks", "Finance ministers met in Lisbon.", "done"),
    ("Kenya", "The agency defended its vaccine rollout."),
    ("Port strike", "Dock workers in Lisbon returned.", "todo"),
    ("<b>x</b>", "Before <script>alert(1)</script> after."),
]


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    win = show_window(qtbot, MainWindow(make_project(DOCS)))
    yield win
    win.shut_down()


def listed(win: MainWindow) -> list[str]:
    model = win.document_model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_search_results_as_you_type(window, qtbot):
    key(qtbot, window, K.Key_F, M.ControlModifier)
    assert QApplication.focusWidget() is window.document_pane.search
    qtbot.keyClicks(window.document_pane.search, "lisb")
    qtbot.waitUntil(lambda: window.document_model.search_query == "lisb", timeout=5000)
    assert listed(window) == ["✓  Lisbon talks", "○  Port strike"]
    assert window.document_pane.result_label.text() == "2 documents match"
    assert window.text_view.text == DOCS[0][1]  # the document being read is still listed: it stays


def test_search_typing_a_label_key_in_the_box_does_not_tag(window, qtbot):
    window.text_view.set_selection(0, 7)
    key(qtbot, window, K.Key_F, M.ControlModifier)
    qtbot.keyClicks(window.document_pane.search, "1")
    assert window.document_pane.search.text() == "1"
    assert rows(window.project.path) == []


def test_search_with_status_filter_and_no_match(window, qtbot):
    pane = window.document_pane
    pane.search.setText("lisbon")
    pane.apply_search()
    pane.status_filter.setCurrentIndex(pane.status_filter.findText("To do"))
    assert listed(window) == ["○  Port strike"]
    assert window.text_view.text == DOCS[2][1]
    pane.search.setText("nothing-like-this")
    pane.apply_search()
    assert listed(window) == [] and pane.result_label.text() == "No document matches"
    assert window.text_view.placeholderText() == "No document matches the search."
    assert window.status.position_label.text() == "no documents"


def test_search_html_is_matched_and_shown_as_text(window, qtbot):
    pane = window.document_pane
    pane.search.setText("script")
    pane.apply_search()
    assert listed(window) == ["○  <b>x</b>"]
    assert window.text_view.toPlainText() == DOCS[3][1]


def test_search_escape_clears_the_box(window, qtbot):
    pane = window.document_pane
    key(qtbot, window, K.Key_F, M.ControlModifier)
    qtbot.keyClicks(pane.search, "kenya")
    pane.apply_search()
    assert len(listed(window)) == 1
    key(qtbot, window, K.Key_Escape)
    assert pane.search.text() == ""
    qtbot.waitUntil(lambda: window.document_model.search_query is None, timeout=5000)
    assert len(listed(window)) == 4


def _unindex(project):
    """Every document pending for search, as in a project from before import-time indexing."""
    with project.transaction():
        project.db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('delete-all')")
        project.db.execute("INSERT INTO search_pending (doc_id) SELECT id FROM documents")


def test_search_index_catches_up_in_a_worker_thread(make_project, qtbot):
    project = make_project(DOCS + [(f"Extra {i}", f"Filler article number {i} about Lisbon.") for i in range(1200)])
    assert project.search_pending_count() == 0  # imports index their documents
    _unindex(project)
    assert project.search_pending_count() == 1204
    win = MainWindow(project)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.upkeep.indexer.finished, timeout=60_000):
        pass
    assert rows(project.path, "SELECT count(*) FROM search_pending") == [(0,)]
    assert not win.status.index_label.isVisible()
    win.document_pane.search.setText("lisbon filler")
    win.document_pane.apply_search()
    assert win.document_model.rowCount() == 1200
    win.shut_down()


def test_search_says_when_unindexed_documents_are_not_searched_yet(make_project, qtbot, monkeypatch):
    import annotator.store.search as search

    project = make_project(DOCS)
    _unindex(project)
    project.read_only = True  # no background indexer: the search's own budget is all there is
    monkeypatch.setattr(search, "CATCH_UP_SECONDS", 0.0)  # and it reaches nothing
    win = MainWindow(project)
    qtbot.addWidget(win)
    win.show()
    pane = win.document_pane
    pane.search.setText("lisbon")
    pane.apply_search()
    assert pane.result_label.text() == "No document matches so far (4 still being indexed)"
    assert win.status.position_label.text() == "no documents"
    monkeypatch.setattr(search, "CATCH_UP_SECONDS", 0.2)
    pane.reload()  # as the window does when its indexer is done
    assert pane.result_label.text() == "2 documents match"
    assert listed(win) == ["✓  Lisbon talks", "○  Port strike"]
    assert win.status.position_label.text() == "document 1 of 2"
    win.shut_down()


def test_search_grows_as_pending_documents_are_reached_and_the_position_follows(make_project, qtbot, monkeypatch):
    import itertools
    import types

    import annotator.store.search as search

    project = make_project(DOCS)
    _unindex(project)
    project.read_only = True
    # A clock that lets each search index exactly one pending document in memory.
    clock = itertools.count()
    monkeypatch.setattr(search, "time", types.SimpleNamespace(perf_counter=lambda: next(clock)))
    monkeypatch.setattr(search, "CATCH_UP_BATCH", 1)
    monkeypatch.setattr(search, "CATCH_UP_SECONDS", 1.5)
    win = show_window(qtbot, MainWindow(project))
    pane = win.document_pane
    pane.search.setText("lisbon")
    pane.apply_search()
    assert pane.result_label.text() == "1 document matches so far (3 still being indexed)"
    assert listed(win) == ["✓  Lisbon talks"]
    assert win.status.position_label.text() == "document 1 of 1"
    monkeypatch.setattr(search, "CATCH_UP_SECONDS", 10)  # everything pending is reached
    pane.reload()  # as the window does when its indexer is done; the document read stays selected
    assert pane.result_label.text() == "2 documents match"
    assert listed(win) == ["✓  Lisbon talks", "○  Port strike"]
    assert win.status.position_label.text() == "document 1 of 2"
    win.shut_down()


def test_search_read_only_window_does_not_index(make_project, qtbot):
    project = make_project(DOCS)
    _unindex(project)
    project.read_only = True
    win = MainWindow(project)
    qtbot.addWidget(win)
    win.show()
    qtbot.wait(50)
    assert win.upkeep.indexer.job is None
    win.document_pane.search.setText("vaccine")
    win.document_pane.apply_search()  # unindexed documents are scanned: results all the same
    assert listed(win) == ["○  Kenya"]
    win.shut_down()


@pytest.mark.parametrize("status", [None, "todo", "done"])
def test_search_model_passes_qtmodeltester(make_project, qtmodeltester, status):
    model = DocumentListModel(make_project(DOCS))
    model.set_search("lisbon")
    model.set_status_filter(status)
    qtmodeltester.check(model)
    model.set_search("   ")
    assert model.search_query is None
    qtmodeltester.check(model)
