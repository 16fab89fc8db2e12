"""Other annotators' layers beside the article, read-only (View > Layers).

The editable article stays where it is; each other layer the session shows
(``Layers.others``) gets a column of its own to its right: a header in the annotator's
colour (who, their status of the document, how many spans) over the same article drawn
with that layer's spans. The columns scroll with the article, so the same paragraph is
side by side. A key that would edit (a label key, Delete, resizing) in another layer's
column is refused with a message: the window's actions act on the editable article only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QSplitter, QToolButton, QVBoxLayout, QWidget

from ...core.model import Label
from ..common.annotator_colors import AnnotatorColors
from ..common.bidi import shown_name
from ..common.plain_text import plain_label
from ..session.document_session import DocumentSession
from ..session.layers import Layers, ShownDocument, layer_title
from ..text.text_view import AnnotationView

Key, Mod = Qt.Key, Qt.KeyboardModifier
SWATCH = 10


def edits(event: QKeyEvent) -> bool:
    """Keys that edit spans in the article: label keys (text without Ctrl or Alt), Delete."""
    mods = event.modifiers() & ~(Mod.KeypadModifier | Mod.ShiftModifier)
    if mods != Mod.NoModifier:
        return False
    if event.key() in (Key.Key_Delete, Key.Key_Backspace):
        return True
    text = event.text()
    return bool(text) and text.isprintable() and not text.isspace()


class LayerView(AnnotationView):
    """An article drawn with another annotator's spans; it refuses every edit."""

    edit_refused = Signal()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and edits(event):
            event.accept()  # the key comes here, not to the window's label actions
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.text and edits(event):
            self.edit_refused.emit()
            return
        super().keyPressEvent(event)

    def _resize_span_end(self, step: int) -> None:  # Ctrl+Shift+Left/Right
        self.edit_refused.emit()

    def show_document(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - AnnotationView's
        super().show_document(*args, **kwargs)
        self._show_cursor = False  # no token cursor until the reader moves in this column


class Swatch(QWidget):
    """A small square in an annotator's colour, fitted to the theme as it changes."""

    def __init__(self, colors: AnnotatorColors, ref: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.colors, self.ref = colors, ref
        self.setFixedSize(SWATCH + 4, SWATCH + 4)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colors.color(self.ref, self.palette()))
        painter.drawRoundedRect(QRectF(2, 2, SWATCH, SWATCH), 2.5, 2.5)
        painter.end()


class LayerHeader(QWidget):
    """Over a column: whose layer, in their colour, and what it holds."""

    hide_requested = Signal()

    def __init__(self, colors: AnnotatorColors, ref: str, *, closable: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.ref = ref
        self.swatch = Swatch(colors, ref)
        self.label = plain_label(name="layerHeader")
        # The header's words never decide the column's width: with four layers beside the
        # article they would squeeze the document list and the claim panel (the tooltip and a
        # wider column show all of it).
        self.label.setMinimumWidth(1)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, self.label.sizePolicy().verticalPolicy())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.swatch)
        layout.addWidget(self.label, 1)
        # Every header has the button's room, so that the articles under them start level.
        self.close_button = QToolButton()
        self.close_button.setObjectName("layerHide")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(f"Hide {shown_name(layer_title(ref))}'s layer (View > Layers shows it again)")
        self.close_button.clicked.connect(self.hide_requested)
        policy = self.close_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.close_button.setSizePolicy(policy)
        layout.addWidget(self.close_button)  # a child first: shown without a parent it would be a window
        self.close_button.setVisible(closable)

    def set_colors(self, colors: AnnotatorColors) -> None:
        self.swatch.colors = colors
        self.swatch.update()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.fillRect(QRectF(0, self.height() - 3, self.width(), 3),
                         self.swatch.colors.color(self.ref, self.palette()))
        painter.end()


class LayerPane(QWidget):
    """One other layer: its header over its read-only article."""

    def __init__(self, colors: AnnotatorColors, ref: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ref = ref
        self.setObjectName(f"layerPane:{ref}")
        self.header = LayerHeader(colors, ref, closable=True)
        self.view = LayerView()
        self.view.setObjectName("layerView")
        self.view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab stays in the editable article
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)

    def show_layer(self, shown: ShownDocument) -> None:
        spans = [s for s in shown.others.get(self.ref, []) if s.state != "rejected"]
        self.view.show_document(shown.doc_id, shown.text, spans)
        status = shown.other_status.get(self.ref)
        parts = [shown_name(layer_title(self.ref)), "read-only"]
        if status is not None:
            parts.append({"todo": "to do"}.get(status, status))
        parts.append(f"{len(spans):,} span{'' if len(spans) == 1 else 's'}")
        self.header.label.setText(" · ".join(parts))
        self.header.label.setToolTip(" · ".join(parts))


