from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication

from annotator.store import Project
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings
from annotator.workflows.importing import ImportOptions, import_paths

ARTICLES = [
    ("Lisbon talks end", "LISBON — Finance ministers failed to agree on Tuesday.", "done", [(0, 6, "GPE")]),
    ("Kenyan agency", "NAIROBI — The agency defended its vaccine rollout.", "todo"),
    ("Port strike", "ROTTERDAM — Dock workers returned.", "skipped"),
    ("<b>x</b>", "Before <script>alert(1)</script> and <b>x</b> after.", "todo"),
]


@pytest.fixture
def window(make_project, qtbot):
    win = MainWindow(make_project(ARTICLES))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def click_row(qtbot, win: MainWindow, row: int) -> None:
    view = win.document_list
    index = view.model().index(row, 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def shown_rows(win: MainWindow) -> list[str]:
    model = win.document_list.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_main_window_title_names_the_project(window):
    assert window.windowTitle() == "news — annotator"


def test_main_window_lists_documents_and_selects_the_first(window):
    assert shown_rows(window) == ["✓  Lisbon talks end", "○  Kenyan agency", "–  Port strike", "○  <b>x</b>"]
    assert window.document_list.currentIndex().row() == 0
    assert window.text_view.toPlainText() == ARTICLES[0][1]
    model = window.span_table.model()
    assert model.rowCount() == 1
    assert [model.index(0, c).data() for c in (0, 1, 2)] == ["GPE", "LISBON", "tester"]
    assert window.side_tabs.tabText(0) == "Spans (1)"


def test_main_window_click_shows_that_document(window, qtbot):
    click_row(qtbot, window, 2)
    assert window.text_view.toPlainText() == ARTICLES[2][1]
    assert window.status.position_label.text() == "document 3 of 4"
    assert window.span_table.model().rowCount() == 0
    assert window.side_tabs.tabText(0) == "Spans"


def test_main_window_keyboard_moves_through_documents(window, qtbot):
    window.document_list.setFocus()
    qtbot.keyClick(window.document_list, Qt.Key.Key_Down)
    assert window.text_view.toPlainText() == ARTICLES[1][1]
    assert window.status.position_label.text() == "document 2 of 4"


def test_main_window_shows_html_literally(window, qtbot):
    click_row(qtbot, window, 3)
    assert window.text_view.toPlainText() == "Before <script>alert(1)</script> and <b>x</b> after."
    assert window.text_view.isReadOnly()
    assert window.text_view.document().toRawText().count("<b>x</b>") == 1


def test_main_window_status_bar_counts_done(window):
    assert window.status.progress_label.text() == "1 of 4 done"
    assert window.status.position_label.text() == "document 1 of 4"


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("To do", ["○  Kenyan agency", "○  <b>x</b>"]), ("Done", ["✓  Lisbon talks end"]),
     ("Skipped", ["–  Port strike"])],
)
def test_main_window_status_filter(window, qtbot, choice, expected):
    combo = window.status_filter
    combo.setCurrentIndex(combo.findText(choice))
    assert shown_rows(window) == expected
    assert window.document_list.currentIndex().row() == 0
    title = expected[0].split("  ", 1)[1]
    article = next(a for a in ARTICLES if a[0] == title)
    assert window.text_view.toPlainText() == article[1]
    assert window.status.position_label.text() == f"document 1 of {len(expected)}"
    assert window.status.progress_label.text() == "1 of 4 done"  # whole project, whatever the filter
    combo.setCurrentIndex(combo.findText("All documents"))
    assert len(shown_rows(window)) == 4


def test_main_window_filter_with_no_match_shows_placeholder(make_project, qtbot):
    win = MainWindow(make_project([("One", "Only one, still to do.")]))
    qtbot.addWidget(win)
    win.status_filter.setCurrentIndex(win.status_filter.findText("Done"))
    assert win.document_list.model().rowCount() == 0
    assert win.text_view.toPlainText() == ""
    assert win.text_view.placeholderText() == "No documents with this status."
    assert win.status.position_label.text() == "no documents"


