"""A read-only plain-text view that keeps lines at a comfortable reading length."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF, QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

READING_COLUMNS = 72  # average characters per line; print typography's comfortable range is 60-80
SIDE_MARGIN_MIN = 16


def reading_font(base: QFont) -> QFont:
    font = QFont(base)
    size = base.pointSizeF()
    if size > 0:
        font.setPointSizeF(max(12.0, size * 1.2))
    return font


class ReadingView(QPlainTextEdit):
    """Articles are untrusted: text goes in through setPlainText only, never as HTML."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFont(reading_font(self.font()))
        self.document().setDocumentMargin(12)
        # The side margins belong to the scroll area, not the viewport: paint them like the page.
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self._update_margins()

    def column_width(self) -> int:
        metrics = QFontMetricsF(self.font())
        return round(metrics.averageCharWidth() * READING_COLUMNS + 2 * self.document().documentMargin())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._update_margins()
        super().resizeEvent(event)

    def _update_margins(self) -> None:
        # Centre the column on the whole pane; the scroll bar keeps to the pane's right edge.
        scrollbar = self.verticalScrollBar().sizeHint().width()
        side = (self.width() - self.column_width()) // 2
        left = max(SIDE_MARGIN_MIN, side)
        right = max(SIDE_MARGIN_MIN // 2, side - scrollbar)
        self.setViewportMargins(left, 8, right, 8)
