"""The claim editor beside the article: the selected claim's claimant, cue and attributes.

It shows a claim and says what the user chose; it never writes. Every choice goes out as a
signal that the claim flow (``claim_flow``) turns into an undoable command; the stored result
comes back through ``show_claim``. Each field carries its key (K, U, and the scheme's
attribute keys) so the keyboard way is in sight; choice fields never take the focus (the
article keeps it, and the flow sends them the digits), text fields and the choosers take it
only while being typed in and give it back with Enter or Esc (``finished``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QIcon, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..common.bidi import shown_name
from ..common.plain_text import plain_label
from ...core.model import Claim, ClaimAttribute, Label
from .claims_list import WARNING, flat
from ..common.offsets import qt_string
from .span_chooser import Candidate, SpanChooser
from ..common.themes import is_dark, readable_text

NONE_TEXT = "—"
CONTENT_LINES = 3



def _plain(text: str = "", name: str = "", *, wrap: bool = False) -> QLabel:
    return plain_label(text, name=name, wrap=wrap)


def key_badge(key: str | None) -> QLabel:
    badge = _plain(key.upper() if key else "", "keyBadge")
    badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
    badge.setMinimumWidth(20)
    return badge


def crosshair_icon(color: QColor, size: int = 16) -> QIcon:
    """"Pick in the text": a crosshair (no font has a glyph for it everywhere)."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color, 1.4))
    centre = size / 2
    painter.drawEllipse(QRectF(centre - 4.5, centre - 4.5, 9, 9))
    for a, b in (((centre, 1.5), (centre, 5.5)), ((centre, size - 5.5), (centre, size - 1.5)),
                 ((1.5, centre), (5.5, centre)), ((size - 5.5, centre), (size - 1.5, centre))):
        painter.drawLine(QPointF(*a), QPointF(*b))
    painter.end()
    return QIcon(pixmap)


class TextField(QLineEdit):
    """A text attribute: Enter keeps what was typed, Esc puts the stored value back; leaving
    the field keeps it too (typed work is never dropped silently)."""

    commit = Signal(str)
    finished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.stored = ""
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def set_stored(self, value: str) -> None:
        self.stored = value
        if not self.hasFocus():
            self.setText(value)
            self.setCursorPosition(0)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape:
            event.accept()  # Esc cancels the typing here; it is not the window's Clear Selection
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.keep()
            self.finished.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.setText(self.stored)
            self.finished.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.keep()
        super().focusOutEvent(event)

    def keep(self) -> None:
        if self.text() != self.stored:
            self.stored = self.text()
            self.commit.emit(self.text())


