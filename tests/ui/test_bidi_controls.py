"""Bidirectional control characters in titles, labels, list entries and articles are shown, never
obeyed: the window never shows a reversed title or label, and a span's highlight covers exactly
the characters the span holds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextCursor
from window_driver import show_window

from annotator.core.model import Label
from annotator.ui.common.bidi import ARTICLE_MARK, shown_article, shown_name
from annotator.ui.common.settings import Settings
from annotator.ui.text.span_painter import visible_fragments
from annotator.ui.window.main_window import MainWindow

TEXT = "Invoice for \u202eAcme Holdings\u202c paid in Lisbon, \u2067Kenya\u2069 next."
ACME = (TEXT.index("Acme"), TEXT.index("Acme") + len("Acme Holdings"))


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    project = make_project([("\u202eeltit desrever", TEXT, "todo", [(*ACME, "ORG")])])
    project.add_label(Label("\u202eLRO", "entity", "#aa66cc", "9"))
    win = show_window(qtbot, MainWindow(project), size=(1100, 500), focus_text=True)
    yield win
    win.shut_down()


def test_bidi_controls_names_are_written_out_not_obeyed():
    assert shown_name("\u202eeltit desrever") == "‹RLO›eltit desrever"
    assert shown_name("plain GPE") == "plain GPE"  # text without controls is left alone
    shown = shown_article(TEXT)
    assert len(shown) == len(TEXT) and shown.count(ARTICLE_MARK) == 4  # one for one: offsets hold


def test_bidi_controls_title_label_and_list_entry_show_as_stored(window):
    assert window.document_model.index(0, 0).data().endswith("  ‹RLO›eltit desrever")
    assert window.label_bar.label_actions["\u202eLRO"].text() == "‹RLO›LRO"
    assert window.span_model.index(0, 1).data() == "Acme Holdings"
    assert window.text_view.styles.style("\u202eLRO").tag == "‹RLO›LRO"


def test_bidi_controls_article_highlight_covers_exactly_the_stored_characters(window):
    view = window.text_view
    assert view.text == TEXT  # the stored text, untouched
    view.viewport().repaint()

    def x(offset: int) -> float:
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.offsets.to_qt(offset))
        return view.cursorRect(cursor).left()

    # Left to right, in stored order: the override after "for " no longer reverses "Acme Holdings".
    xs = [x(i) for i in range(ACME[0], ACME[1] + 1)]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    [piece] = [f for f in visible_fragments(view, QRectF(view.viewport().rect()), view.index, view.styles)
               if f.shown.span.text == "Acme Holdings"]
    assert abs(piece.rect.left() - x(ACME[0])) <= 1 and abs(piece.rect.right() - x(ACME[1])) <= 1
    # What is drawn there is the span's fill.
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    fill = view.styles.style("ORG").background
    inside = image.pixelColor(round((x(ACME[0]) + 1) * ratio), round(piece.rect.bottom() * ratio) - 2)
    assert abs(inside.red() - fill.red()) + abs(inside.green() - fill.green()) + abs(inside.blue() - fill.blue()) < 40
    # Copying the span's text gives the stored characters.
    view.set_selection(*ACME)
    view.copy_selection()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "Acme Holdings"
    window.grab().save("/tmp/annotator-bidi.png")
