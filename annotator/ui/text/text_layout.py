"""Line spacing for QPlainTextEdit, which has none of its own.

QPlainTextDocumentLayout ignores ``QTextBlockFormat.setLineHeight`` (measured on Qt 6.11: lines
stay packed at the font's height). Its C++ layout puts lines at y = 0, h, 2h...; every part of
QPlainTextEdit (painting, scrolling, hit testing, the cursor rectangle) then reads the lines'
positions through ``blockBoundingRect`` and ``QTextLine.y()``. So this subclass moves the lines
apart right after Qt lays a block out, in ``blockBoundingRect``, which Qt calls before using a
block. The gap gives room for nested span boxes and claim underlines between lines.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

LINE_GAP_RATIO = 0.6  # of the font's line height: about 1.6 line spacing, a comfortable reading measure
MIN_GAP = 6.0


class SpacedLayout(QPlainTextDocumentLayout):
    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self.gap = 10.0

    def set_line_height(self, line_height: float) -> None:
        self.gap = float(max(MIN_GAP, round(line_height * LINE_GAP_RATIO)))
        self.requestUpdate()

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)  # lays the block out if Qt has not yet
        layout = block.layout()
        count = layout.lineCount() if layout is not None else 0
        if count == 0 or not block.isVisible():
            return rect
        half = self.gap / 2
        first = layout.lineAt(0)
        if first.y() != half:  # freshly laid out by Qt: lines packed from y = 0
            y = half
            for i in range(count):
                line = layout.lineAt(i)
                line.setPosition(QPointF(line.x(), y))
                y += line.height() + self.gap
        last = layout.lineAt(count - 1)
        height = last.y() + last.height() + half
        if not block.next().isValid():
            height += self.document().documentMargin()
        return QRectF(0.0, 0.0, rect.width(), height)
