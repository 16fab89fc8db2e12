"""Driving claim editing in the real window from the keyboard, answering its questions, and
reading claims back from the project file (a module of its own, imported by name)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from window_driver import key

from annotator.ui.window.main_window import MainWindow

K, M = Qt.Key, Qt.KeyboardModifier


def move_to(qtbot, window: MainWindow, offset: int) -> None:
    """Put the token cursor on the token starting at code point ``offset`` with arrow keys only."""
    view = window.text_view
    key(qtbot, window, K.Key_Home, M.ControlModifier)
    for _ in range(len(view.text)):
        if view.cursor_offset() == offset:
            return
        key(qtbot, window, K.Key_Right)
    raise AssertionError(f"no token starts at {offset}: {view.text[offset:offset + 20]!r}")


def select_tokens(qtbot, window: MainWindow, start: int, count: int) -> tuple[int, int] | None:
    """Token cursor to ``start``, then Shift+Right ``count`` times (the first grabs the token)."""
    move_to(qtbot, window, start)
    for _ in range(count):
        key(qtbot, window, K.Key_Right, M.ShiftModifier)
    return window.text_view.selection()


def press(qtbot, window: MainWindow, *keys: Qt.Key | tuple[Qt.Key, Qt.KeyboardModifier]) -> None:
    for item in keys:
        if isinstance(item, tuple):
            key(qtbot, window, item[0], item[1])
        else:
            key(qtbot, window, item)


@contextmanager
def answering(button_text: str, seen: list[str] | None = None) -> Iterator[None]:
    """Within the block, click ``button_text`` in the message box the window shows (a modal box
    runs its own event loop, where this timer fires). The timer stops with the block, so it
    never answers a box of a later test."""
    timer = QTimer()
    timer.setInterval(10)

    def attempt() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        timer.stop()
        if seen is not None:
            seen.append(box.text())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        box.reject()
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    timer.timeout.connect(attempt)
    timer.start()
    try:
        yield
    finally:
        timer.stop()


def back_in(qtbot, window: MainWindow) -> None:
    """After a message box: the window is active again (asynchronous on some platforms)."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is not None)


def claim_rows(path: Path) -> list[dict]:
    """claim_view rows with their attribute values, read through a connection of our own."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in conn.execute(
            'SELECT id, label, start, "end", text, claimant, canonical_claimant, claimant_start, claimant_end,'
            " cue, cue_start, cue_end FROM claim_view ORDER BY id")]
        for row in rows:
            row["values"] = dict(conn.execute("SELECT attribute, value FROM claim_values WHERE claim_id = ?",
                                              [row["id"]]).fetchall())
        return rows
    finally:
        conn.close()
