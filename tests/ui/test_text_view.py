"""The article view on its own: drawing layers, incremental updates, hover, tokens, keys."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QEvent, QPoint, QRectF, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from window_driver import boundary_point, char_point, drag

from annotator.core.model import Label, Span
from annotator.ui.text.span_painter import box_outset, tag_rect, visible_fragments
from annotator.ui.text.text_view import AnnotationView

LABELS = [Label("PERSON", "entity", "#7aa6f0", "1"), Label("GPE", "entity", "#6cc28a", "3"),
          Label("<b>ORG</b>", "entity", "#f0a35e", "2"), Label("CLAIM", "claim", "#d9534f", "c")]
PARAGRAPHS = [f"Paragraph {i} mentions Lisbon and Ana Núñez 😀 twice." for i in range(40)]
TEXT = "\r\n\r\n".join(PARAGRAPHS)


def find(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def span(i: int, word: str, label: str, nth: int = 0, state: str = "accepted", annotator="alice",
         origin="manual") -> Span:
    start, end = find(word, nth)
    return Span(1, start, end, label, TEXT[start:end], annotator, origin, state, i)


@pytest.fixture
def view(qtbot):
    widget = AnnotationView()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.set_labels(LABELS)
    widget.show_document(1, TEXT, [span(1, "Lisbon", "GPE"), span(2, "Ana Núñez", "PERSON"),
                                   span(3, "Lisbon", "<b>ORG</b>", nth=1, state="suggested", origin="model:news"),
                                   span(4, "Ana Núñez", "PERSON", nth=1, state="rejected")])
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_text_view_shows_stored_text_and_draws_only_live_spans(view):
    assert view.toPlainText() == TEXT.replace("\r\n", "\n")
    assert view.index is not None and sorted(s.id for s in view.index.all()) == [1, 2, 3]  # rejected: not drawn
    assert view.index.get(3).suggested
    assert view.isReadOnly()


def word_positions(view) -> list[tuple[int, int]]:
    """Where the start of every word of the first paragraphs is drawn."""
    points = []
    for match in re.finditer(r"\w+", TEXT[:400]):
        point = boundary_point(view, match.start())
        points.append((point.x(), point.y()))
    return points


def test_text_view_adding_a_span_moves_no_word(view, qtbot):
    """Tags have a row of their own above each line: a span added or removed reflows nothing."""
    before = word_positions(view)
    spans = [span(10 + i, "mentions", "GPE", nth=i) for i in range(3)] + [span(20, "twice", "CLAIM")]
    for added in spans:
        view.put_span(added)
    qtbot.wait(10)
    assert word_positions(view) == before
    for added in spans:
        view.remove_span(added.id)
    assert word_positions(view) == before


def test_text_view_tag_sits_above_the_span_start_and_covers_no_text(view):
    """The label tag is in the tag row over the span's first letter, below the line above."""
    view.viewport().repaint()
    start, end = find("Lisbon")
    left, top = boundary_point(view, start), view.cursorRect(text_cursor(view, start))
    pieces = [f for f in visible_fragments(view, QRectF(view.viewport().rect()), view.index, view.styles)
              if f.shown.id == 1]
    tag = tag_rect(pieces[0], view.styles, box_outset(view))
    assert tag is not None and abs(tag.left() - left.x()) <= 2
    assert tag.bottom() <= top.top() + 2  # above the line's text
    line_above = view.cursorRect(text_cursor(view, max(0, start - 1)))
    assert tag.top() >= top.top() - view.document().documentLayout().above - 1
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    inside = image.pixelColor(round((tag.left() + 2) * ratio), round(tag.center().y() * ratio))
    border = view.styles.style("GPE").border
    assert abs(inside.red() - border.red()) + abs(inside.green() - border.green()) + abs(inside.blue() - border.blue()) < 60
    assert line_above is not None


def text_cursor(view, offset: int):
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(offset))
    return cursor


def test_text_view_hover_names_label_annotator_origin_as_plain_text(view, qtbot):
    start, _ = find("Lisbon", 1)
    point = char_point(view, start + 2)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    text = QToolTip.text()
    assert "&lt;b&gt;ORG&lt;/b&gt; (suggestion)" in text
    assert "alice, suggested by model news" in text
    QToolTip.hideText()
    start, _ = find("Ana Núñez")
    point = char_point(view, start + 1)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)))
    assert "PERSON — alice, tagged by hand" in QToolTip.text()
    QToolTip.hideText()


def test_text_view_click_on_a_span_puts_the_cursor_in_it(view, qtbot):
    seen: list[int] = []
    view.span_clicked.connect(seen.append)
    start, _ = find("Ana Núñez")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(view, start + 3))
    assert seen == [2]
    assert [s.id for s in view.spans_at_cursor()] == [2]


