"""Painting spans: only the blocks on screen, so a 5,000-span article paints like a short one.

Two passes around Qt's own text drawing (``AnnotationView.paintEvent``):
- ``paint_under``: the fills of accepted entity spans, outer spans first, nested spans inset;
- ``paint_over``: edges (solid for accepted, dashed for suggestions, red dots for spans whose
  stored text no longer matches the article), claim underlines in the gap below the line,
  and each span's label tag in the tag row above the line it starts on (over its first letter;
  over its last for right-to-left text), tags side by side when spans start together.

Claim spans form their own layer (underlines, never fills), so a claims view can later
draw them differently without touching the entity layer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QTextBlock
from PySide6.QtWidgets import QPlainTextEdit

from .span_index import CLAIM_LAYER, ENTITY_LAYER, ShownSpan, SpanIndex
from .span_style import TAG_SPACING, LabelStyle, SpanStyles

RADIUS = 3.0
LEVEL_STEP = 2.5  # each nesting level sits this much inside the one around it
UNDERLINE = 2.5
STALE_COLOR = QColor("#d32f2f")


@dataclass(slots=True)
class Fragment:
    shown: ShownSpan
    rect: QRectF  # the span's part of one line (text plus its tag room on the last line)
    line_top: float
    line_height: float
    level: int
    first: bool
    last: bool
    tag_left: float | None = None  # where the label tag goes (the piece the span starts with)


def visible_blocks(view: QPlainTextEdit, clip: QRectF) -> Iterator[tuple[QTextBlock, QRectF]]:
    block = view.firstVisibleBlock()
    offset = view.contentOffset()
    while block.isValid():
        geometry = view.blockBoundingGeometry(block).translated(offset)
        if geometry.top() > clip.bottom():
            break
        if block.isVisible() and geometry.bottom() >= clip.top():
            yield block, geometry
        block = block.next()


def fragments(block: QTextBlock, geometry: QRectF, index: SpanIndex, styles: SpanStyles,
              spans: list[ShownSpan] | None = None) -> list[Fragment]:
    """Every on-line piece of the block's spans; the piece a span starts with carries its tag's place."""
    layout = block.layout()
    if layout is None or layout.lineCount() == 0:
        return []
    start, length = block.position(), block.length() - 1
    number = block.blockNumber()
    spans = index.in_block(number) if spans is None else spans
    lines = []
    for i in range(layout.lineCount()):
        line = layout.lineAt(i)
        first = line.textStart()
        lines.append((first, first + line.textLength(), line.y(), line.height()))
    top_of_block = geometry.top()
    found: list[Fragment] = []
    for shown in spans:
        a, b = max(shown.qs - start, 0), min(shown.qe - start, length)
        for ls, le, line_y, line_height in lines:
            lo, hi = max(a, ls), min(b, le)
            if lo >= hi:
                continue
            # Glyph runs give the exact visual extent, right to left and mixed runs included
            # (cursorToX is ambiguous where a right-to-left run meets a left-to-right one).
            runs = [r.boundingRect() for r in layout.glyphRuns(lo, hi - lo)]
            if not runs:
                continue
            left, right = min(r.left() for r in runs), max(r.right() for r in runs)
            opens = lo == shown.qs - start
            top = top_of_block + line_y
            tag_left = None
            if opens:
                width = styles.style(shown.span.label).tag_width
                tag_left = right - width if shown.rtl else left
            found.append(Fragment(shown, QRectF(left, top, right - left, line_height), top, line_height,
                                  index.level(number, shown), opens, hi == shown.qe - start, tag_left))
    _spread_tags(found, styles)
    return found


def _spread_tags(found: list[Fragment], styles: SpanStyles) -> None:
    """Tags of one line that would overlap (spans starting together or close) go side by side,
    outer span first."""
    by_line: defaultdict[float, list[Fragment]] = defaultdict(list)
    for piece in found:
        if piece.tag_left is not None:
            by_line[piece.line_top].append(piece)
    for pieces in by_line.values():
        if len(pieces) < 2:
            continue
        pieces.sort(key=lambda f: (f.tag_left, -f.shown.qe, f.shown.id))
        right = float("-inf")
        for piece in pieces:
            assert piece.tag_left is not None
            piece.tag_left = max(piece.tag_left, right + TAG_SPACING)
            right = piece.tag_left + styles.style(piece.shown.span.label).tag_width


def tag_rect(piece: Fragment, styles: SpanStyles, outset: float) -> QRectF | None:
    """Where a fragment's tag is drawn: in the row above its line, clear of the line's boxes."""
    if piece.tag_left is None:
        return None
    height = styles.tag_metrics.height() + 1.0
    bottom = piece.line_top - outset + 1.0  # on the box's top edge, a tab; never over the text
    return QRectF(piece.tag_left, bottom - height, styles.style(piece.shown.span.label).tag_width, height)


def visible_fragments(view: QPlainTextEdit, clip: QRectF, index: SpanIndex, styles: SpanStyles) -> list[Fragment]:
    """The fragments of every span on screen: computed once per paint, used by both passes."""
    found: list[Fragment] = []
    for block, geometry in visible_blocks(view, clip):
        if index.in_block(block.blockNumber()):
            found.extend(fragments(block, geometry, index, styles))
    return found


def paint_under(painter: QPainter, view: QPlainTextEdit, pieces: list[Fragment], styles: SpanStyles) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    out = box_outset(view)
    filled = [f for f in pieces if f.shown.layer == ENTITY_LAYER and not f.shown.suggested]
    for piece in sorted(filled, key=lambda f: f.level):  # outer first: nested fills sit on top
        painter.setBrush(styles.style(piece.shown.span.label).background)
        painter.drawPath(_box(piece, out))


def paint_over(painter: QPainter, view: QPlainTextEdit, pieces: list[Fragment], styles: SpanStyles,
               stale: set[int]) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    out = box_outset(view)
    below = getattr(view.document().documentLayout(), "below", 6.0)
    for piece in pieces:
        shown = piece.shown
        style = styles.style(shown.span.label)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if shown.layer == CLAIM_LAYER:
            _underline(painter, piece, style, below, out)
        else:
            pen = QPen(style.border, 1.0 if not shown.suggested else 1.4)
            if shown.suggested:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawPath(_box(piece, out))
        if shown.id in stale:
            painter.setPen(QPen(STALE_COLOR, 1.6, Qt.PenStyle.DotLine))
            painter.drawPath(_box(piece, out + 1.5))
        rect = tag_rect(piece, styles, out)
        if rect is not None:
            _tag(painter, rect, piece, style, styles)


def box_outset(view: QPlainTextEdit) -> float:
    """How far a span's box reaches beyond its line (into the room below it and the tag row)."""
    below = getattr(view.document().documentLayout(), "below", 6.0)
    return max(1.0, min(3.0, below / 2 - 1.0))