class ClaimEditor(QFrame):
    value_chosen = Signal(str, object)  # attribute name, value (None clears)
    claimant_chosen = Signal(object)  # ("span", id), ("text", name) or ("none", None)
    cue_chosen = Signal(object)  # ("span", id) or ("none", None)
    pick_requested = Signal(str)  # "claimant" | "cue": pick it in the article
    chooser_requested = Signal(str)  # "claimant" | "cue": open its list (the flow gives the candidates)
    finished = Signal()  # typing in the editor is over: the article takes the keys again

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("claimEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._attributes: list[ClaimAttribute] = []
        self._labels: dict[str, Label] = {}
        self.claim: Claim | None = None
        self.fields: dict[str, QComboBox | TextField] = {}
        self.badges: dict[str, QLabel] = {}
        self.hints: dict[str, QLabel] = {}

        self.empty = _plain("No claim selected.\nSelect what was claimed and press C to make a claim; "
                            "click a claim, or choose one under Claims, to edit it.", "claimEditorEmpty", wrap=True)
        self.empty.setEnabled(False)

        self.page = QWidget()
        self.chip = _plain("", "claimChip")
        self.title = _plain("", "claimTitle")
        self.content = _plain("", "claimContent", wrap=True)
        self.content.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.missing = _plain("", "claimMissing", wrap=True)
        self.banner = _plain("", "claimBanner", wrap=True)
        self.proposal = _plain("", "claimProposal", wrap=True)
        self.proposal.hide()
        # The candidate lists get a row of the full width below their line (names are long).
        self.claimant = SpanChooser(free_text=True, placeholder="none · K, ⇧K", place_list=False)
        self.claimant.setObjectName("claimantChooser")
        self.cue = SpanChooser(free_text=False, placeholder="none · U, ⇧U", place_list=False)
        self.cue.setObjectName("cueChooser")
        for role, chooser in (("claimant", self.claimant), ("cue", self.cue)):
            chooser.open_requested.connect(lambda r=role: self.chooser_requested.emit(r))
            chooser.closed.connect(lambda _chosen: self.finished.emit())
        self.claimant.chosen.connect(self.claimant_chosen)
        self.cue.chosen.connect(self.cue_chosen)
        self.footer = _plain("K / U: claimant / cue from the text · ⇧K / ⇧U: from a list · "
                             "attribute key, then a digit · Esc: done\nIn the article: solid ring and link — "
                             "claimant · dashed — cue", "claimFooter", wrap=True)

        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(2, 1)
        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.chip)
        head.addWidget(self.title, 1)
        page = QVBoxLayout(self.page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(4)
        page.addLayout(head)
        page.addWidget(self.content)
        page.addWidget(self.missing)
        page.addWidget(self.banner)
        page.addWidget(self.proposal)
        page.addLayout(self.grid)
        page.addWidget(self.footer)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        outer.addWidget(self.empty)
        outer.addWidget(self.page)
        self._build_rows()
        self.show_claim(None)
        self._restyle()

    # ------------------------------------------------------------------ scheme
    def set_scheme(self, attributes: Sequence[ClaimAttribute], labels: Sequence[Label]) -> None:
        self._attributes = list(attributes)
        self._labels = {label.name: label for label in labels}
        self._build_rows()
        self.show_claim(self.claim)

    def _build_rows(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget not in (self.claimant, self.cue, self.claimant.list, self.cue.list):
                # Out of sight at once: deleteLater waits for the event loop.
                for chooser in (self.claimant, self.cue):
                    if widget.isAncestorOf(chooser):
                        chooser.setParent(None)
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.fields.clear()
        self.badges.clear()
        self.hints.clear()
        row = 0
        for role, key, title, chooser in (("claimant", "k", "Claimant", self.claimant), ("cue", "u", "Cue", self.cue)):
            self.badges[role] = key_badge(key)
            name = _plain(title)
            # Top-aligned (the chooser's list opens below its line), as tall as the line.
            height = chooser.line.sizeHint().height()
            for widget in (self.badges[role], name):
                widget.setMinimumHeight(height)
                widget.setAlignment(widget.alignment() & ~Qt.AlignmentFlag.AlignVertical_Mask
                                    | Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(self.badges[role], row, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(name, row, 1, Qt.AlignmentFlag.AlignTop)
            line = QHBoxLayout()
            line.setSpacing(2)
            line.addWidget(chooser, 1)
            pick = QToolButton()
            pick.setIcon(crosshair_icon(self.palette().color(self.palette().ColorRole.ButtonText)))
            pick.setObjectName(f"pick:{role}")
            pick.setToolTip(f"Pick the {role} in the article ({key.upper()})")
            pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            pick.clicked.connect(lambda _c=False, r=role: self.pick_requested.emit(r))
            clear = QToolButton()
            clear.setText("×")
            clear.setObjectName(f"clear:{role}")
            clear.setToolTip(f"No {role} ({key.upper()} then Delete)")
            clear.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            signal = self.claimant_chosen if role == "claimant" else self.cue_chosen
            clear.clicked.connect(lambda _c=False, s=signal: s.emit(("none", None)))
            line.addWidget(pick, 0, Qt.AlignmentFlag.AlignTop)
            line.addWidget(clear, 0, Qt.AlignmentFlag.AlignTop)
            holder = QWidget()
            holder.setLayout(line)
            line.setContentsMargins(0, 0, 0, 0)
            self.grid.addWidget(holder, row, 2)
            row += 1
            self.grid.addWidget(chooser.list, row, 1, 1, 2)
            row += 1
        for attribute in self._attributes:
            key = attribute.key if attribute.key not in ("k", "u") else None  # K and U are the links' keys
            self.badges[attribute.name] = key_badge(key)
            title = _plain(attribute.title or attribute.name)
            if attribute.description:
                title.setToolTip(attribute.description)
            self.grid.addWidget(self.badges[attribute.name], row, 0)
            self.grid.addWidget(title, row, 1)
            if attribute.kind == "choice":
                combo = QComboBox()
                combo.setObjectName(f"claimField:{attribute.name}")
                combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(8)
                combo.addItem(NONE_TEXT, None)
                for choice in attribute.choices:
                    combo.addItem(qt_string(choice), choice)
                combo.activated.connect(lambda i, c=combo, a=attribute.name: self.value_chosen.emit(a, c.itemData(i)))
                self.fields[attribute.name] = combo
                self.grid.addWidget(combo, row, 2)
            else:
                field = TextField()
                field.setObjectName(f"claimField:{attribute.name}")
                field.setPlaceholderText(f"{key.upper()}: type, Enter keeps" if key else "type, Enter keeps")
                field.commit.connect(lambda text, a=attribute.name: self.value_chosen.emit(a, text or None))
                field.finished.connect(self.finished)
                self.fields[attribute.name] = field
                self.grid.addWidget(field, row, 2)
            row += 1
            if attribute.kind == "choice":
                # No-break spaces inside "2 denies": a wrapped line never parts a digit from its choice.
                numbers = " · ".join(f"{i}\u00a0{choice}".replace(" ", "\u00a0")
                                     for i, choice in enumerate(attribute.choices[:9], 1))
                hint = _plain(f"{numbers} · 0\u00a0none · Esc\u00a0cancel", f"claimHint:{attribute.name}", wrap=True)
                hint.hide()
                self.hints[attribute.name] = hint
                self.grid.addWidget(hint, row, 1, 1, 2)
                row += 1
        self._restyle()

    # ------------------------------------------------------------------ showing
    def show_claim(self, claim: Claim | None, missing: Sequence[str] = (), canonical: str | None = None,
                   position: tuple[int, int] | None = None) -> None:
        self.claim = claim
        self.empty.setVisible(claim is None)
        self.page.setVisible(claim is not None)
        if claim is None:
            self.set_pending(None)
            self.set_picking(None)
            for chooser in (self.claimant, self.cue):
                chooser.close_list()
            return
        label = self._labels.get(claim.label)
        self.chip.setText(f" {shown_name(claim.label)} ")
        self.chip.setStyleSheet(self._chip_style(label.color if label else "#999999"))
        self.title.setText(f"claim {position[0]} of {position[1]}" if position else "claim")
        text = shown_name(" ".join(claim.content.text.split()))
        self.content.setText(qt_string(f"“{text if len(text) <= 240 else text[:239] + '…'}”"))
        self.content.setToolTip("")
        self.missing.setVisible(bool(missing))
        self.missing.setText(f"{WARNING} Missing required: {', '.join(missing)}" if missing else "")
        self.claimant.set_value(*self._claimant_text(claim, canonical))
        self.cue.set_value(flat(claim.cue.text, 60), claim.cue.label) if claim.cue else self.cue.set_value("")
        for attribute in self._attributes:
            field = self.fields.get(attribute.name)
            value = claim.values.get(attribute.name)
            if isinstance(field, QComboBox):
                index = field.findData(value) if value is not None else 0
                if index < 0:  # a value the scheme no longer offers (imported): shown, not lost
                    field.addItem(qt_string(value or ""), value)
                    index = field.count() - 1
                field.setCurrentIndex(index)
            elif isinstance(field, TextField):
                field.set_stored(value or "")

    @staticmethod
    def _claimant_text(claim: Claim, canonical: str | None) -> tuple[str, str]:
        """The claimant as shown (with its canonical name after a merge) and its label."""
        if claim.claimant is not None:
            shown, tag = flat(claim.claimant.text, 60), claim.claimant.label
        elif claim.claimant_text:
            shown, tag = f"“{flat(claim.claimant_text, 60)}”", "free text"
        else:
            return "", ""
        name = claim.claimant_name
        if canonical and canonical != name:
            shown += f"  = {flat(canonical, 40)}"
        return shown, tag

    def set_pending(self, attribute: str | None) -> None:
        """Show which attribute waits for a digit (and its numbered choices)."""
        for name, hint in self.hints.items():
            hint.setVisible(name == attribute)
        self._mark_badges(attribute)

    def show_proposal(self, text: str | None) -> None:
        """The proposed parts of the claim ("claimant “X” · cue “said”"), which A takes; None: none."""
        self.proposal.setVisible(bool(text))
        self.proposal.setText(f"Proposed: {text}\nA takes them (one undo step) · K / U pick others" if text else "")

    def set_picking(self, role: str | None) -> None:
        if role is None:
            self.banner.hide()
        else:
            self.banner.setText(f"Picking the {role}: select it in the article and press Enter, or click a span. "
                                f"Delete: no {role} · Esc: cancel")
            self.banner.show()
        self._mark_badges(role)

    def open_chooser(self, role: str, candidates: Sequence[Candidate]) -> None:
        (self.claimant if role == "claimant" else self.cue).open_list(candidates)
        self._mark_badges(role)

    def edit_text(self, attribute: str) -> bool:
        field = self.fields.get(attribute)
        if not isinstance(field, TextField):
            return False
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()
        self._mark_badges(attribute)
        return True

    def flush(self) -> None:
        """Keep what is typed in a text field now (before the claim or document changes)."""
        for field in self.fields.values():
            if isinstance(field, TextField):
                field.keep()

    def choose(self, attribute: str, value: str | None) -> None:
        """As if the user picked ``value`` in the attribute's field (the digit keys)."""
        self.value_chosen.emit(attribute, value)

    # ------------------------------------------------------------------ looks
    def _mark_badges(self, active: str | None) -> None:
        for name, badge in self.badges.items():
            badge.setProperty("active", name == active)
            badge.setStyleSheet(self._badge_style(name == active, bool(badge.text())))

    def _badge_style(self, active: bool, has_key: bool) -> str:
        if active:
            return ("QLabel { background: palette(highlight); color: palette(highlighted-text); border-radius: 3px;"
                    " font-weight: 600; padding: 1px 4px; }")
        if not has_key:
            return ""
        # A key cap: an edge that shows on both themes (palette(mid) nearly vanishes on dark).
        edge = "#7b7f86" if is_dark(self.palette()) else "#a8a8a8"
        return f"QLabel {{ border: 1px solid {edge}; border-radius: 3px; font-weight: 600; padding: 0px 4px; }}"

    def _chip_style(self, color: str) -> str:
        fill = QColor(color)
        text = readable_text(fill, QColor("#000000")).name()
        return f"QLabel {{ background: {fill.name()}; color: {text}; border-radius: 3px; font-weight: 600; }}"

    def _restyle(self) -> None:
        dark = is_dark(self.palette())
        warning = "#ffb74d" if dark else "#a15c00"
        self.missing.setStyleSheet(f"QLabel {{ color: {warning}; font-weight: 600; }}")
        highlight = "rgba(59, 111, 214, 0.30)" if dark else "rgba(40, 98, 201, 0.12)"
        for hint in self.hints.values():
            hint.setStyleSheet(f"QLabel {{ background: {highlight}; border-radius: 3px; padding: 3px 6px; }}")
        edge = "#8fb3f0" if dark else "#2862c9"
        self.proposal.setStyleSheet(f"QLabel {{ border: 1px dashed {edge}; border-radius: 3px; padding: 4px 6px; }}")
        self.banner.setStyleSheet(f"QLabel {{ background: {highlight}; border-radius: 3px; padding: 4px 6px;"
                                  " font-weight: 600; }")
        self.footer.setStyleSheet("QLabel { color: palette(placeholder-text); }")
        self.title.setStyleSheet("QLabel { color: palette(placeholder-text); }")
        self._mark_badges(None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and hasattr(self, "footer"):
            self._restyle()
