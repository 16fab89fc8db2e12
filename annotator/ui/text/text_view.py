"""The article view: spans drawn over read-only plain text, token-snapped selections, and a
token cursor for the keyboard.

Everything the view reports is in code points of the stored text (``offsets.OffsetMap``
converts at this edge); it never writes its own text anywhere. Edits are not made here: the
view says what the user selected or pointed at, and the window turns that into commands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen, QTextCursor, QTextDocument
from PySide6.QtWidgets import QWidget

from ...core.model import Label, Span, SpanDetails
from ...core.textutil import is_right_to_left
from ..common.bidi import control_positions, has_controls, shown_article
from ..common.offsets import OffsetMap, block_starts, qt_string
from ..session.document_session import DocumentSession
from ..session.layers import ShownDocument
from .pointer import Pointer
from .reading_view import ReadingView
from .span_highlighter import SpanHighlighter
from .span_index import ShownSpan, SpanIndex
from .span_painter import paint_over, paint_under, visible_fragments
from .span_style import SpanStyles, tag_height
from .text_layout import SpacedLayout
from .token_cursor import Tokens, fallback_token_spans, join_clusters
from .token_keys import TokenKeys

ZOOM_MIN, ZOOM_MAX = -5, 10
CURSOR_WIDTH = 2.0
FIRST_WORD = re.compile(r"\S")


class AnnotationView(TokenKeys, Pointer, ReadingView):
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
        self._names: tuple[Tokens, list[tuple[int, int]]] | None = None  # name runs of these tokens (Ctrl+Right)
        self.tokens_exact = False  # False while the fallback tokens stand in for spaCy's
        self.right_to_left = False  # the article reads right to left (_align_for)
        self._stale: set[int] = set()
        self._details: dict[int, SpanDetails] = {}  # attributes and notes, for the tooltip
        self._controls: list[tuple[int, str]] = []  # bidi controls of the article: offset, name
        self._cursor: int | None = None  # code-point start of the token under the cursor
        self._anchor: int | None = None  # code-point start of the token where a keyboard selection began
        self._selection: tuple[int, int] | None = None
        self._press: tuple[QPoint, int] | None = None
        self._dragging = False
        self._show_cursor = False
        self.cursor_untouched = False  # the cursor is where the document opened it (set_cursor_offset etc. clear it)
        # Extra layers (the selected claim's band, rings and links): called with a painter on
        # the viewport, under the text and entity fills, or over everything.
        self.painters_under: list[Callable[[QPainter], None]] = []
        self.painters_over: list[Callable[[QPainter], None]] = []
        self.empty_text = ""  # what the view says when no document is shown
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

    def follow(self, session: DocumentSession) -> None:
        """Show what the session holds: its document, each span edit, the scheme's colours."""
        session.document_shown.connect(self._document_shown)
        session.span_added.connect(self.put_span)
        session.span_changed.connect(self.put_span)
        session.span_removed.connect(self.remove_span)
        session.scheme_changed.connect(self._scheme_changed)
        session.revealed.connect(self.reveal_span)
        self.set_labels(session.labels)

    def _scheme_changed(self, labels: list[Label], _attributes: object) -> None:
        self.set_labels(labels)

    def _document_shown(self, shown: ShownDocument | None) -> None:
        if shown is None:
            self.clear_document(self.empty_text)
        else:
            # The session's own details dict: a span an undo restores finds its details there.
            self.show_document(shown.doc_id, shown.text, list(shown.spans.values()), shown.stale, shown.details)

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
        self._details = details if details is not None else {}
        self._tokens = None
        self._names = None
        self.tokens_exact = False
        # The token cursor is on the first word from the start, and shown: the first arrow key
        # moves it (it used to only make it appear).
        first = FIRST_WORD.search(text)
        self._cursor = first.start() if first is not None else None
        self._anchor = None
        self._selection = None
        self._show_cursor = first is not None
        self.cursor_untouched = True  # Tab then goes to the first span or suggestion, even one here
        self._align_for(text)
        # Bidi controls are shown as marks (named in the tag row), never obeyed: what a span's
        # highlight covers is exactly what the span holds (common/bidi.py).
        self._controls = control_positions(text) if has_controls(text) else []
        self.setPlainText(qt_string(shown_article(text)))

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
        self._sync_qt_cursor(moved=False)
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

    def token_at_cursor(self) -> tuple[int, int] | None:
        """The token the (shown) cursor is on, in code points."""
        if not self._show_cursor or self._cursor is None:
            return None
        tokens = self.tokens()
        i = tokens.index_at(self._cursor)
        return tokens[i] if i is not None else None

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

    def _sync_qt_cursor(self, *, moved: bool = True) -> None:
        """Mirror our selection in Qt's cursor: Qt draws it, and ensureCursorVisible follows it."""
        if moved:
            self.cursor_untouched = False
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
        if self._controls:
            self._paint_controls(painter, QRectF(event.rect()))
        self._paint_token_cursor(painter)
        painter.end()

    def _paint_controls(self, painter: QPainter, clip: QRectF) -> None:
        """Name each bidi control's mark in the tag row above it ("RLO"), in the page's muted text."""
        if self._styles is None:
            return
        painter.save()
        painter.setFont(self._styles.tag_font)
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        metrics = self._styles.tag_metrics
        for offset, name in self._controls:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._offsets.to_qt(offset))
            rect = self.cursorRect(cursor)
            if rect.bottom() < clip.top() - 20 or rect.top() > clip.bottom() + 20:
                continue
            width = metrics.horizontalAdvance(name)
            painter.drawText(QRectF(rect.left() - width / 2 + 4, rect.top() - metrics.height() - 1, width + 2,
                                    metrics.height()), Qt.AlignmentFlag.AlignCenter, name)
        painter.restore()

    def _paint_token_cursor(self, painter: QPainter) -> None:
        rect = self.cursor_rect()
        if rect is None:
            return
        # A ring around the token in the theme's highlight colour, on a halo of the page's colour
        # so that it stands out on span fills, claim bands and rings alike; solid while the
        # article has the keys, dashed when it has not.
        palette = self.palette()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), CURSOR_WIDTH + 2.5))
        painter.drawRoundedRect(rect, 3.5, 3.5)
        pen = QPen(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight), CURSOR_WIDTH)
        if not self.hasFocus():
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, 3.5, 3.5)
        painter.restore()

    def cursor_rect(self) -> QRectF | None:
        """Where the token cursor's ring is drawn (viewport coordinates), or None when it is not."""
        if not self._show_cursor or self._cursor is None or self._selection is not None or not self._text:
            return None
        tokens = self.tokens()
        i = tokens.index_at(self._cursor)
        if i is None:
            return None
        qs, qe = self._offsets.to_qt_range(*tokens[i])
        cursor = QTextCursor(self.document())
        cursor.setPosition(qs)
        start = self.cursorRect(cursor)
        cursor.setPosition(qe)
        end = self.cursorRect(cursor)
        if start.top() != end.top():  # wrapped inside the token: ring its first part
            end = start.translated(24, 0)
        left, right = min(start.left(), end.left()), max(start.left(), end.left())
        if not self.right_to_left:
            # The token's own width: a span ending here keeps room for its tag after the last
            # letter, and the ring must not take the tag in.
            right = min(right, left + self.fontMetrics().horizontalAdvance(qt_string(self._text[slice(*tokens[i])])))
        return QRectF(left - 2.5, start.top() - 1.5, max(6.0, right - left) + 5.0, start.height() + 3.0)

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
        self._layout.set_line_height(self.fontMetrics().height(), tag_height(self.font()))

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
