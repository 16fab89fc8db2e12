"""Drawing the selected claim over the article: its content, its claimant and cue, and the
links between them.

Two passes, hooked into ``AnnotationView.paintEvent``:
- ``paint_under`` (before the text and the entity fills): a soft band in the claim's colour
  behind the content, so entity boxes inside it stay as they are, only on a tinted page;
- ``paint_over`` (after the spans): a ring around the claimant and the cue, and an arc from
  the content to each, ending in an arrow and named ("claimant", "cue") in a small pill.

Geometry comes from ``span_painter.fragments`` (the same line pieces the spans are drawn
with). Only the three spans of one claim are measured; a partner far away in a long article
(more than ``FAR_BLOCKS`` paragraphs from the screen) is not laid out: its arc points off the
edge of the view instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QPlainTextEdit

from ..text.span_index import ShownSpan, SpanIndex
from ..text.span_painter import fragments
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
            if piece.tag_left is not None and with_tag:
                rect.setRight(max(rect.right(), piece.tag_left + styles.style(shown.span.label).tag_width))
            elif piece.tag_left is not None:
                rect.setRight(max(rect.left() + 2, min(rect.right(), piece.tag_left - 2)))
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
    gap = getattr(view.document().documentLayout(), "gap", 8.0)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(band)
    for rect in rects:
        # Into the gaps above and below the line: one calm band over a wrapped paragraph.
        painter.drawRoundedRect(rect.adjusted(-2, -gap / 2, 2, gap / 2), 3, 3)
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
    font = QFont(styles.tag_font)
    metrics = QFontMetricsF(font)
    labels: list[tuple[QPointF, str]] = []
    for role, span_id in (("claimant", marks.claimant), ("cue", marks.cue)):
        partner = index.get(span_id) if span_id is not None else None
        if partner is None:
            continue
        rects = span_rects(view, index, styles, partner)
        ringed = span_rects(view, index, styles, partner, with_tag=True)
        if ringed:
            _ring(painter, ringed, color, view)
        if content_rects:
            middle = _arc(painter, view, content_rects, rects, partner.qs < content.qs, color, role)
            if middle is not None:
                labels.append((middle, role))
    page = styles.page
    for point, role in labels:  # last, so no arc crosses a name
        _pill(painter, point, role, font, metrics, color, page, styles)
    painter.restore()


def _ring(painter: QPainter, rects: list[QRectF], color: QColor, view: QPlainTextEdit) -> None:
    gap = getattr(view.document().documentLayout(), "gap", 8.0)
    out = max(2.0, min(4.0, gap / 2))
    painter.setPen(QPen(color, RING))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for rect in rects:
        painter.drawRoundedRect(rect.adjusted(-out, -out, out, out), 4, 4)


def _arc(painter: QPainter, view: QPlainTextEdit, content: list[QRectF], partner: list[QRectF] | None,
         before: bool, color: QColor, role: str) -> QPointF | None:
    """An arc from the content to the partner, arrow at the partner; returns its middle."""
    viewport = QRectF(view.viewport().rect())
    gap = getattr(view.document().documentLayout(), "gap", 8.0)
    same_line = False
    if not partner:
        # Too far to lay out: point off the top or bottom edge, where it is.
        rect = content[0] if before else content[-1]
        start = QPointF(rect.left() + min(12.0, rect.width() / 2), rect.top() if before else rect.bottom())
        end = QPointF(start.x(), viewport.top() - 20 if before else viewport.bottom() + 20)
        target_top = not before
    else:
        target = partner[-1] if before else partner[0]
        same_line = abs(target.center().y() - content[0].center().y()) < 1.0 or \
            abs(target.center().y() - content[-1].center().y()) < 1.0
        if same_line:
            line = content[0] if abs(target.center().y() - content[0].center().y()) < 1.0 else content[-1]
            x = line.left() + min(10.0, line.width() / 2) if target.center().x() < line.left() \
                else line.right() - min(10.0, line.width() / 2)
            start = QPointF(x, line.top() - 1)
            end = QPointF(target.center().x(), target.top() - 3)
            target_top = True
        elif before:  # the partner is on an earlier line: leave from the content's top
            line = content[0]
            start = QPointF(min(max(target.center().x(), line.left() + 8), line.right() - 8), line.top() - 1)
            end = QPointF(target.center().x(), target.bottom() + 3)
            target_top = False
        else:
            line = content[-1]
            start = QPointF(min(max(target.center().x(), line.left() + 8), line.right() - 8), line.bottom() + 1)
            end = QPointF(target.center().x(), target.top() - 3)
            target_top = True
    path = QPainterPath(start)
    if same_line:
        # Same line: a flat arch that stays in the gap above the line (the line above keeps
        # its text clear).
        lift = max(gap * 1.3, 10.0)
        path.cubicTo(QPointF(start.x(), start.y() - lift), QPointF(end.x(), end.y() - lift), end)
    else:
        bend = max(gap, abs(end.y() - start.y()) / 3)
        down = 1 if end.y() > start.y() else -1
        path.cubicTo(QPointF(start.x(), start.y() + down * bend), QPointF(end.x(), end.y() - down * bend), end)
        # Lines apart: an S through the gaps (between adjacent lines it runs along the gap).
    # The name sits in the gap beside the partner, on its arc: it labels the ringed words and
    # covers the least text there.
    middle = _point_at_y(path, end.y() + (-gap / 2 if target_top else gap / 2), after=0.5)
    pen = QPen(color, ARC_WIDTH, Qt.PenStyle.SolidLine if role == "claimant" else Qt.PenStyle.DashLine)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(start, 2.6, 2.6)
    if partner:
        _arrow(painter, end, down=target_top, color=color)
    return middle if viewport.adjusted(-4, -4, 4, 4).contains(middle) else None


def _point_at_y(path: QPainterPath, y: float, after: float = 0.0) -> QPointF:
    """The point of the path (from fraction ``after`` on) nearest to height ``y``, sampled."""
    best, best_d = path.pointAtPercent(0.5), float("inf")
    for i in range(round(after * 40), 41):
        point = path.pointAtPercent(i / 40)
        if abs(point.y() - y) < best_d:
            best, best_d = point, abs(point.y() - y)
    return best


def _arrow(painter: QPainter, tip: QPointF, *, down: bool, color: QColor) -> None:
    sign = 1 if down else -1
    head = QPolygonF([tip, QPointF(tip.x() - ARROW / 2, tip.y() - sign * ARROW),
                      QPointF(tip.x() + ARROW / 2, tip.y() - sign * ARROW)])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawPolygon(head)


def _pill(painter: QPainter, centre: QPointF, text: str, font: QFont, metrics: QFontMetricsF, color: QColor,
          page: QColor, styles: SpanStyles) -> None:
    width = metrics.horizontalAdvance(text) + 10
    height = metrics.height() + 2
    rect = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
    painter.setPen(QPen(color, 1.2))
    painter.setBrush(page)
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setFont(font)
    painter.setPen(styles.text)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
