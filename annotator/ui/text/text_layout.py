"""Line spacing for QPlainTextEdit, which has none of its own, with a row for label tags.

QPlainTextDocumentLayout ignores ``QTextBlockFormat.setLineHeight`` (measured on Qt 6.11: lines
stay packed at the font's height). Its C++ layout puts lines at y = 0, h, 2h...; every part of
QPlainTextEdit (painting, scrolling, hit testing, the cursor rectangle) then reads the lines'
positions through ``blockBoundingRect`` and ``QTextLine.y()``. So this subclass moves the lines
apart right after Qt lays a block out, in ``blockBoundingRect``, which Qt calls before using a
block.

Each line gets room ``above`` it for the label tags of the spans that start on it (span_painter
draws them there) and room ``below`` it for claim underlines and nested boxes. The room is the
same for every line, spans or not: adding or removing a span never moves a word.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

BELOW_RATIO = 0.45  # of the font's line height: claim underlines and the boxes' edges
MIN_BELOW = 8.0
TAG_CLEARANCE = 2.0  # above a tag, from whatever the line before draws below itself


class SpacedLayout(QPlainTextDocumentLayout):
    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self.above = 14.0
        self.below = 6.0

    @property
    def gap(self) -> float:
        """The white space between two lines."""
        return self.above + self.below

    def set_line_height(self, line_height: float, tag_height: float) -> None:
        self.below = float(max(MIN_BELOW, round(line_height * BELOW_RATIO)))
        # The tag sits on its span's box like a tab on a folder: its foot is the box's top edge.
        self.above = float(round(tag_height + TAG_CLEARANCE))
        self.requestUpdate()

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)  # lays the block out if Qt has not yet
        layout = block.layout()
        count = layout.lineCount() if layout is not None else 0
        if count == 0 or not block.isVisible():
            return rect
        first = layout.lineAt(0)
        if first.y() != self.above:  # freshly laid out by Qt: lines packed from y = 0
            y = self.above
            for i in range(count):
                line = layout.lineAt(i)
                line.setPosition(QPointF(line.x(), y))
                y += line.height() + self.gap
        last = layout.lineAt(count - 1)
        height = last.y() + last.height() + self.below
        if not block.next().isValid():
            height += self.document().documentMargin()
        return QRectF(0.0, 0.0, rect.width(), height)
