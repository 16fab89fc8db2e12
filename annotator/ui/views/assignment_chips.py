"""Who has which document, in the document list: after a split (File > Team > Split…) each row
ends with a chip per annotator the document is assigned to, in that annotator's colour (the
same as their layer's column), so a lead sees the shared documents at a glance.

A delegate over the list's one column: the row's text is drawn as before, in the room the
chips leave. A project with no assignment draws exactly as before (no chips, no room kept).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ..common.annotator_colors import AnnotatorColors
from ..common.bidi import shown_name
from .document_model import AssignedRole

CHIP_GAP = 3
MAX_CHIPS = 4  # more assignees than this: the last chip says "+N"
NAME_CHARS = 8  # a long name is cut in its chip (the tooltip has it whole)


def chip_text(ref: str) -> str:
    name = shown_name(ref)
    return name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "…"


class AssignmentDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.colors = AnnotatorColors(())

    def set_annotators(self, refs: list[str]) -> None:
        """The project's annotators, in its order (their colours follow it)."""
        self.colors = AnnotatorColors(refs)

    @staticmethod
    def chips(refs: list[str]) -> list[str]:
        if len(refs) <= MAX_CHIPS:
            return [chip_text(r) for r in refs]
        return [chip_text(r) for r in refs[:MAX_CHIPS - 1]] + [f"+{len(refs) - MAX_CHIPS + 1}"]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        refs = index.data(AssignedRole) or []
        if not refs:
            super().paint(painter, option, index)
            return
        font = QFont(option.font)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        metrics = QFontMetrics(font)
        texts = self.chips(refs)
        widths = [metrics.horizontalAdvance(t) + 8 for t in texts]
        room = sum(widths) + CHIP_GAP * len(widths) + 2
        text_option = QStyleOptionViewItem(option)
        self.initStyleOption(text_option, index)
        text_option.rect = option.rect.adjusted(0, 0, -room, 0)
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # the selection background spans the whole row, chips included
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        super().paint(painter, text_option, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(font)
        x = option.rect.right() - room + CHIP_GAP
        height = metrics.height() + 2
        top = option.rect.top() + (option.rect.height() - height) / 2
        palette = option.palette
        for ref, text, width in zip(refs, texts, widths):
            chip = QRectF(x, top, width, height)
            color = self.colors.color(ref, palette) if not text.startswith("+") else palette.mid().color()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(chip, 3, 3)
            painter.setPen(self.colors.text_on(ref, palette) if not text.startswith("+") else palette.text().color())
            painter.drawText(QRect(int(chip.x()), int(chip.y()), int(chip.width()), int(chip.height())),
                             Qt.AlignmentFlag.AlignCenter, text)
            x += width + CHIP_GAP
        painter.restore()
