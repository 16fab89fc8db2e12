"""Tagging in the real window with mouse and keys; every assertion reads the SQLite file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_driver import char_point, click, drag, key, rows, show_window

from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings

K, M = Qt.Key, Qt.KeyboardModifier
EMOJI = "Fans 😀🇵🇹 cheered.\r\nThe minister José Núñez met reporters in Lisbon on Tuesday."
OTHER = "NAIROBI — The agency defended its vaccine rollout."
HTML = "Before <script>alert(1)</script> and <b>x</b> after."


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    project = make_project([("Emoji", EMOJI), ("Other", OTHER), ("Html", HTML)])
    win = show_window(qtbot, MainWindow(project), size=(1200, 800), tokens=True, focus_text=True)
    yield win
    win.shut_down()


def spans_on_disk(win: MainWindow) -> list[tuple]:
    return rows(win.project.path)


def test_main_window_tagging_mouse_drag_after_emoji_and_crlf_stores_exact_code_points(window, qtbot):
    view = window.text_view
    start = EMOJI.index("José")
    drag(qtbot, view, start + 1, EMOJI.index("Núñez") + 2)  # from inside one word into the next
    assert view.selection() == (start, start + len("José Núñez"))  # snapped to whole tokens
    key(qtbot, window, K.Key_1)
    [(doc, s, e, label, text, annotator, origin, state)] = spans_on_disk(window)
    assert (s, e, label, text) == (start, start + 10, "PERSON", "José Núñez")
    assert EMOJI[s:e] == "José Núñez" and (annotator, origin, state) == ("alice", "manual", "accepted")
    assert view.selection() is None
    assert window.span_model.rowCount() == 1
    assert [window.span_model.index(0, c).data() for c in range(3)] == ["PERSON", "José Núñez", "alice"]


def test_main_window_tagging_keyboard_token_cursor(window, qtbot):
    view = window.text_view
    click(qtbot, view, 0)  # cursor on "Fans"
    for _ in range(6):  # Fans 😀 🇵🇹 cheered . The | minister
        key(qtbot, window, K.Key_Right)
    assert EMOJI[view.cursor_offset():].startswith("minister")
    key(qtbot, window, K.Key_Right)
    key(qtbot, window, K.Key_Right, M.ShiftModifier)  # grabs "José"
    key(qtbot, window, K.Key_Right, M.ShiftModifier)  # extends to "Núñez"
    start = EMOJI.index("José")
    assert view.selection() == (start, start + 10)
    key(qtbot, window, K.Key_2)
    assert [r[1:5] for r in spans_on_disk(window)] == [(start, start + 10, "ORG", "José Núñez")]


def test_main_window_tagging_double_click_selects_one_token(window, qtbot):
    view = window.text_view
    lisbon = EMOJI.index("Lisbon")
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=char_point(view, lisbon + 2))
    assert view.selection() == (lisbon, lisbon + 6)
    key(qtbot, window, K.Key_3)
    assert [r[1:5] for r in spans_on_disk(window)] == [(lisbon, lisbon + 6, "GPE", "Lisbon")]


def test_main_window_tagging_relabel_delete_undo_redo(window, qtbot):
    view = window.text_view
    lisbon = EMOJI.index("Lisbon")
    view.set_selection(lisbon, lisbon + 6)
    key(qtbot, window, K.Key_3)
    click(qtbot, view, lisbon + 1)  # cursor inside the span, no selection
    key(qtbot, window, K.Key_4)  # another label's key relabels it
    assert [r[3] for r in spans_on_disk(window)] == ["LOC"]
    key(qtbot, window, K.Key_Delete)
    assert spans_on_disk(window) == []
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert [r[3] for r in spans_on_disk(window)] == ["LOC"]
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert [r[3] for r in spans_on_disk(window)] == ["GPE"]
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert spans_on_disk(window) == []
    assert view.index is not None and len(view.index) == 0
    key(qtbot, window, K.Key_Z, M.ControlModifier | M.ShiftModifier)
    assert [r[3] for r in spans_on_disk(window)] == ["GPE"]
    key(qtbot, window, K.Key_Y, M.ControlModifier)
    assert [r[3] for r in spans_on_disk(window)] == ["LOC"]
    assert len(view.index) == 1 and window.span_model.rowCount() == 1


def test_main_window_tagging_undo_across_documents_switches_back(window, qtbot):
    view = window.text_view
    lisbon = EMOJI.index("Lisbon")
    view.set_selection(lisbon, lisbon + 6)
    key(qtbot, window, K.Key_3)
    first_doc = view.doc_id
    key(qtbot, window, K.Key_PageDown)
    assert view.text == OTHER
    view.set_selection(0, 7)
    key(qtbot, window, K.Key_3)
    key(qtbot, window, K.Key_PageDown)
    assert view.text == HTML
    key(qtbot, window, K.Key_Z, M.ControlModifier)  # the NAIROBI span: back to that document
    assert view.text == OTHER and [r[4] for r in spans_on_disk(window)] == ["Lisbon"]
    key(qtbot, window, K.Key_Z, M.ControlModifier)  # the Lisbon span: back to the first document
    assert view.doc_id == first_doc and spans_on_disk(window) == []
    assert window.document_list.currentIndex().row() == 0
    key(qtbot, window, K.Key_Y, M.ControlModifier)
    assert [r[4] for r in spans_on_disk(window)] == ["Lisbon"]
    assert len(view.index) == 1


def test_main_window_tagging_sticky_label_mode(window, qtbot):
    view = window.text_view
    view.clear_selection()
    key(qtbot, window, K.Key_3)  # no selection, cursor on no span: arms GPE
    assert window.label_bar.armed == "GPE"
    assert window.label_bar.label_actions["GPE"].isChecked()
    assert "GPE armed" in window.status.armed_label.text()
    lisbon, tuesday = EMOJI.index("Lisbon"), EMOJI.index("Tuesday")
    drag(qtbot, view, lisbon, lisbon + 4)
    drag(qtbot, view, tuesday + 1, tuesday + 5)
    assert [r[3:5] for r in spans_on_disk(window)] == [("GPE", "Lisbon"), ("GPE", "Tuesday")]
    key(qtbot, window, K.Key_Escape)
    assert window.label_bar.armed is None and not window.status.armed_label.isVisible()
    drag(qtbot, view, 0, 2)  # disarmed: a drag only selects
    assert len(spans_on_disk(window)) == 2 and view.selection() == (0, 4)


def test_main_window_tagging_overlap_is_refused_with_a_message(window, qtbot):
    view = window.text_view
    start = EMOJI.index("José")
    view.set_selection(start, start + 10)
    key(qtbot, window, K.Key_1)
    view.set_selection(start + 5, start + 10)
    key(qtbot, window, K.Key_2)
    assert [r[3] for r in spans_on_disk(window)] == ["PERSON"]
    assert "may not overlap" in window.statusBar().currentMessage()
    assert window.session.stack.count() == 1


def test_main_window_tagging_claim_key_makes_a_claim(window, qtbot):
    view = window.text_view
    start = EMOJI.index("The minister")
    view.set_selection(start, len(EMOJI) - 1)
    key(qtbot, window, K.Key_C)
    assert window.project.claim_count() == 1
    assert [r[3] for r in spans_on_disk(window)] == ["CLAIM"]
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert window.project.claim_count() == 0 and spans_on_disk(window) == []


def test_main_window_tagging_html_article_shows_literally(window, qtbot):
    key(qtbot, window, K.Key_PageDown)
    key(qtbot, window, K.Key_PageDown)
    view = window.text_view
    assert view.toPlainText() == HTML
    script = HTML.index("<script>")
    view.set_selection(script, script + len("<script>alert(1)</script>"))
    key(qtbot, window, K.Key_2)
    assert [r[4] for r in spans_on_disk(window)] == ["<script>alert(1)</script>"]
    assert window.span_model.index(0, 1).data() == "<script>alert(1)</script>"


def test_main_window_tagging_ctrl_s_says_saved(window, qtbot):
    key(qtbot, window, K.Key_S, M.ControlModifier)
    assert "every edit is saved as you make it" in window.statusBar().currentMessage()


def test_main_window_tagging_grow_span_end_by_a_token(window, qtbot):
    view = window.text_view
    start = EMOJI.index("José")
    view.set_selection(start, start + 4)
    key(qtbot, window, K.Key_1)
    click(qtbot, view, start + 1)
    key(qtbot, window, K.Key_Right, M.ControlModifier | M.ShiftModifier)
    assert [r[4] for r in spans_on_disk(window)] == ["José Núñez"]
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert [r[4] for r in spans_on_disk(window)] == ["José"]
