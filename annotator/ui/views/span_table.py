"""The spans of the shown document as a table: label, text, annotator, attributes and note.

The model is a thin adapter over the document's spans (in text order). It never writes: an
edit of the label cell is handed to ``relabel`` (the window makes an undoable command of it),
and the row follows when the window calls ``put``/``remove`` with the stored result.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ...core.model import Label, Span, SpanDetails
from ..common.bidi import shown_name
from ..common.offsets import qt_string
from ..common.plain_text import tooltip
from ..common.span_details import describe_details
from ..session.document_session import DocumentSession
from ..session.layers import ShownDocument

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Label", "Text", "Annotator", "Attributes")
LABEL, TEXT, ANNOTATOR, ATTRIBUTES = range(4)
SpanIdRole = Qt.ItemDataRole.UserRole + 1
TEXT_CHARS = 120  # a claim can be a paragraph: the cell shows its start, the tooltip more


def _key(span: Span) -> tuple[int, int, int]:
    return span.start, span.end, span.id or 0


class SpanTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._spans: list[Span] = []
        self._labels: dict[str, Label] = {}
        self._icons: dict[str, QIcon] = {}
        self._stale: set[int] = set()
        self._details: dict[int, SpanDetails] = {}  # attributes and notes, by span id (imported from other tools)
        self._italic = QFont()
        self._italic.setItalic(True)  # suggestions: not yet anyone's decision
        self.relabel: Callable[[int, str], bool] | None = None
        self.read_only = False

    # ------------------------------------------------------------------ Qt API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and \
                0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._spans):
            return None
        span = self._spans[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == LABEL:
                if role == Qt.ItemDataRole.EditRole:
                    return span.label
                return shown_name(span.label) + ("" if span.state == "accepted" else "?")
            if column == TEXT:
                flat = shown_name(" ".join(span.text.split()))
                return qt_string(flat if len(flat) <= TEXT_CHARS else flat[: TEXT_CHARS - 1] + "…")
            if column == ANNOTATOR:
                return qt_string(shown_name(span.annotator or ""))
            if column == ATTRIBUTES:
                return qt_string(describe_details(self._details.get(span.id or 0), TEXT_CHARS))
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL:
            return self._icon(span.label)
        if role == Qt.ItemDataRole.ToolTipRole:
            stale = "\nThe stored text no longer matches the article here." if span.id in self._stale else ""
            text = span.text if len(span.text) <= 600 else span.text[:599] + "…"
            # Untrusted text in a tooltip: escaped, so "<b>" in an article shows as "<b>".
            details = describe_details(self._details.get(span.id or 0), 600)
            return tooltip(
                f"{span.label} · characters {span.start}–{span.end} · {span.origin} · {span.state}"
                f" · by {span.annotator or 'unknown'}{stale}\n{text}" + (f"\n{details}" if details else ""))
        if role == Qt.ItemDataRole.ForegroundRole and span.id in self._stale:
            return QColor("#d32f2f")
        if role == Qt.ItemDataRole.FontRole and span.state == "suggested":
            return self._italic
        if role == SpanIdRole:
            return span.id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == LABEL and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != LABEL or not index.isValid():
            return False
        span = self._spans[index.row()]
        if not isinstance(value, str) or value == span.label or self.relabel is None or span.id is None:
            return False
        # The window makes an undoable command of it; the row changes when the store has.
        return self.relabel(span.id, value)

    # ---------------------------------------------------------------- our API
    def follow(self, session: DocumentSession) -> None:
        """Rows for the session's document, one row changed per span edit."""
        session.document_shown.connect(self._document_shown)
        session.span_added.connect(self.put)
        session.span_changed.connect(self.put)
        session.span_removed.connect(self.remove)
        session.scheme_changed.connect(self._scheme_changed)
        session.read_only_changed.connect(self._read_only_changed)
        self.set_labels(session.labels)
        self.read_only = session.read_only

    def _document_shown(self, shown: ShownDocument | None) -> None:
        # The session's own details dict: it puts a restored span's details there before its row.
        self.set_spans(sorted(shown.spans.values(), key=_key) if shown is not None else [],
                       shown.stale if shown is not None else None, shown.details if shown is not None else None)

    def _scheme_changed(self, labels: list[Label], _attributes: object) -> None:
        self.set_labels(labels)

    def _read_only_changed(self, read_only: bool) -> None:
        self.read_only = read_only

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.name: label for label in labels}
        self._icons.clear()
        if self._spans:
            self.dataChanged.emit(self.index(0, LABEL), self.index(len(self._spans) - 1, LABEL))

    def labels_like(self, name: str) -> list[str]:
        """Labels of the same kind as ``name``: what a span can be relabelled to in place."""
        kind = self._labels[name].kind if name in self._labels else "entity"
        return [label.name for label in self._labels.values() if label.kind == kind]

    def set_spans(self, spans: Sequence[Span], stale: set[int] | None = None,
                  details: dict[int, SpanDetails] | None = None) -> None:
        self.beginResetModel()
        self._details = details if details is not None else {}
        # The store hands spans out in text order already; sorting is only for other callers.
        live = [s for s in spans if s.state != "rejected"]
        self._spans = live if all(_key(a) <= _key(b) for a, b in zip(live, live[1:], strict=False)) \
            else sorted(live, key=_key)
        self._stale = set(stale or ())
        self.endResetModel()

    def has_details(self) -> bool:
        """Whether any span of the document has attributes or a note (most projects have none)."""
        return bool(self._details)

    def span_at(self, row: int) -> Span | None:
        # Not "span": that name is QAbstractItemModel.span(index), which Qt calls (a segfault).
        return self._spans[row] if 0 <= row < len(self._spans) else None

    def row_of(self, span_id: int) -> int | None:
        return next((row for row, span in enumerate(self._spans) if span.id == span_id), None)

    def put(self, span: Span) -> None:
        """Insert or update one span's row (removing it when it became rejected)."""
        row = self.row_of(span.id) if span.id is not None else None
        if row is not None:
            if span.state == "rejected" or _key(span) != _key(self._spans[row]):
                self.remove(span.id)
            else:
                self._spans[row] = span
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                return
        if span.state == "rejected":
            return
        keys = [_key(s) for s in self._spans]
        insort(keys, _key(span))
        new_row = keys.index(_key(span))
        self.beginInsertRows(QModelIndex(), new_row, new_row)
        self._spans.insert(new_row, span)
        self.endInsertRows()

    def remove(self, span_id: int | None) -> None:
        row = self.row_of(span_id) if span_id is not None else None
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._spans[row]
        self.endRemoveRows()

    def _icon(self, name: str) -> QIcon:
        icon = self._icons.get(name)
        if icon is None:
            pixmap = QPixmap(12, 12)
            pixmap.fill(QColor(self._labels[name].color if name in self._labels else "#999999"))
            icon = self._icons[name] = QIcon(pixmap)
        return icon


