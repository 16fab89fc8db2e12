"""A type-ahead chooser of spans (the claimant or cue of a claim), with free text as a way out.

Closed, it shows the current choice. Opened (a key in the claim editor, or a click), its line
takes typing and a list below it shows the candidates the owner gave, nearest to the claim
first, filtered by what is typed. Up/Down move, Enter takes the highlighted row, Esc gives up.
For the claimant, typed text that names no span becomes a free-text claimant (a row at the
end of the list, or Shift+Enter at any time).

The list never takes the focus (clicking a row still picks it), so focus leaving the line
means the user went elsewhere: the chooser closes without a change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from ..common.bidi import shown_name
from ..common.offsets import qt_string

_Index = QModelIndex | QPersistentModelIndex
VISIBLE_ROWS = 6


@dataclass(frozen=True)
class Candidate:
    span_id: int | None  # None: the typed text as a free-text claimant
    text: str
    label: str = ""
    where: str = ""  # "before", "after", "inside" the claim
    color: str = "#999999"


class CandidateModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[Candidate] = []
        self._icons: dict[str, QIcon] = {}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = qt_string(shown_name(" ".join(row.text.split())))
            if row.span_id is None:
                return f"“{text}” — free text (not in the article)"
            where = f" · {row.where}" if row.where else ""
            return f"{text}   {row.label}{where}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(row.color if row.span_id is not None else "#00000000")
        if role == Qt.ItemDataRole.UserRole:
            return row.span_id
        return None

    def set_rows(self, rows: Sequence[Candidate]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> Candidate | None:
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def _icon(self, color: str) -> QIcon:
        icon = self._icons.get(color)
        if icon is None:
            pixmap = QPixmap(10, 10)
            pixmap.fill(QColor(color))
            icon = self._icons[color] = QIcon(pixmap)
        return icon


class ChooserLine(QLineEdit):
    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.isReadOnly():
            self.clicked.emit()
            event.accept()
            return
        super().mousePressEvent(event)


class SpanChooser(QWidget):
    chosen = Signal(object)  # ("span", id) or ("text", name)
    open_requested = Signal()
    closed = Signal(bool)  # True when something was chosen

    def __init__(self, *, free_text: bool, placeholder: str, parent: QWidget | None = None, place_list: bool = True):
        super().__init__(parent)
        self.free_text = free_text
        self._all: list[Candidate] = []
        self._shown_value = ""
        self._open = False
        self.line = ChooserLine()
        self.line.setReadOnly(True)
        self._placeholder = placeholder
        self.line.setPlaceholderText(placeholder)
        self.line.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.line.clicked.connect(self.open_requested)
        self.line.textEdited.connect(self._filter)
        self.line.installEventFilter(self)
        self.model = CandidateModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.clicked.connect(lambda index: self._take(index.row()))
        self.list.hide()
        # The span's label beside its text, never cut off with it: a long name is what gets elided.
        self.tag = QLabel()
        self.tag.setTextFormat(Qt.TextFormat.PlainText)
        self.tag.setObjectName("chooserTag")
        self.tag.setEnabled(False)  # the style's muted colour, in light and dark
        self.tag.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.line, 1)
        row.addWidget(self.tag)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        if place_list:  # else the owner puts the list where there is room (e.g. a full-width row)
            layout.addWidget(self.list)

    # ------------------------------------------------------------------ state
    @property
    def is_open(self) -> bool:
        return self._open

    def set_value(self, text: str, tag: str = "") -> None:
        """Show the chosen span's ``text`` (elided to fit) with its ``tag`` (its label) beside it."""
        self._shown_value = text
        self.tag.setText(tag)
        self.tag.setVisible(bool(tag) and not self._open)
        self.line.setToolTip(qt_string(f"{text}  ({tag})") if tag else "")
        if not self._open:
            self.line.setText(text)
            self.line.setCursorPosition(0)

    def open_list(self, candidates: Sequence[Candidate]) -> None:
        self._all = list(candidates)
        self._open = True
        self.line.setPlaceholderText("type to filter" + (" or a name not in the text" if self.free_text else ""))
        self.line.setReadOnly(False)
        self.tag.hide()
        self.line.clear()
        self._filter("")
        rows = min(VISIBLE_ROWS, max(3, self.model.rowCount()))
        self.list.setFixedHeight(rows * (self.list.sizeHintForRow(0) if self.model.rowCount() else 20) + 6)
        self.list.show()
        self.line.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_list(self, chosen: bool = False) -> None:
        if not self._open:
            return
        self._open = False
        self.line.setPlaceholderText(self._placeholder)
        self.list.hide()
        self.line.setReadOnly(True)
        self.tag.setVisible(bool(self.tag.text()))
        self.line.setText(self._shown_value)
        self.line.setCursorPosition(0)
        self.closed.emit(chosen)

    def candidates(self) -> list[Candidate]:
        """The rows shown now (after filtering)."""
        return [c for i in range(self.model.rowCount()) if (c := self.model.row(i)) is not None]

    # ------------------------------------------------------------------ typing
    def _filter(self, typed: str) -> None:
        needle = typed.strip().casefold()
        rows = [c for c in self._all if not needle or needle in c.text.casefold() or needle == c.label.casefold()]
        exact = [c for c in rows if c.text.casefold() == needle]
        rows = exact + [c for c in rows if c not in exact]
        if self.free_text and needle and not exact:
            rows.append(Candidate(None, typed.strip()))
        self.model.set_rows(rows)
        if rows:
            self.list.setCurrentIndex(self.model.index(0))

    def _take(self, row: int) -> None:
        candidate = self.model.row(row)
        if candidate is None:
            return
        # Chosen first: the owner stores it, so the closed line shows the new value.
        self.chosen.emit(("text", candidate.text) if candidate.span_id is None else ("span", candidate.span_id))
        self.close_list(chosen=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not getattr(self, "line", None) or not self._open:
            return super().eventFilter(watched, event)
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Up,
                               Qt.Key.Key_Down):
                event.accept()  # ours while open, not the window's shortcuts
                return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        elif kind == QEvent.Type.FocusOut:
            self.close_list()
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close_list()
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            count = self.model.rowCount()
            if count:
                row = self.list.currentIndex().row()
                row = (row + (1 if key == Qt.Key.Key_Down else -1)) % count
                self.list.setCurrentIndex(self.model.index(row))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            typed = self.line.text().strip()
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and self.free_text and typed:
                self.chosen.emit(("text", typed))
                self.close_list(chosen=True)
            elif self.list.currentIndex().isValid():
                self._take(self.list.currentIndex().row())
            elif not typed:
                self.close_list()
            return True
        return False
