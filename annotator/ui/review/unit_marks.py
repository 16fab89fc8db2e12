"""Review units drawn in the article: under each unit's words a bar in its state's colour
(solid where annotators differ, dashed where some lack it, thin where all agree or it is
decided), and the current unit in a band, so the reader sees every unit where it is.

Units are ranges of the article, not spans of the shown layer (most are not in gold yet), so
their rectangles come from the text layout's lines, not from the span index.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextBlock
from PySide6.QtWidgets import QPlainTextEdit

from ...core.review import AGREED, CONFLICT, DECIDED, DOC, MISSING, Unit
from ..common.offsets import OffsetMap
from ..common.themes import is_dark
from .review_pane import state_colors

CURRENT_ALPHA_LIGHT, CURRENT_ALPHA_DARK = 60, 90
LANE = 4.0  # a unit inside another (an entity in a claim) has its bar this much lower


def visible_blocks(view: QPlainTextEdit) -> dict[int, tuple[QTextBlock, QRectF]]:
    """The blocks on screen, by number, with their geometry in viewport coordinates (once per paint)."""
    offset = view.contentOffset()
    bottom = view.viewport().height()
    found: dict[int, tuple[QTextBlock, QRectF]] = {}
    block = view.firstVisibleBlock()
    while block.isValid():
        geometry = view.blockBoundingGeometry(block).translated(offset)
        if geometry.top() > bottom:
            break
        found[block.blockNumber()] = (block, geometry)
        block = block.next()
    return found


def range_rects(view: QPlainTextEdit, qs: int, qe: int,
                blocks: dict[int, tuple[QTextBlock, QRectF]] | None = None) -> list[QRectF]:
    """The visible line pieces of the Qt range ``qs``-``qe`` in viewport coordinates (the
    text's own height, without the rows a line keeps above and below for tags and links)."""
    blocks = visible_blocks(view) if blocks is None else blocks
    document = view.document()
    first, last = document.findBlock(qs).blockNumber(), document.findBlock(max(qs, qe - 1)).blockNumber()
    rects: list[QRectF] = []
    for number in range(first, last + 1):
        if number not in blocks:
            continue
        block, geometry = blocks[number]
        layout = block.layout()
        base = block.position()
        a, b = max(qs, base) - base, min(qe, base + block.length() - 1) - base
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            s, e = max(a, line.textStart()), min(b, line.textStart() + line.textLength())
            if s >= e:
                continue
            x1, x2 = _x(line.cursorToX(s)), _x(line.cursorToX(e))
            height = line.ascent() + line.descent()
            top = line.y() + line.height() - height - _below(line, height)
            rects.append(QRectF(min(x1, x2) + geometry.left(), top + geometry.top(), abs(x2 - x1), height))
    return rects


def _x(found: object) -> float:
    return float(found[0] if isinstance(found, tuple) else found)  # type: ignore[index]


def _below(line: object, height: float) -> float:
    """The room a line keeps under its text (claim underlines and links): about a third of
    what the line has beyond the text's height (ui/text/text_layout.py keeps the rest above)."""
    spare = line.height() - height  # type: ignore[attr-defined]
    return max(0.0, spare * 0.33)


def paint_units(painter: QPainter, view: QPlainTextEdit, offsets: OffsetMap, units: Sequence[Unit],
                current: int | None) -> None:
    dark = is_dark(view.palette())
    colors = state_colors(view.palette())
    blocks = visible_blocks(view)
    if not blocks:
        return
    numbers = sorted(blocks)
    low = blocks[numbers[0]][0].position()
    high = blocks[numbers[-1]][0].position() + blocks[numbers[-1]][0].length()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    lanes = _lanes(units)
    for i, unit in enumerate(units):
        if unit.group == DOC or unit.end <= unit.start:
            continue
        qs, qe = offsets.to_qt_range(unit.start, unit.end)
        if qe <= low or qs >= high:
            continue  # off screen
        rects = range_rects(view, qs, qe, blocks)
        if not rects:
            continue
        color = colors[unit.state]
        if i == current:
            band = QColor(color)
            band.setAlpha(CURRENT_ALPHA_DARK if dark else CURRENT_ALPHA_LIGHT)
            painter.setPen(QPen(color, 1.5))
            painter.setBrush(band)
            for rect in rects:
                painter.drawRoundedRect(rect.adjusted(-3, -2, 3, 2), 4, 4)
        width = 3.0 if unit.state in (CONFLICT, MISSING) else 1.5
        pen = QPen(color, width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if unit.state == MISSING:
            pen.setDashPattern([2.0, 1.5])
        elif unit.state in (AGREED, DECIDED):
            pen.setStyle(Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        for rect in rects:
            y = rect.bottom() + width / 2 + 2 + LANE * lanes[i]
            painter.drawLine(rect.left(), y, rect.right(), y)
    painter.restore()


def _lanes(units: Sequence[Unit]) -> list[int]:
    """How many earlier units (text order) each unit lies inside: its bar's lane."""
    lanes: list[int] = []
    for i, unit in enumerate(units):
        lanes.append(sum(1 for other in units[:i] if other.group != DOC and other.start <= unit.start < other.end))
    return lanes
