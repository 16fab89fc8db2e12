"""Working a modal dialog from inside its exec() loop (which blocks the test).

A module of its own (test modules import it by name, as they do window_driver).
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def when_modal(qtbot, handle: Callable[[QWidget], None]) -> None:
    """Run ``handle`` on the next modal dialog once it is up and active (it blocks in exec())."""
    def poll(tries: int = 0):
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible():
            QTimer.singleShot(10, lambda: poll(tries))
            return
        if QApplication.activeWindow() is not widget and tries < 200:
            widget.activateWindow()  # mnemonics only reach the active window; activation is async
            QTimer.singleShot(10, lambda: poll(tries + 1))
            return
        handle(widget)
        # A handler that fails to close the dialog must fail the test, not hang it.
        QTimer.singleShot(3000, lambda: shiboken6.isValid(widget) and widget.isVisible() and widget.done(0))
    QTimer.singleShot(0, poll)
