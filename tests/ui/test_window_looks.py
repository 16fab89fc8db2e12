"""What the window shows at once and how it looks: the token cursor from the first moment, clearly,
in light and dark; the place where each annotator left off; themes applied to every widget live."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QToolButton
from window_driver import key, show_window

from annotator.ui.common.settings import Settings
from annotator.ui.common.themes import apply_theme, contrast_ratio
from annotator.ui.window.main_window import MainWindow

K, M = Qt.Key, Qt.KeyboardModifier
FIRST = "Viktor Bout met the envoy in Lisbon on Monday."
DOCS = [("A", FIRST, "todo", [(0, 11, "PERSON")]), ("B", "Second article about Kenya and Ghana."),
        ("C", "Third one, about Oslo and Bergen.")]


@pytest.fixture
def themed(qapp):
    yield qapp
    apply_theme(qapp, "system")


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    win = show_window(qtbot, MainWindow(make_project(DOCS)), size=(1100, 700), focus_text=True)
    yield win
    win.shut_down()


def ring_pixels(window: MainWindow) -> list[QColor]:
    """The colours on the top edge of the token cursor's ring, as drawn."""
    view = window.text_view
    view.viewport().repaint()
    image: QImage = view.viewport().grab().toImage()
    rect = view.cursor_rect()
    assert rect is not None
    ratio = image.devicePixelRatio()
    y = round((rect.top()) * ratio)
    xs = range(round((rect.left() + 6) * ratio), round((rect.right() - 6) * ratio))
    return [QColor(image.pixel(x, y + dy)) for x in xs for dy in (-1, 0, 1)]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_window_looks_token_cursor_is_shown_at_once_and_clearly_inside_a_span(make_project, qtbot, themed, theme):
    apply_theme(themed, theme)
    win = show_window(qtbot, MainWindow(make_project(DOCS)), size=(1100, 700), focus_text=True)
    view = win.text_view
    assert view.cursor_offset() == 0 and view.cursor_rect() is not None  # before any key
    highlight = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    pixels = ring_pixels(win)
    # The ring is drawn in the highlight colour over the PERSON fill of "Viktor Bout".
    assert sum(1 for c in pixels if _close(c, highlight)) >= len(pixels) // 4
    fill = view.styles.style("PERSON").background
    assert contrast_ratio(highlight, fill) >= 1.5 or contrast_ratio(highlight, view.palette().color(
        QPalette.ColorRole.Base)) >= 3
    # The first arrow key moves it (it used to only make it appear).
    key(qtbot, win, K.Key_Right)
    assert view.cursor_offset() == FIRST.index("Bout")
    win.grab().save(f"/tmp/annotator-cursor-{theme}.png")
    win.shut_down()


def _close(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tolerance


def test_window_looks_reopens_where_this_annotator_left_off(make_project, qtbot):
    settings = Settings()
    settings.set_value("annotator/name", "alice")
    project = make_project(DOCS)
    first = show_window(qtbot, MainWindow(project, settings), focus_text=True)
    key(qtbot, first, K.Key_PageDown)
    key(qtbot, first, K.Key_PageDown)
    for _ in range(3):
        key(qtbot, first, K.Key_Right)
    assert first.text_view.text.startswith("Third")
    offset = first.text_view.cursor_offset()
    assert offset == first.text_view.text.index("about")
    first.close()
    again = show_window(qtbot, MainWindow(project, settings), focus_text=True)
    assert again.text_view.text.startswith("Third") and again.text_view.cursor_offset() == offset
    assert again.document_pane.current_row() == 2
    again.close()
    # Another annotator of the same file starts where they left off: here, at the start.
    settings.set_value("annotator/name", "bob")
    bob = show_window(qtbot, MainWindow(project, settings), focus_text=True)
    assert bob.text_view.text == FIRST and bob.text_view.cursor_offset() == 0
    bob.close()


def test_window_looks_a_document_gone_since_opens_the_first(make_project, qtbot):
    settings = Settings()
    project = make_project(DOCS)
    from annotator.ui.window import last_position

    last_position.remember(settings, project.path, settings.value("annotator/name") or None, 999, 5)
    win = show_window(qtbot, MainWindow(project, settings))
    assert win.text_view.text == FIRST
    win.close()


def test_window_looks_dark_theme_reaches_the_label_bar_and_dialog_buttons_live(window, qtbot, themed):
    def background(widget) -> QColor:
        image = widget.grab().toImage()
        return QColor(image.pixel(image.width() // 2, image.height() - 4))

    button = window.label_bar.findChild(QToolButton, "labelButton:GPE")
    assert background(button).lightnessF() > 0.5
    window.actions_by_id  # the View > Theme > Dark action, as a user picks it
    dark = next(a for a in window.findChildren(type(window.quit_action)) if a.objectName() == "view.theme.dark")
    dark.trigger()
    qtbot.wait(10)
    assert background(button).lightnessF() < 0.5
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    box.show()
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    assert background(ok).lightnessF() < 0.5
    box.deleteLater()
    text = window.label_bar.findChild(QToolButton, "labelButton:GPE").palette().color(QPalette.ColorRole.ButtonText)
    assert text.lightnessF() > 0.5
    QApplication.processEvents()
    assert window.text_view.styles.dark
    assert window.text_view.viewport().grab().toImage().pixelColor(QPoint(3, 3)).lightnessF() < 0.5
