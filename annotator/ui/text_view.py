"""The article view: spans drawn over read-only plain text, token-snapped selections, and a
token cursor for the keyboard.

Everything the view reports is in code points of the stored text (``offsets.OffsetMap``
converts at this edge); it never writes its own text anywhere. Edits are not made here: the
view says what the user selected or pointed at, and the window turns that into commands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from ..core.model import Label, Span, SpanDetails
from ..core.textutil import is_right_to_left
from .offsets import OffsetMap, block_starts, qt_string
from .plain_text import tooltip
from .reading_view import ReadingView
from .span_highlighter import SpanHighlighter
from .span_index import ShownSpan, SpanIndex
from .span_painter import fragments, paint_over, paint_under, visible_fragments
from .span_style import SpanStyles
from .span_table import describe_details
from .text_layout import SpacedLayout
from .token_cursor import Tokens, fallback_token_spans, join_clusters

Key = Qt.Key
Mod = Qt.KeyboardModifier
NAVIGATION_KEYS = {Key.Key_Left, Key.Key_Right, Key.Key_Up, Key.Key_Down, Key.Key_Home, Key.Key_End,
                   Key.Key_Tab, Key.Key_Backtab}
ZOOM_MIN, ZOOM_MAX = -5, 10


def origin_text(origin: str) -> str:
    if origin == "manual":
        return "tagged by hand"
    if origin == "import":
        return "imported"
    kind, _, name = origin.partition(":")
    return f"suggested by model {name}" if kind == "model" else f"from pattern file {name}"


class AnnotationView(ReadingView):
    selection_finished = Signal(int, int)  # a drag or double-click made a selection (code points)
    cursor_moved = Signal()  # the token cursor or the selection changed
    span_clicked = Signal(int)
    resize_requested = Signal(int, int, int)  # span id, new start, new end

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        document = QTextDocument(self)
        self._layout = SpacedLayout(document)
        document.setDocumentLayout(self._layout)
        document.setDocumentMargin(12)
        document.setDefaultFont(self.font())  # the reading font ReadingView chose for the old document
        self.setDocument(document)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._base_font = QFont(self.font())
        self._zoom = 0
        self._labels: list[Label] = []
        self._styles: SpanStyles | None = None
        self._highlighter = SpanHighlighter(document, lambda: (self._index, self._styles))
        self.doc_id: int | None = None
        self._text = ""
        self._offsets = OffsetMap("")
        self._index: SpanIndex | None = None
        self._tokens: Tokens | None = None
        self.tokens_exact = False  # False while the fallback tokens stand in for spaCy's
        self.right_to_left = False  # the article reads right to left (_align_for)
        self._stale: set[int] = set()
        self._details: dict[int, SpanDetails] = {}  # attributes and notes, for the tooltip
        self._cursor: int | None = None  # code-point start of the token under the cursor
        self._anchor: int | None = None  # code-point start of the token where a keyboard selection began
        self._selection: tuple[int, int] | None = None
        self._press: tuple[QPoint, int] | None = None
        self._dragging = False
        self._show_cursor = False
        # Extra layers (the selected claim's band, rings and links): called with a painter on
        # the viewport, under the text and entity fills, or over everything.
        self.painters_under: list[Callable[[QPainter], None]] = []
        self.painters_over: list[Callable[[QPainter], None]] = []
        self._update_line_gap()

    # ------------------------------------------------------------------ content
    @property
    def text(self) -> str:
        return self._text

    @property
    def offsets(self) -> OffsetMap:
        return self._offsets

    @property
    def index(self) -> SpanIndex | None:
        return self._index

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = list(labels)
        self._rebuild_styles()

    def show_document(self, doc_id: int, text: str, spans: Sequence[Span], stale: set[int] | None = None,
                      details: dict[int, SpanDetails] | None = None) -> None:
        """Show an article and its spans; the offsets map and span buckets are ready before
        Qt lays the text out, so the highlighter formats each block as it goes in."""
        self.doc_id = doc_id
        self._text = text
        self._offsets = OffsetMap(text)
        self._index = SpanIndex(self._offsets, block_starts(text, self._offsets), text)
        self._index.set_spans(spans, self._kinds())
        self._stale = set(stale or ())
        self._details = dict(details or {})
        self._tokens = None
        self.tokens_exact = False
        self._cursor = self._anchor = None
        self._selection = None
        self._show_cursor = False
        self._align_for(text)
        self.setPlainText(qt_string(text))

    def _align_for(self, text: str) -> None:
        """An article that reads right to left starts its lines at the right edge. Qt lays each
        paragraph out in its own direction, but QPlainTextEdit takes one alignment for the
        whole document (never mirrored per paragraph, no block formats): so the article's
        direction decides, and a left-to-right paragraph in an Arabic article is right-aligned
        too, a Hebrew quote in an English one left-aligned."""
        self.right_to_left = is_right_to_left(text)
        option = self.document().defaultTextOption()
        wanted = Qt.AlignmentFlag.AlignRight if self.right_to_left else Qt.AlignmentFlag.AlignLeft
        if option.alignment() != wanted:
            option.setAlignment(wanted)
            self.document().setDefaultTextOption(option)

    def clear_document(self, placeholder: str) -> None:
        self.doc_id = None
        self._text = ""
        self._offsets = OffsetMap("")
        self._index = None
        self._tokens = None
        self._cursor = self._anchor = None
        self._selection = None
        self.clear()
        self.setPlaceholderText(placeholder)

    def set_tokens(self, spans: Sequence[tuple[int, int]], *, exact: bool = True) -> None:
        self._tokens = Tokens(join_clusters(self._text, spans))
        self.tokens_exact = exact
        if self._cursor is not None:
            i = self._tokens.index_at(self._cursor)
            self._cursor = self._tokens[i][0] if i is not None else None

    def tokens(self) -> Tokens:
        if self._tokens is None:
            self._tokens = Tokens(join_clusters(self._text, fallback_token_spans(self._text)))
            self.tokens_exact = False
        return self._tokens

    def set_stale(self, stale: set[int]) -> None:
        self._stale = set(stale)
        self.viewport().update()

    # -------------------------------------------------------- incremental edits
    def put_span(self, span: Span) -> None:
        """Show a new or changed span: only the blocks it touches are formatted again."""
        if self._index is None or span.doc_id != self.doc_id:
            return
        blocks = self._index.put(span, self._kind(span.label))
        self._highlighter.redraw_blocks(blocks)
        self._update_blocks(blocks)

    def remove_span(self, span_id: int) -> None:
        if self._index is None:
            return
        blocks = self._index.remove(span_id)
        self._highlighter.redraw_blocks(blocks)
        self._update_blocks(blocks)

    def _update_blocks(self, blocks: set[int]) -> None:
        offset = self.contentOffset()
        document = self.document()
        for number in blocks:
            block = document.findBlockByNumber(number)
            if block.isValid():
                rect = self.blockBoundingGeometry(block).translated(offset).toAlignedRect()
                self.viewport().update(rect.adjusted(-2, -4, 2, 4))

    # ---------------------------------------------------------------- selection
    def selection(self) -> tuple[int, int] | None:
        return self._selection

    def set_selection(self, start: int, end: int) -> None:
        self._selection = (start, end)
        self._cursor = start
        self._sync_qt_cursor()
        self.cursor_moved.emit()

    def clear_selection(self) -> None:
        had = self._selection is not None
        self._selection = None
        self._anchor = None
        self._sync_qt_cursor()
        if had:
            self.cursor_moved.emit()

    def cursor_offset(self) -> int | None:
        return self._cursor

    def set_cursor_offset(self, offset: int, *, show: bool = True) -> None:
        tokens = self.tokens()
        i = tokens.index_at(offset)
        self._cursor = tokens[i][0] if i is not None else None
        self._selection = None
        self._anchor = None
        self._show_cursor = show
        self._sync_qt_cursor()
        self.cursor_moved.emit()

    def spans_at_cursor(self) -> list[ShownSpan]:
        """The spans around the token cursor, innermost last (no selection needed)."""
        if self._index is None or self._cursor is None:
            return []
        return self._index.at(self._offsets.to_qt(self._cursor))

    def reveal_span(self, span_id: int) -> None:
        """Scroll to a span and select its text."""
        shown = self._index.get(span_id) if self._index is not None else None
        if shown is None:
            return
        self._selection = (shown.span.start, shown.span.end)
        self._cursor = shown.span.start
        self._anchor = None
        self._show_cursor = True
        self._sync_qt_cursor()
        self.centerCursor()
        self.cursor_moved.emit()

    def _sync_qt_cursor(self) -> None:
        """Mirror our selection in Qt's cursor: Qt draws it, and ensureCursorVisible follows it."""
        cursor = QTextCursor(self.document())
        if self._selection is not None:
            qs, qe = self._offsets.to_qt_range(*self._selection)
            if self._cursor is not None and self._cursor >= self._selection[1] - 1 and self._anchor is not None \
                    and self._anchor < self._cursor:
                cursor.setPosition(qs)
                cursor.setPosition(qe, QTextCursor.MoveMode.KeepAnchor)
            else:
                cursor.setPosition(qe)
                cursor.setPosition(qs, QTextCursor.MoveMode.KeepAnchor)
        elif self._cursor is not None:
            cursor.setPosition(self._offsets.to_qt(self._cursor))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.viewport().update()

    # ---------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        pieces = []
        if self._index is not None and self._styles is not None and len(self._index):
            pieces = visible_fragments(self, QRectF(event.rect()), self._index, self._styles)
        if pieces or self.painters_under:
            painter = QPainter(self.viewport())
            for paint in self.painters_under:
                paint(painter)
            if pieces:
                paint_under(painter, self, pieces, self._styles)
            painter.end()
        super().paintEvent(event)  # Qt's text, over the fills
        painter = QPainter(self.viewport())
        if pieces:
            paint_over(painter, self, pieces, self._styles, self._stale)
        for paint in self.painters_over:
            paint(painter)
        self._paint_token_cursor(painter)
        painter.end()

    def _paint_token_cursor(self, painter: QPainter) -> None:
        if not self._show_cursor or self._cursor is None or self._selection is not None or not self._text:
            return
        tokens = self.tokens()
        i = tokens.index_at(self._cursor)
        if i is None:
            return
        qs, qe = self._offsets.to_qt_range(*tokens[i])
        cursor = QTextCursor(self.document())
        cursor.setPosition(qs)
        start = self.cursorRect(cursor)
        cursor.setPosition(qe)
        end = self.cursorRect(cursor)
        if start.top() != end.top():  # wrapped inside the token: mark its first part
            end = start.translated(24, 0)
        color = self.palette().color(QPalette.ColorGroup.Active if self.hasFocus() else QPalette.ColorGroup.Inactive,
                                     QPalette.ColorRole.Highlight)
        painter.setPen(QPen(color, 2.0))
        y = start.bottom() + 2.5
        painter.drawLine(QPointF(min(start.left(), end.left()), y), QPointF(max(start.left(), end.left()), y))

    # ------------------------------------------------------------------- mouse
    def offset_at(self, point: QPoint) -> int:
        qt = self.cursorForPosition(point).position()
        return self._offsets.from_qt(min(qt, self._offsets.qt_length))

    def spans_at_point(self, point: QPoint) -> list[ShownSpan]:
        """Spans drawn under ``point`` (their text or their tag), innermost last."""
        if self._index is None or self._styles is None:
            return []
        block = self.cursorForPosition(point).block()
        geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
        hits = [f for f in fragments(block, geometry, self._index, self._styles)
                if f.rect.adjusted(0, -2, 0, 2).contains(QPointF(point))]
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

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and hasattr(self, "_text"):
            # Our navigation keys reach keyPressEvent; everything else (PageUp, Delete, label
            # keys, Esc) is left to the window's actions.
            if isinstance(event, QKeyEvent) and self._handles(event):
                event.accept()
                return True
            event.ignore()
            return False
        return super().event(event)

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
            lines.append(f"{span.label}{state} — {span.annotator or 'no annotator'}, {origin_text(span.origin)}{stale}")
            details = describe_details(self._details.get(shown.id or 0), 200)
            if details:
                lines.append(f"    {details}")
        # Label names and annotators come from files: shown as plain text, never as HTML.
        QToolTip.showText(event.globalPos(), tooltip("\n".join(lines)), self.viewport())

    # ---------------------------------------------------------------- keyboard
    def _handles(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers() & ~Mod.KeypadModifier
        if event.matches(QKeySequence.StandardKey.Copy):
            return True
        if key not in NAVIGATION_KEYS:
            return False
        if key in (Key.Key_Home, Key.Key_End):
            return mods in (Mod.NoModifier, Mod.ShiftModifier, Mod.ControlModifier)
        if key in (Key.Key_Left, Key.Key_Right) and mods == (Mod.ControlModifier | Mod.ShiftModifier):
            return True
        return mods in (Mod.NoModifier, Mod.ShiftModifier)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._text or not self._handles(event):
            event.ignore()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        key, mods = event.key(), event.modifiers() & ~Mod.KeypadModifier
        shift = bool(mods & Mod.ShiftModifier)
        # Left and Right go the way the arrow points: in a right-to-left article, Left is onward.
        onward = Key.Key_Left if self.right_to_left else Key.Key_Right
        if key in (Key.Key_Left, Key.Key_Right) and mods == (Mod.ControlModifier | Mod.ShiftModifier):
            self._resize_span_end(1 if key == onward else -1)
        elif key in (Key.Key_Tab, Key.Key_Backtab):
            self._jump_span(-1 if key == Key.Key_Backtab or shift else 1)
        elif key in (Key.Key_Left, Key.Key_Right):
            self._move(self._token_step(1 if key == onward else -1), shift, first_grabs=True)
        elif key in (Key.Key_Up, Key.Key_Down):
            self._move(self._line_step(QTextCursor.MoveOperation.Down if key == Key.Key_Down
                                       else QTextCursor.MoveOperation.Up), shift)
        elif key in (Key.Key_Home, Key.Key_End):
            if mods & Mod.ControlModifier:
                tokens = self.tokens()
                target = (0 if key == Key.Key_Home else len(tokens) - 1) if len(tokens) else None
            else:
                target = self._line_step(QTextCursor.MoveOperation.StartOfLine if key == Key.Key_Home
                                         else QTextCursor.MoveOperation.EndOfLine)
            self._move(target, shift)
        event.accept()

    def copy_selection(self) -> None:
        if self._selection is not None:
            start, end = self._selection
            QGuiApplication.clipboard().setText(qt_string(self._text[start:end]))

    def _current_index(self) -> int | None:
        tokens = self.tokens()
        if self._cursor is None:
            first = self.cursorForPosition(QPoint(4, 4)).position()
            return tokens.index_at(self._offsets.from_qt(first))
        return tokens.index_at(self._cursor)

    def _token_step(self, step: int) -> int | None:
        i = self._current_index()
        if i is None:
            return None
        if self._cursor is None or not self._show_cursor:
            return i  # the first key press shows the cursor where it is
        return max(0, min(len(self.tokens()) - 1, i + step))

    def _line_step(self, operation: QTextCursor.MoveOperation) -> int | None:
        i = self._current_index()
        if i is None:
            return None
        tokens = self.tokens()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_qt(tokens[i][0]))
        vertical = operation in (QTextCursor.MoveOperation.Up, QTextCursor.MoveOperation.Down)
        if vertical:
            # Blank lines between paragraphs hold no token: go on to the next line that does.
            while True:
                if not cursor.movePosition(operation):
                    return i
                if cursor.block().length() > 1:
                    break
        else:
            cursor.movePosition(operation)
        offset = self._offsets.from_qt(cursor.position())
        if operation == QTextCursor.MoveOperation.EndOfLine:
            j = tokens.index_at(max(0, offset - 1))
            return j if j is not None and tokens[j][0] < offset else tokens.nearest(offset)
        return tokens.nearest(offset) if operation != QTextCursor.MoveOperation.StartOfLine else tokens.index_at(offset)

    def _move(self, target: int | None, extend: bool, *, first_grabs: bool = False) -> None:
        if target is None:
            return
        tokens = self.tokens()
        current = self._current_index()
        if extend:
            if self._anchor is None:
                # Shift+arrow starts a selection with the token under the cursor.
                self._anchor = tokens[current][0] if current is not None else tokens[target][0]
                if first_grabs and self._show_cursor:
                    target = current if current is not None else target
            anchor_index = tokens.index_at(self._anchor)
            lo, hi = sorted((anchor_index, target))
            self._cursor = tokens[target][0]
            self._selection = (tokens[lo][0], tokens[hi][1])
        else:
            self._anchor = None
            self._selection = None
            self._cursor = tokens[target][0]
        self._show_cursor = True
        self._sync_qt_cursor()
        self.cursor_moved.emit()

    def _jump_span(self, step: int) -> None:
        if self._index is None:
            return
        spans = self._index.all()
        if not spans:
            return
        here = self._cursor if self._cursor is not None else -1
        starts = [s.span.start for s in spans]
        if step > 0:
            after = [s for s in starts if s > here]
            target = after[0] if after else starts[0]
        else:
            before = [s for s in starts if s < here]
            target = before[-1] if before else starts[-1]
        self.set_cursor_offset(target)

    def _resize_span_end(self, step: int) -> None:
        around = self.spans_at_cursor()
        if not around:
            return
        span = around[-1].span
        tokens = self.tokens()
        last = tokens.index_at(max(span.start, span.end - 1))
        if last is None:
            return
        target = last + step
        if not 0 <= target < len(tokens) or tokens[target][1] <= span.start:
            return
        self.resize_requested.emit(span.id, span.start, tokens[target][1])

    # -------------------------------------------------------------- appearance
    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, steps: int) -> None:
        self._zoom = max(ZOOM_MIN, min(ZOOM_MAX, steps))
        font = QFont(self._base_font)  # the reading font ReadingView chose
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() + self._zoom)
        self.setFont(font)
        self._update_line_gap()
        self._update_margins()
        self._rebuild_styles()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if getattr(self, "_highlighter", None) is not None and event.type() in (
                QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._rebuild_styles()

    def _update_line_gap(self) -> None:
        self._layout.set_line_height(self.fontMetrics().height())

    def _rebuild_styles(self) -> None:
        self._styles = SpanStyles(self._labels, self.font(), self.palette())
        self._highlighter.rehighlight()
        self.viewport().update()

    def _kinds(self) -> dict[str, str]:
        return {label.name: label.kind for label in self._labels}

    def _kind(self, label: str) -> str:
        return self._kinds().get(label, "entity")

    @property
    def styles(self) -> SpanStyles | None:
        return self._styles
