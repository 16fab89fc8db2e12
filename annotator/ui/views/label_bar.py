"""The label bar: one button per span label, with its colour and key; the keys are its actions.

A label key (1-9, 0, Shift+1..Shift+0, letters) is the shortcut of that label's action, so it
works wherever the focus is in the window except in text fields (which take typed keys
first). The bar shows which label is armed in sticky mode (a checked button).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QToolBar, QToolButton, QWidget

from ..common.bidi import shown_name
from ...core.model import Label
from ..common.offsets import qt_string
from ..common.plain_text import tooltip
from ..common.themes import readable_text
from ..session.document_session import DocumentSession

BAR_KINDS = ("entity", "claim")  # role labels (cue, source) belong to the claim editor


def key_sequence(key: str | None) -> QKeySequence:
    """A label key as stored ("1", "c", "shift+1") as a Qt key sequence."""
    if not key:
        return QKeySequence()
    if key.startswith("shift+"):
        return QKeySequence(f"Shift+{key[6:].upper()}")
    return QKeySequence(key.upper())


def key_text(key: str | None) -> str:
    if not key:
        return ""
    return f"⇧{key[6:].upper()}" if key.startswith("shift+") else key.upper()


def swatch(color: str, key: str | None, size: int = 18) -> QIcon:
    """The label colour with its key written on it."""
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x: crisp on high-density screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(color)
    painter.setBrush(fill)
    painter.setPen(fill.darker(130))
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 4, 4)
    text = key_text(key)
    if text:
        font = QFont()
        font.setPixelSize(int(size * (0.62 if len(text) == 1 else 0.5)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(readable_text(fill, QColor("#000000")))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


class LabelBar(QToolBar):
    label_triggered = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Labels", parent)
        self.setObjectName("labelBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.setIconSize(QSize(18, 18))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # The armed (sticky) label must be unmistakable at a glance, in every theme.
        self.setStyleSheet("QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);"
                           " border: 1px solid palette(highlight); border-radius: 3px; }")
        self.label_actions: dict[str, QAction] = {}
        self._armed: str | None = None
        self._empty = QLabel("No span labels yet: add some with Edit > Labels…")
        self._empty.setTextFormat(Qt.TextFormat.PlainText)
        self._session_read_only = lambda: False

    def follow(self, session: DocumentSession) -> None:
        """A button per label of the session's scheme; disabled while the project is read-only."""
        session.scheme_changed.connect(self._scheme_changed)
        session.read_only_changed.connect(self._read_only_changed)
        self._session_read_only = lambda: session.read_only
        self._scheme_changed(session.labels, None)

    def _scheme_changed(self, labels: list[Label], _attributes: object) -> None:
        self.set_labels(labels)
        self.set_editable(not self._session_read_only())

    def _read_only_changed(self, read_only: bool) -> None:
        self.set_editable(not read_only)

    def set_labels(self, labels: Sequence[Label]) -> None:
        for action in self.label_actions.values():
            action.deleteLater()
        self.clear()
        self.label_actions.clear()
        shown = [label for label in labels if label.kind in BAR_KINDS or (label.kind == "role" and label.key)]
        if not shown:
            self.addWidget(self._empty)
        for label in shown:
            action = QAction(swatch(label.color, label.key), qt_string(shown_name(label.name)), self)
            action.setObjectName(f"label:{label.name}")
            action.setCheckable(True)
            action.setShortcut(key_sequence(label.key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            described = f"\n{label.description}" if label.description else ""
            key = f" — key {key_text(label.key)}" if label.key else " — no key"
            action.setToolTip(tooltip(f"{label.name} ({label.kind}){key}{described}"))
            # Triggering toggles the check; the window decides what the key means and sets
            # the armed state back through set_armed.
            action.triggered.connect(lambda _checked=False, name=label.name: self._triggered(name))
            self.addAction(action)
            button = self.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setObjectName(f"labelButton:{label.name}")
                button.setAutoRaise(False)
            self.label_actions[label.name] = action
        self.set_armed(self._armed if self._armed in self.label_actions else None)

    def _triggered(self, name: str) -> None:
        self.set_armed(self._armed)  # undo Qt's own toggle until the window says
        self.label_triggered.emit(name)

    @property
    def armed(self) -> str | None:
        return self._armed

    def set_armed(self, name: str | None) -> None:
        self._armed = name
        for label, action in self.label_actions.items():
            action.setChecked(label == name)

    def set_editable(self, editable: bool) -> None:
        for action in self.label_actions.values():
            action.setEnabled(editable)