class LayerPanes(QWidget):
    """The article and the other layers' columns beside it (the window's middle pane)."""

    edit_refused = Signal(str)  # the ref of the layer a key tried to edit
    hide_requested = Signal(str)

    def __init__(self, article: AnnotationView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layerPanes")
        self.article = article
        self.colors = AnnotatorColors(())
        self.panes: dict[str, LayerPane] = {}
        self._labels: list[Label] = []
        self._layers = Layers()
        self._session: DocumentSession | None = None
        self.own_header = LayerHeader(self.colors, "", closable=False)
        self.own_header.setObjectName("editableLayerHeader")
        self.own_header.hide()
        own = QWidget()
        own_layout = QVBoxLayout(own)
        own_layout.setContentsMargins(0, 0, 0, 0)
        own_layout.setSpacing(0)
        own_layout.addWidget(self.own_header)
        own_layout.addWidget(article, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("layerSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(own)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        article.verticalScrollBar().valueChanged.connect(self._follow_scroll)

    def sizeHint(self) -> QSize:
        return self.article.sizeHint()

    # ------------------------------------------------------------------ the session
    def follow(self, session: DocumentSession) -> None:
        self._session = session
        session.layers_changed.connect(self._layers_changed)
        session.document_shown.connect(self._document_shown)
        session.scheme_changed.connect(self._scheme_changed)
        self._labels = list(session.labels)
        self._layers_changed(session.layers)

    def _layers_changed(self, layers: Layers) -> None:
        self._layers = layers
        if self._session is not None:
            self.colors = AnnotatorColors(self._session.project.annotators())
        for ref in [ref for ref in self.panes if ref not in layers.others]:
            pane = self.panes.pop(ref)
            pane.hide()
            pane.setParent(None)
            pane.deleteLater()
        for ref in layers.others:
            if ref not in self.panes:
                self.panes[ref] = self._make_pane(ref)
        for i, ref in enumerate(layers.others, start=1):
            self.splitter.insertWidget(i, self.panes[ref])
        for pane in self.panes.values():
            pane.header.set_colors(self.colors)
        self.own_header.ref = self.own_header.swatch.ref = layers.editable or ""
        self.own_header.set_colors(self.colors)
        self.own_header.label.setText(f"{shown_name(layers.editable_title)} · your layer, editable")
        self.own_header.setVisible(bool(layers.others))
        if layers.others:
            width = max(self.splitter.width(), 1)
            self.splitter.setSizes([width // (len(layers.others) + 1)] * (len(layers.others) + 1))

    def _make_pane(self, ref: str) -> LayerPane:
        pane = LayerPane(self.colors, ref, self.splitter)  # a child from the start: never a window of its own
        pane.view.set_labels(self._labels)
        pane.view.set_zoom(self.article.zoom)
        pane.view.edit_refused.connect(lambda r=ref: self.edit_refused.emit(r))
        pane.header.hide_requested.connect(lambda r=ref: self.hide_requested.emit(r))
        return pane

    def _document_shown(self, shown: ShownDocument | None) -> None:
        for pane in self.panes.values():
            if shown is None:
                pane.view.clear_document("")
                pane.header.label.setText(f"{shown_name(layer_title(pane.ref))} · read-only")
            else:
                pane.show_layer(shown)
        self._follow_scroll()

    def _scheme_changed(self, labels: list[Label], _attributes: object) -> None:
        self._labels = list(labels)
        for pane in self.panes.values():
            pane.view.set_labels(labels)

    # ------------------------------------------------------------------ the window
    def set_zoom(self, steps: int) -> None:
        for pane in self.panes.values():
            pane.view.set_zoom(steps)

    def reveal(self, start: int, end: int) -> None:
        """Select the same characters in every other layer's column (the article does its own)."""
        for pane in self.panes.values():
            if pane.view.text and end <= len(pane.view.text):
                pane.view.set_selection(start, end)
                pane.view.centerCursor()

    def _follow_scroll(self, *_args: object) -> None:
        """Each column shows the article's top line at its top (lines may wrap differently)."""
        if not self.panes or not self.article.text:
            return
        top = self.article.cursorForPosition(QPoint(0, 0)).position()
        for pane in self.panes.values():
            view = pane.view
            block = view.document().findBlock(top)
            if not block.isValid():
                continue
            layout = block.layout()
            line = layout.lineForTextPosition(top - block.position()) if layout is not None else None
            within = line.lineNumber() if line is not None and line.isValid() else 0
            view.verticalScrollBar().setValue(block.firstLineNumber() + within)