class _LabelCombo(QComboBox):
    """The label cell's editor. Keys typed into it are its own type-ahead: the window's
    single-key shortcuts (label keys, C for a claim, X to reject) must not act on the article
    behind it. Ctrl/Alt combinations (Ctrl+Z, menus) still reach the window."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and not event.modifiers() & _COMMAND_MODIFIERS:
            event.accept()  # delivered to this combo as an ordinary key press
            return True
        return super().event(event)


_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)


class LabelDelegate(QStyledItemDelegate):
    """Edits the label cell with a combo of the labels of the span's kind."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        model = index.model()
        while hasattr(model, "sourceModel"):
            model = model.sourceModel()
        combo = _LabelCombo(parent)
        current = index.data(Qt.ItemDataRole.EditRole)
        for name in model.labels_like(current) if isinstance(model, SpanTableModel) else [current]:
            combo.addItem(qt_string(name), name)
        # Choosing is the edit: commit at once, as a one-click relabel should.
        combo.activated.connect(lambda _i, c=combo: (self.commitData.emit(c), self.closeEditor.emit(c)))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model, index: _Index) -> None:  # noqa: ANN001 - QAbstractItemModel
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class SpanTable(QTableView):
    """Clicking a row shows the span in the article; Delete removes it (through the window)."""

    span_chosen = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, model: SpanTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegateForColumn(LABEL, LabelDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.SelectedClicked)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        # Fixed, user-adjustable widths: "resize to contents" would read every row of a
        # 5,000-span document each time a document is shown.
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ANNOTATOR, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ATTRIBUTES, QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        metrics = self.fontMetrics()
        self.setColumnWidth(LABEL, metrics.horizontalAdvance("PERSON") + 40)
        self.setColumnWidth(ANNOTATOR, metrics.horizontalAdvance("annotator") + 16)
        self.setColumnWidth(ATTRIBUTES, metrics.horizontalAdvance("Attributes: value") + 16)
        # Shown for a document whose spans have attributes or notes (from other tools' files);
        # otherwise the text keeps the room.
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._show_attributes_column)
        self._show_attributes_column()
        self.clicked.connect(self._chosen)
        self.selectionModel().currentRowChanged.connect(lambda current, _previous: self._chosen(current))

    def _show_attributes_column(self, *_args: object) -> None:
        self.setColumnHidden(ATTRIBUTES, not self.span_model().has_details())

    def span_model(self) -> SpanTableModel:
        model = self.model()
        assert isinstance(model, SpanTableModel)
        return model

    def current_span_id(self) -> int | None:
        index = self.currentIndex()
        return index.siblingAtColumn(LABEL).data(SpanIdRole) if index.isValid() else None

    def select_span(self, span_id: int | None) -> None:
        """Follow the article's cursor without re-announcing the choice."""
        row = self.span_model().row_of(span_id) if span_id is not None else None
        blocked = self.selectionModel().blockSignals(True)
        if row is None:
            self.clearSelection()
            self.setCurrentIndex(QModelIndex())
        else:
            index = self.model().index(row, TEXT)
            self.setCurrentIndex(index)
            self.selectRow(row)
            self.scrollTo(index)
        self.selectionModel().blockSignals(blocked)
        self.viewport().update()

    def _chosen(self, index: QModelIndex) -> None:
        span_id = index.siblingAtColumn(LABEL).data(SpanIdRole) if index.isValid() else None
        if span_id is not None:
            self.span_chosen.emit(span_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != QAbstractItemView.State.EditingState:
            span_id = self.current_span_id()
            if span_id is not None:
                self.delete_requested.emit(span_id)
                event.accept()
                return
        super().keyPressEvent(event)
