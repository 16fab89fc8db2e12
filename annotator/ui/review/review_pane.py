"""The Review tab: the current document's units with their states, the current unit's
versions (one row per annotator, with the digit that takes it), a legend and the keys.

Everything shown is plain text (names and article text come from files: never rich text),
each state with a mark as well as a colour, so it reads without colour too.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

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


def state_color(state: str, palette: QPalette | None = None) -> QColor:
    mark, light, dark, _ = STATE_LOOKS[state]
    return QColor(dark if is_dark(palette) else light)


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


class ReviewPane(QWidget):
    """The Review tab (views only: ui/review/review_mode.py decides what it shows)."""

    unit_chosen = Signal(int)  # a row clicked: that unit becomes the current one

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reviewPane")
        self.summary = plain_label(name="reviewSummary", wrap=True)
        self.units = QListWidget()
        self.units.setObjectName("reviewUnits")
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.units.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the article
        self.units.setWordWrap(True)
        self.units.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.units.itemClicked.connect(lambda item: self.unit_chosen.emit(self.units.row(item)))
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
        self.units.clear()
        for unit in units:
            item = QListWidgetItem(unit_line(unit, text))
            item.setForeground(state_color(unit.state, self.palette()))
            # Hovering a unit lists who made which version.
            item.setToolTip("\n".join([STATE_LOOKS[unit.state][3], *(
                f"{shown_name(', '.join(who)) or '—'}: {describe_version(unit.group, version, text)}"
                for version, who in unit.distinct_versions())]))
            self.units.addItem(item)
        self.show_current(units, text, current)

    def show_current(self, units: Sequence[Unit], text: str, current: int | None) -> None:
        self.versions.clear()
        if current is None or not 0 <= current < len(units):
            self.units.clearSelection()
            self.versions_title.setText("Nothing to review in this document." if not units else
                                        "Every unit is decided: Ctrl+Enter marks the document reviewed.")
            return
        self.units.setCurrentRow(current)
        self.units.scrollToItem(self.units.item(current))
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
            item.setForeground(state_color(DECIDED, self.palette()))
            self.versions.addItem(item)
