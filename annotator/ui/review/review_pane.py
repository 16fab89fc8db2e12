"""The Review tab: the current document's units with their states, the current unit's
versions (one row per annotator, with the digit that takes it), a legend and the keys.

Everything shown is plain text (names and article text come from files: never rich text),
each state with a mark as well as a colour, so it reads without colour too.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...core.review import AGREED, CLAIM, CONFLICT, DECIDED, DOC, MISSING, REJECTED, Mark, Unit
from ..common.bidi import shown_name
from ..common.plain_text import plain_label
from ..common.themes import is_dark

# state -> (mark, light colour, dark colour, legend text)
STATE_LOOKS = {
    CONFLICT: ("≠", "#c92a2a", "#ff8787", "annotators differ"),
    MISSING: ("◐", "#b35c00", "#ffc078", "some lack it"),
    AGREED: ("=", "#2b8a3e", "#8ce99a", "all agree"),
    DECIDED: ("✓", "#1864ab", "#74c0fc", "in gold"),
    REJECTED: ("✗", "#5c5f66", "#adb5bd", "rejected"),
}
KEYS_HINT = ("Space / Shift+Space next / previous undecided · 1–9 take that annotator's version · "
             "Enter the majority · X reject · Shift+A all agreed · K, U or an attribute key then a digit: "
             "that field from that annotator · Ctrl+Enter reviewed, next document · Ctrl+Z undo")


def state_colors(palette: QPalette | None = None) -> dict[str, QColor]:
    """Each state's colour for this palette (light or dark)."""
    dark = is_dark(palette)
    return {state: QColor(looks[2] if dark else looks[1]) for state, looks in STATE_LOOKS.items()}


def quote(text: str, limit: int = 48) -> str:
    flat = shown_name(" ".join(text.split()))
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"


def describe_mark(group: str, mark: Mark, text: str) -> str:
    """One annotator's mark as a line: label and words; a claim's claimant, cue and values."""
    if group == DOC:
        return f"document label {shown_name(mark[2])}"
    out = f"{shown_name(mark[2])} {quote(text[mark[0]:mark[1]])}"
    if group == CLAIM:
        claimant = quote(text[mark[3][0]:mark[3][1]]) if mark[3] else quote(mark[4]) if mark[4] else "no claimant"
        cue = quote(text[mark[5][0]:mark[5][1]]) if mark[5] else "no cue"
        values = ", ".join(f"{shown_name(k)}={shown_name(v)}" for k, v in mark[6])
        out += f" · claimant {claimant} · cue {cue}" + (f" · {values}" if values else "")
    return out


def describe_version(group: str, version: Sequence[Mark], text: str) -> str:
    return " + ".join(describe_mark(group, m, text) for m in version) if version else "— nothing here"


def unit_line(unit: Unit, text: str) -> str:
    mark = STATE_LOOKS[unit.state][0]
    where = "document" if unit.group == DOC else quote(text[unit.start:unit.end], 32)
    how = f" ({', '.join(unit.differences)})" if unit.state == CONFLICT else ""
    if unit.state == MISSING:
        how = f" (not {', '.join(unit.lacking)})"
    return f"{mark}  {shown_name(unit.label)} {where}{how}"


def unit_tooltip(unit: Unit, text: str) -> str:
    """Hovering a unit lists who made which version."""
    return "\n".join([STATE_LOOKS[unit.state][3], *(
        f"{shown_name(', '.join(who)) or '—'}: {describe_version(unit.group, version, text)}"
        for version, who in unit.distinct_versions())])


class UnitsModel(QAbstractListModel):
    """The document's units as rows; lines and tooltips made when a row is drawn or hovered
    (a document of hundreds of units shows a screenful)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.units: Sequence[Unit] = ()
        self.text = ""
        self.colors: dict[str, QColor] = {}

    def set_units(self, units: Sequence[Unit], text: str, colors: dict[str, QColor]) -> None:
        self.beginResetModel()
        self.units, self.text, self.colors = units, text, colors
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.units)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.units):
            return None
        unit = self.units[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return unit_line(unit, self.text)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.colors.get(unit.state)
        if role == Qt.ItemDataRole.ToolTipRole:
            return unit_tooltip(unit, self.text)
        return None


class ReviewPane(QWidget):
    """The Review tab (views only: ui/review/review_mode.py decides what it shows)."""

    unit_chosen = Signal(int)  # a row clicked: that unit becomes the current one

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reviewPane")
        self.summary = plain_label(name="reviewSummary", wrap=True)
        self.model = UnitsModel(self)
        self.units = QListView()
        self.units.setObjectName("reviewUnits")
        self.units.setModel(self.model)
        self.units.setUniformItemSizes(True)  # one line each: a long document lays out at once
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.units.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the article
        self.units.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.units.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.units.clicked.connect(lambda index: self.unit_chosen.emit(index.row()))
        self.versions_title = plain_label(name="reviewVersionsTitle", wrap=True)
        self.versions = QListWidget()
        self.versions.setObjectName("reviewVersions")
        self.versions.setWordWrap(True)
        self.versions.setAlternatingRowColors(True)  # one annotator per row, told apart
        self.versions.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.versions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.legend = plain_label(name="reviewLegend", wrap=True)
        # No break inside an entry: the legend wraps between entries only.
        self.legend.setText("   ".join(f"{m}\u00a0{what}".replace(" ", "\u00a0") for m, _, _, what in STATE_LOOKS.values()))
        self.keys = plain_label(KEYS_HINT, name="reviewKeys", wrap=True)
        small = self.keys.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.keys.setFont(small)
        self.keys.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.units, 3)
        layout.addWidget(self.versions_title)
        layout.addWidget(self.versions, 2)
        layout.addWidget(self.legend)
        layout.addWidget(self.keys)

    def show_units(self, units: Sequence[Unit], text: str, current: int | None, summary: str) -> None:
        self.summary.setText(summary)
        self.model.set_units(units, text, state_colors(self.palette()))
        self.show_current(units, text, current)

    def show_current(self, units: Sequence[Unit], text: str, current: int | None) -> None:
        self.versions.clear()
        if current is None or not 0 <= current < len(units):
            self.units.clearSelection()
            self.versions_title.setText("Nothing to review in this document." if not units else
                                        "Every unit is decided: Ctrl+Enter marks the document reviewed.")
            return
        index = self.model.index(current, 0)
        self.units.setCurrentIndex(index)
        self.units.scrollTo(index)
        unit = units[current]
        majority = unit.majority()
        differ = f" in {', '.join(d for d in unit.differences if d != 'missing')}" if unit.state == CONFLICT else ""
        self.versions_title.setText(f"Unit {current + 1} of {len(units)}: {STATE_LOOKS[unit.state][3]}{differ}")
        for digit, (annotator, version) in enumerate(zip(unit.annotators, unit.versions), start=1):
            hint = "   ← majority (Enter)" if majority is not None and version == majority else ""
            self.versions.addItem(f"{digit}  {shown_name(annotator)}: {describe_version(unit.group, version, text)}{hint}")
        if unit.gold or unit.rejected_marks:
            gold = describe_version(unit.group, unit.gold, text) if unit.gold else "rejected (not gold)"
            item = QListWidgetItem(f"gold: {gold}")
            item.setForeground(state_colors(self.palette())[DECIDED])
            self.versions.addItem(item)
