"""Driving the real annotation window with mouse and keys, and reading the project file back.

A module of its own (test modules import it by name, as they do ui_projects).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.ui.window.main_window import MainWindow
from annotator.ui.text.text_view import AnnotationView

TOKEN_TIMEOUT_MS = 60_000  # spaCy's first load; generous so slow machines do not fail


def boundary_point(view: AnnotationView, offset: int) -> QPoint:
    """The viewport point of the caret between code point ``offset - 1`` and ``offset``."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(offset))
    return view.cursorRect(cursor).center()


def char_point(view: AnnotationView, offset: int) -> QPoint:
    """A viewport point inside the character at code point ``offset`` (left part of it)."""
    here = boundary_point(view, offset)
    after = boundary_point(view, offset + 1)
    if after.y() != here.y() or after.x() <= here.x():
        return here + QPoint(2, 0)
    return QPoint(here.x() + max(1, (after.x() - here.x()) // 3), here.y())


def drag(qtbot, view: AnnotationView, start: int, end_inside: int) -> None:
    """Press in the character at ``start``, drag to the character at ``end_inside``, release."""
    view.ensureCursorVisible()
    viewport = view.viewport()
    a, b = char_point(view, start), char_point(view, end_inside)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    mid = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
    for point in (a + QPoint(8, 0), mid, b):
        qtbot.mouseMove(viewport, point)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)


def click(qtbot, view: AnnotationView, offset: int) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(view, offset))


def wait_for_tokens(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.text_view.tokens_exact, timeout=TOKEN_TIMEOUT_MS)


def key(qtbot, window: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        widget=None) -> None:
    """A key press as a user makes it: to the focused widget, shortcuts included."""
    target = widget or QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifier)


def rows(path: Path, sql: str = 'SELECT doc_id, start, "end", label, text, annotator, origin, state FROM span_view'
         ' ORDER BY id') -> list[tuple]:
    """What is on disk, read through a connection of its own (not the window's)."""
    conn = sqlite3.connect(path)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def statuses(path: Path) -> dict[str, str]:
    return dict(rows(path, "SELECT title, status FROM documents"))


def show_window(qtbot, window: MainWindow, *, size: tuple[int, int] | None = None, tokens: bool = False,
                focus_text: bool = False) -> MainWindow:
    """Show ``window`` as the active window, as a user has it before the first key press:
    optionally at ``size``, with spaCy's tokens for the document, and the article focused."""
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    if tokens:
        wait_for_tokens(qtbot, window)
    if focus_text:
        window.text_view.setFocus()
    return window