def test_main_window_empty_project(make_project, qtbot):
    win = MainWindow(make_project([]))
    qtbot.addWidget(win)
    win.show()
    assert win.text_view.placeholderText() == "No documents in this project yet."
    assert win.status.progress_label.text() == "0 of 0 done"


def test_main_window_crlf_text_displayed_and_stored_unchanged(tmp_path, qtbot):
    text = "First line\r\nsecond line\r\n\r\nThird paragraph with <i>tags</i>."
    source = tmp_path / "crlf.jsonl"
    source.write_text(json.dumps({"text": "Plain one."}) + "\n" + json.dumps({"text": text, "title": "CRLF"}) + "\n",
                      encoding="utf-8")
    with Project.create(tmp_path / "crlf.annotator") as project:
        assert import_paths(project, [source], ImportOptions(format="prodigy")).ok
        win = MainWindow(project)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        click_row(qtbot, win, 1)
        assert win.text_view.toPlainText() == text.replace("\r\n", "\n")
        doc_id = win.current_document_id
        assert doc_id is not None
        win.close()
    with Project.open(tmp_path / "crlf.annotator") as reopened:
        assert reopened.document(doc_id).text == text


def test_main_window_ctrl_q_closes(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    with qtbot.waitSignal(window.destroyed, timeout=100, raising=False):
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_main_window_quit_is_in_the_file_menu(window):
    file_menu = window.menuBar().actions()[0]
    assert file_menu.text() == "&File"
    assert window.quit_action in file_menu.menu().actions()
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def test_main_window_remembers_geometry_and_splitter(make_project, qtbot, tmp_path):
    project = make_project(ARTICLES)
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = MainWindow(project, Settings(store))
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 500)
    first.splitter.setSizes([200, 500, 200])
    sizes = first.splitter.sizes()
    first.close()

    second = MainWindow(project, Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (700, 500)
    assert second.splitter.sizes() == sizes


def test_main_window_first_open_has_sensible_layout(window):
    assert window.size().width() == 1200 and window.size().height() == 800
    left, centre, right = window.splitter.sizes()
    assert centre > left and centre > right and min(left, right) > 150
    assert window.text_view.font().pointSizeF() >= 12


def test_main_window_reading_column_is_centred_in_wide_panes(window):
    window.resize(2400, 900)
    window.splitter.setSizes([300, 1800, 300])
    QApplication.processEvents()
    view = window.text_view
    margins = view.viewportMargins()
    assert view.viewport().width() <= view.column_width() + view.verticalScrollBar().sizeHint().width()
    centre = view.viewport().geometry().center().x()
    assert abs(centre - view.width() / 2) < 20
    assert margins.left() > 100


def test_main_window_click_point_is_inside_list(window):
    # guard for click_row: the rows really are laid out where the clicks land
    rect = window.document_list.visualRect(window.document_list.model().index(3, 0))
    assert window.document_list.viewport().rect().contains(rect.center())
    assert window.document_list.indexAt(rect.center()).row() == 3
    assert window.document_list.indexAt(QPoint(-5, -5)).row() == -1


def test_main_window_stale_spans_are_reported_not_moved(make_project, qtbot):
    import sqlite3

    project = make_project([("One", "Paris is far from Lisbon.", "todo", [(0, 5, "GPE")])])
    conn = sqlite3.connect(project.path)  # another program changed the stored surface text
    conn.execute("UPDATE spans SET text = 'Porto'")
    conn.commit()
    conn.close()
    win = MainWindow(project)
    qtbot.addWidget(win)
    win.show()
    assert "1 span no longer matches the article" in win.statusBar().currentMessage()
    [shown] = win.text_view.index.all()
    assert (shown.span.start, shown.span.end) == (0, 5)  # drawn where it is stored, flagged
    assert win.text_view._stale == {shown.id}
    assert win.span_table.model().index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert [(s.start, s.end, s.text) for s in project.spans(win.current_document_id)] == [(0, 5, "Porto")]
