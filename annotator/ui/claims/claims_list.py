"""The claims of the shown document, one row each: "claimant → cue → content" and its
attribute values, with a warning mark when a required attribute is missing.

``ClaimListModel`` is a thin adapter over the document's claims (a document has tens, not
thousands); the window's claim flow fills it after each claim edit. Text from articles is
shown as plain text (the delegate draws it; tooltips are escaped).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ..common.bidi import shown_name
from ...core.model import Claim, ClaimAttribute
from ..common.offsets import qt_string
from ..common.plain_text import tooltip
from ..common.themes import is_dark

_Index = QModelIndex | QPersistentModelIndex
ClaimIdRole = Qt.ItemDataRole.UserRole + 1
SpanIdRole = Qt.ItemDataRole.UserRole + 2
AttributesRole = Qt.ItemDataRole.UserRole + 3  # "asserts · direct" (the row's second line)
MissingRole = Qt.ItemDataRole.UserRole + 4  # titles of missing required attributes
ColorRole = Qt.ItemDataRole.UserRole + 5  # the claim label's colour
WARNING = "⚠"
CONTENT_CHARS = 90
NO_CLAIMANT = "(no claimant)"
LIST_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Return, Qt.Key.Key_Enter)


def flat(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, as shown (bidi controls written out)."""
    text = shown_name(" ".join(text.split()))
    return qt_string(text if len(text) <= limit else text[: limit - 1] + "…")


def claim_line(claim: Claim) -> str:
    """"claimant → cue → “content”", the way the list and the claimants dialog name a claim."""
    claimant = claim.claimant_name
    who = flat(claimant, 40) if claimant else NO_CLAIMANT
    if claim.claimant is None and claimant:
        who = f"“{who}”"  # free text, not in the article
    parts = [who]
    if claim.cue is not None:
        parts.append(flat(claim.cue.text, 30))
    parts.append(f"“{flat(claim.content.text, CONTENT_CHARS)}”")
    return " → ".join(parts)


def missing_titles(claim: Claim, attributes: Sequence[ClaimAttribute]) -> list[str]:
    return [a.title or a.name for a in attributes if a.required and not claim.values.get(a.name)]


class ClaimListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._claims: list[Claim] = []
        self._attributes: list[ClaimAttribute] = []
        self._colors: dict[str, str] = {}
        self._canonical: dict[str, str] = {}
        self._italic = QFont()
        self._italic.setItalic(True)

    # ------------------------------------------------------------------ Qt API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._claims)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._claims) or index.column() != 0:
            return None
        claim = self._claims[index.row()]
        missing = missing_titles(claim, self._attributes)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{WARNING} {claim_line(claim)}" if missing else claim_line(claim)
        if role == AttributesRole:
            return self.values_text(claim)
        if role == MissingRole:
            return missing
        if role == Qt.ItemDataRole.FontRole and claim.content.state == "suggested":
            return self._italic  # a model's proposal, not yet anyone's decision
        if role == ClaimIdRole:
            return claim.id
        if role == SpanIdRole:
            return claim.content.id
        if role == ColorRole:
            return QColor(self._colors.get(claim.label, "#999999"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self._describe(claim, missing))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return claim_line(claim)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # ---------------------------------------------------------------- our API
    def set_scheme(self, attributes: Sequence[ClaimAttribute], colors: Mapping[str, str]) -> None:
        self._attributes = list(attributes)
        self._colors = dict(colors)
        if self._claims:
            self.dataChanged.emit(self.index(0), self.index(len(self._claims) - 1))

    def set_claims(self, claims: Sequence[Claim], canonical: Mapping[str, str] | None = None) -> None:
        """The document's claims (text order, as the store gives them)."""
        self.beginResetModel()
        self._claims = list(claims)
        self._canonical = dict(canonical or {})
        self.endResetModel()

    def claims(self) -> list[Claim]:
        return list(self._claims)

    def claim_at(self, row: int) -> Claim | None:
        return self._claims[row] if 0 <= row < len(self._claims) else None

    def row_of(self, claim_id: int | None) -> int | None:
        return next((row for row, claim in enumerate(self._claims) if claim.id == claim_id), None)

    def canonical(self, name: str) -> str | None:
        """The canonical name a claimant name is merged into, if it is merged."""
        return self._canonical.get(name)

    def incomplete(self) -> list[Claim]:
        """Accepted claims missing a required attribute (suggestions are not done work yet)."""
        return [c for c in self._claims if c.content.state == "accepted" and missing_titles(c, self._attributes)]

    def values_text(self, claim: Claim) -> str:
        shown = ["suggested"] if claim.content.state == "suggested" else []
        for attribute in self._attributes:
            value = claim.values.get(attribute.name)
            if value:
                shown.append(flat(value, 24) if attribute.kind == "choice" else f"{attribute.title}: {flat(value, 24)}")
        return " · ".join(shown)

    def _describe(self, claim: Claim, missing: list[str]) -> str:
        name = claim.claimant_name
        canonical = self._canonical.get(name or "", name)
        who = name or "nobody"
        if claim.claimant is None and name:
            who += " (free text: not in the article)"
        if canonical and canonical != name:
            who += f" — merged into {canonical}"
        state = " (suggested)" if claim.content.state == "suggested" else ""
        lines = [f"{claim.label}{state}: {claim.content.text if len(claim.content.text) < 400 else claim.content.text[:399] + '…'}",
                 f"Claimant: {who}", f"Cue: {claim.cue.text if claim.cue else 'none'}"]
        for attribute in self._attributes:
            lines.append(f"{attribute.title or attribute.name}: {claim.values.get(attribute.name) or '—'}")
        if missing:
            lines.append(f"{WARNING} Missing required: {', '.join(missing)}")
        return "\n".join(lines)


class ClaimDelegate(QStyledItemDelegate):
    """Two lines per claim: who → cue → what, then the values (and what is missing)."""

    PAD = 6
    BAR = 4

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(200, 2 * metrics.height() + 2 * self.PAD + 2)

    def paint(self, painter: QPainter, given: QStyleOptionViewItem, index: _Index) -> None:
        option = QStyleOptionViewItem(given)  # the view reuses its option for the next rows
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        group = QPalette.ColorGroup.Active if option.state & QStyle.StateFlag.State_Active \
            else QPalette.ColorGroup.Inactive
        main = palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = QRectF(option.rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(index.data(ColorRole) or QColor("#999999"))
        painter.drawRoundedRect(QRectF(rect.left() + 2, rect.top() + 4, self.BAR, rect.height() - 8), 2, 2)
        left = rect.left() + 2 + self.BAR + self.PAD
        width = rect.right() - left - self.PAD
        metrics = QFontMetrics(option.font)
        first = QRectF(left, rect.top() + self.PAD, width, metrics.height())
        painter.setFont(option.font)
        painter.setPen(main)
        painter.drawText(first, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width)))
        second = QRectF(left, first.bottom() + 2, width, metrics.height())
        missing = index.data(MissingRole) or []
        values = index.data(AttributesRole) or ""
        x = second.left()
        small = QFont(option.font)
        painter.setFont(small)
        if missing:
            warn = f"{WARNING} missing {', '.join(missing)}"
            warning = QColor("#ffb74d") if is_dark(palette) else QColor("#a15c00")
            painter.setPen(main if selected else warning)
            shown = metrics.elidedText(warn, Qt.TextElideMode.ElideRight, int(width))
            painter.drawText(second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
            x += metrics.horizontalAdvance(shown) + 10
        if values and x < second.right() - 20:
            muted = palette.color(group, QPalette.ColorRole.PlaceholderText)
            painter.setPen(main if selected else muted)
            rest = QRectF(x, second.top(), second.right() - x, second.height())
            painter.drawText(rest, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(values or "", Qt.TextElideMode.ElideRight, int(rest.width())))
        elif not values and not missing:
            muted = palette.color(group, QPalette.ColorRole.PlaceholderText)
            painter.setPen(main if selected else muted)
            painter.drawText(second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "no attributes set")
        painter.restore()


class ClaimList(QListView):
    """Clicking or moving to a row opens the claim; Delete deletes it (through the window);
    Enter goes back to the article."""

    claim_chosen = Signal(int)
    delete_requested = Signal(int)  # the content span's id
    back_to_text = Signal()

    def __init__(self, model: ClaimListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(ClaimDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformItemSizes(True)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.clicked.connect(self._chosen)
        self.selectionModel().currentRowChanged.connect(lambda current, _previous: self._chosen(current))

    def claim_model(self) -> ClaimListModel:
        model = self.model()
        assert isinstance(model, ClaimListModel)
        return model

    def select_claim(self, claim_id: int | None) -> None:
        """Follow the claim being edited without announcing it again."""
        row = self.claim_model().row_of(claim_id)
        blocked = self.selectionModel().blockSignals(True)
        if row is None:
            self.clearSelection()
            self.setCurrentIndex(QModelIndex())
        else:
            index = self.model().index(row, 0)
            self.setCurrentIndex(index)
            self.scrollTo(index)
        self.selectionModel().blockSignals(blocked)
        self.viewport().update()

    def current_claim(self) -> Claim | None:
        index = self.currentIndex()
        return self.claim_model().claim_at(index.row()) if index.isValid() else None

    def _chosen(self, index: QModelIndex) -> None:
        claim_id = index.data(ClaimIdRole) if index.isValid() else None
        if claim_id is not None:
            self.claim_chosen.emit(claim_id)

    def event(self, event: QEvent) -> bool:
        # Delete and Enter are the window's shortcuts too (Delete Span acts on the article);
        # here they mean this list's claim.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier and event.key() in LIST_KEYS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (claim := self.current_claim()) is not None:
            assert claim.content.id is not None
            self.delete_requested.emit(claim.content.id)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.back_to_text.emit()
            return
        super().keyPressEvent(event)