def test_text_view_drag_snaps_with_fallback_tokens_before_spacy(view, qtbot):
    assert not view.tokens_exact
    start, end = find("mentions", 3)
    drag(qtbot, view, start + 2, end - 2)
    assert view.selection() == (start, end)


def test_text_view_keyboard_selection_and_copy_give_stored_text(view, qtbot):
    view.set_cursor_offset(find("Paragraph", 1)[0])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Up)  # up a line, across the CRLF paragraphs
    assert view.cursor_offset() == 0
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selection() == (0, len("Paragraph 0"))
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert view.selection() == (0, len("Paragraph"))
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "Paragraph"
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert TEXT[view.cursor_offset():].startswith(".")
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.cursor_offset() == len(TEXT) - 1


def test_text_view_tab_walks_spans(view, qtbot):
    view.setFocus()
    view.set_cursor_offset(0)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.spans_at_cursor()[-1].id == 1
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.spans_at_cursor()[-1].id == 2
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.spans_at_cursor()[-1].id == 1


def test_text_view_zoom_changes_font_and_tags(view):
    size = view.font().pointSizeF()
    width, row = view.styles.style("GPE").tag_width, view.document().documentLayout().above
    view.set_zoom(3)
    assert view.font().pointSizeF() == pytest.approx(size + 3)
    assert view.styles.style("GPE").tag_width > width and view.document().documentLayout().above > row
    view.set_zoom(0)
    assert view.font().pointSizeF() == pytest.approx(size)


def test_text_view_stale_spans_are_drawn_where_stored(qtbot):
    widget = AnnotationView()
    qtbot.addWidget(widget)
    widget.set_labels(LABELS)
    stale = Span(1, 0, 5, "GPE", "Porto", "alice", "manual", "accepted", 7)  # the text says "Paris"
    widget.show_document(1, "Paris is far.", [stale], {7})
    widget.show()
    assert widget.index.get(7).qs == 0 and widget.index.get(7).qe == 5


def test_text_view_light_and_dark_paint_without_errors(view, qtbot):
    from annotator.ui.common.themes import apply_theme

    app = QApplication.instance()
    for theme in ("dark", "light"):
        apply_theme(app, theme)
        QApplication.processEvents()
        image = view.grab().toImage()
        assert not image.isNull()
        assert view.styles.dark == (theme == "dark")
    apply_theme(app, "system")


def test_text_view_point_to_offset_round_trip(view):
    for word in ("Ana Núñez", "twice"):
        start, _ = find(word, 5)
        view.set_cursor_offset(start)
        assert view.offset_at(boundary_point(view, start) + QPoint(1, 0)) in (start, start + 1)


def test_text_view_right_to_left_article_lines_start_at_the_right(view, qtbot):
    arabic = "قال الوزير إن المحادثات كانت بناءة في لشبونة يوم الثلاثاء.\n\nQuoted in English."
    start = arabic.index("لشبونة")
    view.show_document(2, arabic, [Span(2, start, start + 6, "GPE", "لشبونة", "alice", "manual", "accepted", 9)])
    assert view.document().defaultTextOption().alignment() == Qt.AlignmentFlag.AlignRight
    width = view.viewport().width()
    assert boundary_point(view, 0).x() > width - 60  # the first letter is at the right edge
    assert boundary_point(view, arabic.index(".")).x() > 100  # a line shorter than the view: room on its left
    # Offsets stay exact: the character at ``start`` lies left of its boundary in this script.
    assert view.offset_at(boundary_point(view, start) - QPoint(2, 0)) in (start, start + 1)
    view.show_document(1, TEXT, [])  # the next, English article is left-aligned again
    assert view.document().defaultTextOption().alignment() == Qt.AlignmentFlag.AlignLeft
    assert boundary_point(view, 0).x() < 60


def test_text_view_arrows_follow_the_screen_in_a_right_to_left_article(view, qtbot):
    arabic = "قال الوزير إن المحادثات كانت بناءة."
    view.show_document(2, arabic, [])
    view.setFocus()
    view.set_cursor_offset(0)  # on "قال", the rightmost word
    qtbot.keyClick(view, Qt.Key.Key_Left)  # the arrow points onward: the next word, left of it
    assert view.cursor_offset() == arabic.index("الوزير")
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.cursor_offset() == 0
    view.show_document(1, TEXT, [])
    view.set_cursor_offset(0)
    qtbot.keyClick(view, Qt.Key.Key_Right)  # left to right again
    assert view.cursor_offset() == TEXT.index("0")
