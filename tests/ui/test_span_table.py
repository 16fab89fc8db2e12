"""The span table: a checked Qt model, click to show, relabel in place, Delete removes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import QApplication, QComboBox
from window_driver import key, rows, show_window

from annotator.core.model import Label, Span
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings
from annotator.ui.views.span_table import SpanIdRole, SpanTableModel

K, M = Qt.Key, Qt.KeyboardModifier
TEXT = "Ana Núñez met the <b>Board</b> of Kenya Airways in Nairobi on Monday."
LABELS = [Label("PERSON", "entity", "#7aa6f0", "1"), Label("ORG", "entity", "#f0a35e", "2"),
          Label("GPE", "entity", "#6cc28a", "3"), Label("CLAIM", "claim", "#d9534f", "c")]


KENYA, NAIROBI, BOARD, MONDAY = (TEXT.index(w) for w in ("Kenya Airways", "Nairobi", "<b>Board</b>", "Monday"))


def at(word_start: int, word: str) -> tuple[int, int]:
    return word_start, word_start + len(word)


def span(i, start, end, label, state="accepted"):
    return Span(1, start, end, label, TEXT[start:end], "alice", "manual", state, i)


@pytest.fixture
def model(qapp):
    model = SpanTableModel()
    model.set_labels(LABELS)
    model.set_spans([span(3, *at(NAIROBI, "Nairobi"), "GPE"), span(1, 0, 9, "PERSON"),
                     span(2, *at(KENYA, "Kenya Airways"), "ORG", "suggested"),
                     span(4, *at(BOARD, "<b>Board</b>"), "ORG", "rejected")])
    return model


def test_span_table_passes_qtmodeltester(model, qtmodeltester):
    qtmodeltester.check(model)
    model.put(span(5, *at(MONDAY, "Monday"), "GPE"))
    model.put(span(3, *at(NAIROBI, "Nairobi"), "ORG"))
    model.remove(1)
    qtmodeltester.check(model)


def test_span_table_rows_in_text_order_without_rejected(model):
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == ["Ana Núñez", "Kenya Airways", "Nairobi"]
    assert model.index(1, 0).data() == "ORG?"
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole).italic()
    assert model.index(1, 0).data(Qt.ItemDataRole.EditRole) == "ORG"
    assert model.index(0, 2).data() == "alice"
    assert model.index(0, 0).data(SpanIdRole) == 1
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Label"


def test_span_table_put_keeps_order_and_drops_rejected(model):
    model.put(span(6, *at(BOARD, "<b>Board</b>"), "ORG"))
    assert [model.index(r, 0).data(SpanIdRole) for r in range(model.rowCount())] == [1, 6, 2, 3]
    model.put(span(6, *at(BOARD, "<b>Board</b>"), "ORG", "rejected"))
    assert model.row_of(6) is None


def test_span_table_tooltip_is_escaped(model):
    model.put(span(7, *at(BOARD, "<b>Board</b>"), "ORG"))
    tooltip = model.index(model.row_of(7), 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Board&lt;/b&gt;" in tooltip and "<b>Board" not in tooltip
    assert model.index(model.row_of(7), 1).data() == "<b>Board</b>"


def test_span_table_label_choices_are_of_the_same_kind(model):
    assert model.labels_like("GPE") == ["PERSON", "ORG", "GPE"]
    assert model.labels_like("CLAIM") == ["CLAIM"]
    assert not model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    project = make_project([("One", TEXT, "todo", [(0, 9, "PERSON"), (*at(NAIROBI, "Nairobi"), "GPE")])])
    win = show_window(qtbot, MainWindow(project))
    yield win
    win.shut_down()


def test_span_table_click_selects_the_span_in_the_article(window, qtbot):
    table = window.span_table
    rect = table.visualRect(table.model().index(1, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.text_view.selection() == at(NAIROBI, "Nairobi")
    assert window.text_view.textCursor().selectedText() == "Nairobi"


def test_span_table_edit_label_in_place_is_an_undoable_relabel(window, qtbot):
    table = window.span_table
    index = table.model().index(1, 0)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.findChild(QComboBox)
    assert editor is not None
    assert [editor.itemText(i) for i in range(editor.count())][:3] == ["PERSON", "ORG", "GPE"]
    assert "CLAIM" not in [editor.itemText(i) for i in range(editor.count())]
    editor.setCurrentIndex(editor.findText("LOC"))
    editor.activated.emit(editor.currentIndex())
    assert [r[3] for r in rows(window.project.path)] == ["PERSON", "LOC"]
    assert table.model().index(1, 0).data() == "LOC"
    window.text_view.setFocus()
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert [r[3] for r in rows(window.project.path)] == ["PERSON", "GPE"]
    assert table.model().index(1, 0).data() == "GPE"


def test_span_table_delete_key_removes_the_selected_span(window, qtbot):
    table = window.span_table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 1))
    key(qtbot, window, K.Key_Delete, widget=table)
    assert [r[4] for r in rows(window.project.path)] == ["Nairobi"]
    assert table.model().rowCount() == 1
    assert window.side_tabs.tabText(0) == "Spans (1)"
    assert window.text_view.index is not None and len(window.text_view.index) == 1


def test_span_table_follows_the_article_cursor(window, qtbot):
    window.text_view.set_cursor_offset(NAIROBI + 2)
    assert window.span_table.current_span_id() == window.project.spans(window.text_view.doc_id)[1].id
    window.text_view.set_cursor_offset(20)
    assert window.span_table.current_span_id() is None


def test_span_table_tooltips_never_render_html(model):
    for row in range(model.rowCount()):
        tip = model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
        assert tip.startswith("<p>")  # escaped rich text: Qt shows the characters as they are
        assert QtGuiNamespace.mightBeRichText(tip)


def test_span_table_keys_typed_in_the_label_combo_stay_in_the_combo(window, qtbot):
    table = window.span_table
    window.text_view.set_cursor_offset(0)  # the cursor on the PERSON span: its key would relabel it
    index = table.model().index(1, 0)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.findChild(QComboBox)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    before = rows(window.project.path)
    for letter in (K.Key_3, K.Key_C, K.Key_X):  # GPE's key, the claim key, reject
        qtbot.keyClick(editor, letter)
    assert rows(window.project.path) == before  # none of them reached the window
    qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new type-ahead search
    qtbot.keyClick(editor, K.Key_L)
    assert editor.currentText() == "LOC"  # the combo's own type-ahead gets the letters
