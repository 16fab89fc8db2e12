"""Drawing the selected claim over the article: its content, its claimant and cue, and the
links between them.

Two passes, hooked into ``AnnotationView.paintEvent``:
- ``paint_under`` (before the text and the entity fills): a soft band in the claim's colour
  behind the content, so entity boxes inside it stay as they are, only on a tinted page;
- ``paint_over`` (after the spans): a ring around the claimant and the cue, and a link from
  the content to each (solid: claimant; dashed: cue), ending in an arrow under the partner.

Links never cover text: they run in the room below lines (under the claim underlines, above
the next line's tag row) and, between lines, down the margin left of the text (right of it in
a right-to-left article): leave the content below its line, along that room to the margin,
along the margin to the partner's line, along the room below it, up into the partner's ring.
On one line, the link runs along the room below it. No names on the links: the claim editor's
Claimant and Cue rows say which line style is which.

Geometry comes from ``span_painter.fragments`` (the same line pieces the spans are drawn
with). Only the three spans of one claim are measured; a partner far away in a long article
(more than ``FAR_BLOCKS`` paragraphs from the screen) is not laid out: its arc points off the
edge of the view instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QPlainTextEdit

from ..text.span_index import ShownSpan, SpanIndex
from ..text.span_painter import box_outset, fragments, tag_rect
from ..text.span_style import SpanStyles

FAR_BLOCKS = 60  # paragraphs; claims and their partners are rarely further apart
BAND_ALPHA_LIGHT = 46
BAND_ALPHA_DARK = 70
RING = 2.0
ARC_WIDTH = 2.0
ARROW = 7.0


@dataclass(frozen=True)
class ClaimMarks:
    """What to draw for the selected claim (span ids of the shown document)."""

    content: int
    claimant: int | None = None
    cue: int | None = None
    color: QColor | None = None  # the claim label's colour; the styles' when None


def span_rects(view: QPlainTextEdit, index: SpanIndex, styles: SpanStyles, shown: ShownSpan, *,
               with_tag: bool = False) -> list[QRectF] | None:
    """The line pieces of a span in viewport coordinates (its label tag too ``with_tag``), or
    None when it lies too far from the screen to lay out."""
    blocks = index.blocks_of(shown)
    first_visible = view.firstVisibleBlock().blockNumber()
    if min(abs(b - first_visible) for b in (blocks[0], blocks[-1])) > FAR_BLOCKS:
        return None
    document = view.document()
    offset = view.contentOffset()
    rects = []
    for number in blocks:
        block = document.findBlockByNumber(number)
        if not block.isValid():
            continue
        geometry = view.blockBoundingGeometry(block).translated(offset)
        for piece in fragments(block, geometry, index, styles, spans=[shown]):
            rect = QRectF(piece.rect)
            tag = tag_rect(piece, styles, box_outset(view)) if with_tag else None
            if tag is not None:
                rect = rect.united(tag)
            rects.append(rect)
    return rects


def _color(marks: ClaimMarks, styles: SpanStyles, index: SpanIndex) -> QColor:
    if marks.color is not None:
        return QColor(marks.color)
    shown = index.get(marks.content)
    return QColor(styles.style(shown.span.label).border) if shown is not None else QColor("#d9534f")


def paint_under(painter: QPainter, view: QPlainTextEdit, index: SpanIndex, styles: SpanStyles,
                marks: ClaimMarks) -> None:
    shown = index.get(marks.content)
    if shown is None:
        return
    rects = span_rects(view, index, styles, shown)
    if not rects:
        return
    band = _color(marks, styles, index)
    band.setAlpha(BAND_ALPHA_DARK if styles.dark else BAND_ALPHA_LIGHT)
    out = box_outset(view) + 1.0
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(band)
    for rect in rects:
        # Just around the line's boxes: the tag row above stays clear for the tags.
        painter.drawRoundedRect(rect.adjusted(-2, -out, 2, out), 3, 3)
    painter.restore()


def paint_over(painter: QPainter, view: QPlainTextEdit, index: SpanIndex, styles: SpanStyles,
               marks: ClaimMarks) -> None:
    content = index.get(marks.content)
    if content is None:
        return
    content_rects = span_rects(view, index, styles, content)
    color = _color(marks, styles, index)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for lane, (role, span_id) in enumerate((("claimant", marks.claimant), ("cue", marks.cue))):
        partner = index.get(span_id) if span_id is not None else None
        if partner is None:
            continue
        rects = span_rects(view, index, styles, partner)
        if rects:
            _ring(painter, rects, color, view, dashed=role == "cue")
        if content_rects:
            tags = (styles.style(content.span.label).tag_width, styles.style(partner.span.label).tag_width)
            _link(painter, link_route(view, content_rects, rects, partner.qs < content.qs, lane, tags),
                  bool(rects), color, role)
    painter.restore()


def _ring(painter: QPainter, rects: list[QRectF], color: QColor, view: QPlainTextEdit, *, dashed: bool) -> None:
    out = box_outset(view) + 1.5
    pen = QPen(color, RING, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for rect in rects:
        painter.drawRoundedRect(rect.adjusted(-out, -out, out, out), 4, 4)


def link_route(view: QPlainTextEdit, content: list[QRectF], partner: list[QRectF] | None, before: bool,
               lane: int = 0, tags: tuple[float, float] = (0.0, 0.0)) -> list[QPointF]:
    """The corners of the link from the content to its partner (or off the view's edge when the
    partner is too far to lay out): through the room between lines and the margin only.
    ``tags`` are the widths of the content's and the partner's label tags (kept clear)."""
    layout = view.document().documentLayout()
    below, gap = getattr(layout, "below", 8.0), getattr(layout, "gap", 20.0)
    ring = box_outset(view) + 1.5 + RING  # outside the partner's ring
    right_to_left = bool(getattr(view, "right_to_left", False))
    line = content[0] if before else content[-1]

    def row(rect: QRectF) -> float:  # the link row under a line, below the claim underlines
        return rect.bottom() + below - 1.5 - lane * 2.0

    def clear_of_tag(rect: QRectF, tag: float) -> float | None:  # where a link can cross a tag row
        x = max(rect.center().x(), rect.left() + tag + 5.0)
        return x if x <= rect.right() - 3.0 else None

    target = (partner[-1] if before else partner[0]) if partner else None
    if target is not None and abs(target.center().y() - line.center().y()) < 1.0:
        # On one line: out under the content, along the room below the line, up into the partner.
        start = QPointF(line.center().x(), line.bottom() + box_outset(view))
        return [start, QPointF(start.x(), row(line)), QPointF(target.center().x(), row(line)),
                QPointF(target.center().x(), target.bottom() + ring)]
    if target is not None and before and abs(target.bottom() + gap - line.top()) < 2.0:
        # The line just above: up beside the claim's tag (a short first piece: from the tag's
        # end), across the room between the two lines, up into the partner.
        x = clear_of_tag(line, tags[0]) or line.left() + tags[0] + 5.0
        return [QPointF(x, line.top() - box_outset(view)), QPointF(x, row(target)),
                QPointF(target.center().x(), row(target)), QPointF(target.center().x(), target.bottom() + ring)]
    if target is not None and not before and abs(line.bottom() + gap - target.top()) < 2.0:
        x = clear_of_tag(target, tags[1])
        if x is not None:  # the line just below: across the room between, down into the partner
            start = QPointF(line.center().x(), line.bottom() + box_outset(view))
            return [start, QPointF(start.x(), row(line)), QPointF(x, row(line)), QPointF(x, target.top() - ring)]
    # Lines apart: along the room below the content's line to the margin, along the margin,
    # along the room below the partner's line, up into the partner.
    start = QPointF(line.left() + min(10.0, line.width() / 2) if not right_to_left
                    else line.right() - min(10.0, line.width() / 2), line.bottom() + box_outset(view))
    margin = _margin_x(view, right_to_left) + (-lane * 4.0 if not right_to_left else lane * 4.0)
    points = [start, QPointF(start.x(), row(line)), QPointF(margin, row(line))]
    if target is None:
        viewport = QRectF(view.viewport().rect())
        points.append(QPointF(margin, viewport.top() - 20 if before else viewport.bottom() + 20))
        return points
    return points + [QPointF(margin, row(target)), QPointF(target.center().x(), row(target)),
                     QPointF(target.center().x(), target.bottom() + ring)]


def _margin_x(view: QPlainTextEdit, right_to_left: bool) -> float:
    """A line in the margin beside the text, where no word is."""
    block = view.firstVisibleBlock()
    geometry = view.blockBoundingGeometry(block).translated(view.contentOffset())
    margin = view.document().documentMargin()
    if right_to_left:
        return min(geometry.right() - margin + 6.0, view.viewport().width() - 3.0)
    return max(3.0, geometry.left() + margin - 6.0)


def _link(painter: QPainter, points: list[QPointF], arrow: bool, color: QColor, role: str) -> None:
    path = QPainterPath(points[0])
    for i in range(1, len(points) - 1):
        # Rounded corners: in a little before the corner, out a little after it.
        path.lineTo(_toward(points[i], points[i - 1], 4.0))
        path.quadTo(points[i], _toward(points[i], points[i + 1], 4.0))
    path.lineTo(points[-1])
    pen = QPen(color, ARC_WIDTH, Qt.PenStyle.SolidLine if role == "claimant" else Qt.PenStyle.DashLine)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(points[0], 2.6, 2.6)
    if arrow:
        _arrow(painter, points[-1], down=points[-1].y() > points[-2].y(), color=color)


def _toward(point: QPointF, other: QPointF, distance: float) -> QPointF:
    """The point ``distance`` from ``point`` on the way to ``other`` (at most half the way)."""
    dx, dy = other.x() - point.x(), other.y() - point.y()
    length = max(1e-6, (dx * dx + dy * dy) ** 0.5)
    step = min(distance, length / 2) / length
    return QPointF(point.x() + dx * step, point.y() + dy * step)


def _arrow(painter: QPainter, tip: QPointF, *, down: bool, color: QColor) -> None:
    sign = 1 if down else -1
    head = QPolygonF([tip, QPointF(tip.x() - ARROW / 2, tip.y() - sign * ARROW),
                      QPointF(tip.x() + ARROW / 2, tip.y() - sign * ARROW)])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawPolygon(head)
