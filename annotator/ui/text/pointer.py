"""The article's mouse: drag to select (snapped to tokens), click a span, double-click a token,
hover for a span's label and origin.

A mixin of ``AnnotationView`` (text_view.py), like token_keys: it sets the view's own
selection and cursor state.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip

from ..common.bidi import shown_name
from ..common.plain_text import tooltip
from ..common.span_details import describe_details
from .span_index import ShownSpan
from .span_painter import box_outset, fragments, tag_rect


def origin_text(origin: str) -> str:
    if origin == "manual":
        return "tagged by hand"
    if origin == "import":
        return "imported"
    kind, _, name = origin.partition(":")
    return f"suggested by model {name}" if kind == "model" else f"from pattern file {name}"


class Pointer:
    """Mouse and hover of the article (see the module's note)."""

    def offset_at(self, point: QPoint) -> int:
        qt = self.cursorForPosition(point).position()
        return self._offsets.from_qt(min(qt, self._offsets.qt_length))

    def spans_at_point(self, point: QPoint) -> list[ShownSpan]:
        """Spans drawn under ``point`` (their text or their tag), innermost last."""
        if self._index is None or self._styles is None:
            return []
        block = self.cursorForPosition(point).block()
        geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
        at, out = QPointF(point), box_outset(self)
        hits = [f for f in fragments(block, geometry, self._index, self._styles)
                if f.rect.adjusted(0, -2, 0, 2).contains(at)
                or ((tag := tag_rect(f, self._styles, out)) is not None and tag.contains(at))]
        hits.sort(key=lambda f: (f.level, f.shown.qs, -f.shown.qe))
        return [f.shown for f in hits]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._text:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._press = (event.position().toPoint(), self.offset_at(event.position().toPoint()))
        self._dragging = False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            super().mouseMoveEvent(event)
            return
        if not self._dragging and (point - self._press[0]).manhattanLength() < QApplication.startDragDistance():
            return
        self._dragging = True
        self._autoscroll(point)
        snapped = self.tokens().snap(self._press[1], self.offset_at(point))
        self._selection = snapped
        self._anchor = None
        self._cursor = snapped[0] if snapped else self._cursor
        self._sync_qt_cursor()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        point, offset = self._press
        self._press = None
        if self._dragging:
            self._dragging = False
            self.cursor_moved.emit()
            if self._selection is not None:
                self.selection_finished.emit(*self._selection)
            return
        hit = self.spans_at_point(point)
        if hit:
            span = hit[-1].span
            offset = min(max(offset, span.start), span.end - 1)
        self.set_cursor_offset(offset)
        if hit:
            self.span_clicked.emit(hit[-1].id)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._text:
            super().mouseDoubleClickEvent(event)
            return
        tokens = self.tokens()
        i = tokens.nearest(self.offset_at(event.position().toPoint()))
        self._press = None
        if i is None:
            return
        self._anchor = None
        self._show_cursor = True
        self.set_selection(*tokens[i])
        self.selection_finished.emit(*tokens[i])

    def _autoscroll(self, point: QPoint) -> None:
        bar = self.verticalScrollBar()
        if point.y() < 0:
            bar.setValue(bar.value() - 1)
        elif point.y() > self.viewport().height():
            bar.setValue(bar.value() + 1)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:  # hovering the article: the viewport's event
            self._show_tooltip(event)
            return True
        return super().viewportEvent(event)

    def _show_tooltip(self, event) -> None:
        hits = self.spans_at_point(event.pos())
        if not hits:
            QToolTip.hideText()
            event.ignore()
            return
        lines = []
        for shown in reversed(hits):
            span = shown.span
            state = {"suggested": " (suggestion)"}.get(span.state, "")
            stale = " — stored text no longer matches" if shown.id in self._stale else ""
            who = shown_name(span.annotator or "no annotator")
            lines.append(f"{shown_name(span.label)}{state} — {who}, {origin_text(span.origin)}{stale}")
            details = describe_details(self._details.get(shown.id or 0), 200)
            if details:
                lines.append(f"    {details}")
        # Label names and annotators come from files: shown as plain text, never as HTML.
        QToolTip.showText(event.globalPos(), tooltip("\n".join(lines)), self.viewport())