def _box(piece: Fragment, out: float) -> QPainterPath:
    inset = piece.level * LEVEL_STEP
    rect = QRectF(piece.rect.left(), piece.line_top - out + inset, piece.rect.width(),
                  piece.line_height + 2 * out - 2 * inset)
    path = QPainterPath()
    # Open edges where the span continues on another line read as "this goes on".
    left = RADIUS if piece.first else 0.0
    right = RADIUS if piece.last else 0.0
    if left == right:
        path.addRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), left, left)
        return path
    r = rect.adjusted(0.5, 0.5, -0.5, -0.5)
    path.addRoundedRect(r, RADIUS, RADIUS)
    # Square the corners on the side that continues.
    square = QPainterPath()
    if not piece.first:
        square.addRect(QRectF(r.left(), r.top(), min(RADIUS * 2, r.width()), r.height()))
    if not piece.last:
        square.addRect(QRectF(r.right() - min(RADIUS * 2, r.width()), r.top(), min(RADIUS * 2, r.width()),
                              r.height()))
    return path.united(square)


def _underline(painter: QPainter, piece: Fragment, style: LabelStyle, below: float, out: float) -> None:
    pen = QPen(style.border, UNDERLINE, Qt.PenStyle.DashLine if piece.shown.suggested else Qt.PenStyle.SolidLine)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    painter.setPen(pen)
    # Below the entity boxes' edge, in the room below the line, nested claims further down; never
    # into the next line's tag row.
    offset = out + UNDERLINE / 2 + 1.0 + piece.level * (UNDERLINE + 1.0)
    y = piece.line_top + piece.line_height + min(offset, below - UNDERLINE / 2)
    painter.drawLine(piece.rect.left(), y, piece.rect.right(), y)


def _tag(painter: QPainter, rect: QRectF, piece: Fragment, style: LabelStyle, styles: SpanStyles) -> None:
    if piece.shown.suggested:
        painter.setPen(QPen(style.border, 1.0, Qt.PenStyle.DashLine))
        painter.setBrush(styles.page)
        text_color = style.border
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.border)
        text_color = style.tag_text
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 2.5, 2.5)
    painter.setFont(styles.tag_font)
    painter.setPen(text_color)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, style.tag)
