"""Span attributes and notes from other tools' files in the window: the span table's
Attributes column and tooltip, the article's tooltip, and delete + undo keeping them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from window_driver import char_point, key, rows, show_window

from annotator.store import Project
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings
from annotator.ui.views.span_table import ATTRIBUTES
from annotator.workflows.importing import ImportOptions, import_paths

TEXT = "Ann met <b>Bob</b> in Lyon."
ANN = ("T1\tPERSON 0 3\tAnn\nT2\tPERSON 11 14\tBob\nT3\tGPE 22 26\tLyon\n"
       "A1\tMention T1 Name\nA2\tNegation T2\n#1\tAnnotatorNotes T2\t<i>seen</i> twice, checked\n")
VALUES = 'SELECT s.text, v.attribute, v.value FROM attribute_values v JOIN spans s ON s.id = v.span_id ORDER BY 1, 2'


@pytest.fixture
def window(tmp_path, qtbot):
    Settings().set_value("annotator/name", "alice")
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d.ann").write_text(ANN, encoding="utf-8")
    project = Project.create(tmp_path / "p.annotator")
    assert import_paths(project, [tmp_path / "d.ann"], ImportOptions(add_labels=True)).ok
    win = show_window(qtbot, MainWindow(project))
    yield win
    win.shut_down()


def test_span_details_in_the_table_and_its_tooltip(window):
    model = window.span_table.model()
    assert model.headerData(ATTRIBUTES, Qt.Orientation.Horizontal) == "Attributes"
    cells = [model.index(row, ATTRIBUTES).data() for row in range(model.rowCount())]
    assert cells == ["Mention: Name", "Negation · note: <i>seen</i> twice, checked", ""]
    tip = model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "Negation · note: &lt;i&gt;seen&lt;/i&gt; twice" in tip  # the note is text, never HTML
    assert not window.span_table.isColumnHidden(ATTRIBUTES)


def test_span_details_column_only_where_spans_have_details(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    win = show_window(qtbot, MainWindow(make_project([("Plain", "Ann met Bob.", "todo", [(0, 3, "PERSON")])])))
    assert win.span_table.model().rowCount() == 1 and win.span_table.isColumnHidden(ATTRIBUTES)
    win.shut_down()


def test_span_details_in_the_articles_tooltip(window):
    view = window.text_view
    point = char_point(view, TEXT.index("Bob") + 1)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)))
    assert "Negation · note: &lt;i&gt;seen&lt;/i&gt; twice, checked" in QToolTip.text()
    QToolTip.hideText()


def test_span_details_delete_and_undo_keep_them(window, qtbot):
    path = window.project.path
    before = rows(path, VALUES)
    table = window.span_table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 1))
    key(qtbot, window, Qt.Key.Key_Delete, widget=table)
    assert rows(path, VALUES) == [r for r in before if r[0] != "Ann"]
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier, widget=window.text_view)
    assert rows(path, VALUES) == before
    assert table.model().index(0, ATTRIBUTES).data() == "Mention: Name"
