"""Adding a label (Edit > Labels… > Add…) and the label editor's helpers: colour swatches and
buttons, key spelling and ownership, usage counts."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..common.plain_text import plain_label as _plain
from ...core.model import LABEL_KINDS, Label
from ...core.scheme import check_key, check_label_name, next_color
from ...store import Project
from ..session.document_session import DocumentSession
from ..session.scheme_commands import AddLabelCommand

KIND_TEXT = {
    "entity": "entity: a named entity span (the NER layer)",
    "claim": "claim: the content of an attributed claim",
    "role": "role: a claim's cue or source phrase",
    "doc": "document: a label for the whole document",
}


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as it is: Qt would render anything that looks like HTML."""
    return QtGui.Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal) if text else ""


def color_icon(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(150))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(0, 0, size - 1, size - 1, 3, 3)
    painter.end()
    return QIcon(pixmap)


def normalise_key(text: str) -> str | None:
    """What a user typed as a label key, in the store's spelling; None for no key."""
    key = "".join(text.split()).lower()
    return key or None


def usage_text(count: int, kind: str) -> str:
    if count == 0:
        return "unused"
    noun = "document" if kind == "doc" else "span"
    return f"{count:,} {noun}{'s' if count != 1 else ''}"


def key_owner(project: Project, key: str | None, except_name: str | None = None) -> str | None:
    """The label already using ``key``, if any (other than ``except_name``)."""
    if key is None:
        return None
    return next((lab.name for lab in project.labels() if lab.key == key and lab.name != except_name), None)


def error_label() -> QLabel:
    label = _plain()
    label.setWordWrap(True)
    label.setObjectName("errorLabel")
    label.setStyleSheet("QLabel#errorLabel { color: #ffffff; background: #b3261e;"
                        " border-radius: 3px; padding: 4px 6px; }")
    label.hide()
    return label


class ColorButton(QPushButton):
    """Shows a colour; a click opens the colour picker."""

    color_changed = Signal(str)

    def __init__(self, color: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAutoDefault(False)
        self.clicked.connect(self.choose)
        self.set_color(color)

    @property
    def color(self) -> str:
        return self._color

    def set_color(self, color: str) -> None:
        self._color = QColor(color).name()
        self.setIcon(color_icon(self._color, 16))
        self.setText(self._color)

    def choose(self) -> None:
        chosen = QColorDialog.getColor(QColor(self._color), self, "Label Colour")
        if chosen.isValid():
            self.set_color(chosen.name())
            self.color_changed.emit(self._color)


class AddLabelDialog(QDialog):
    """Name, kind, colour, key and description of a new label; OK adds it (one Undo step)."""

    def __init__(self, session: DocumentSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.label: Label | None = None
        self.setWindowTitle("Add Label")
        existing = self.project.labels()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("labelName")
        self.name_edit.setPlaceholderText("e.g. QUOTE")
        self.kind_combo = QComboBox()
        for kind in LABEL_KINDS:
            self.kind_combo.addItem(KIND_TEXT[kind], kind)
        self.color_button = ColorButton(next_color({lab.color for lab in existing}))
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("labelKey")
        self.key_edit.setPlaceholderText(self._free_key_hint(existing))
        self.key_edit.setMaxLength(7)
        self.description_edit = QLineEdit()
        self.description_edit.setPlaceholderText("What to tag, for the annotation guidelines (optional)")
        self.error = error_label()

        form = QFormLayout()
        form.addRow(_plain("&Name:", self.name_edit), self.name_edit)
        form.addRow(_plain("&Kind:", self.kind_combo), self.kind_combo)
        form.addRow(_plain("Co&lour:", self.color_button), self.color_button)
        form.addRow(_plain("K&ey:", self.key_edit), self.key_edit)
        form.addRow(_plain("&Description:", self.description_edit), self.description_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Add Label")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.name_edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        self.ok_button.setEnabled(False)
        self.setMinimumWidth(460)

    @staticmethod
    def _free_key_hint(existing: list[Label]) -> str:
        used = {lab.key for lab in existing if lab.key}
        free = [k for k in "1234567890" if k not in used] + [f"shift+{k}" for k in "1234567890"
                                                            if f"shift+{k}" not in used]
        return f"none; free: {', '.join(free[:4])}, … or a letter" if free else "none, or a letter"

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def accept(self) -> None:
        name = self.name_edit.text().strip()
        key = normalise_key(self.key_edit.text())
        if (reason := check_label_name(name)) is not None:
            self.show_error(reason)
            return
        if (reason := check_key(key)) is not None:
            self.show_error(reason)
            return
        if (owner := key_owner(self.project, key)) is not None:
            self.show_error(f"Key {key} is already used by {owner}. Choose another key, or clear it there first.")
            return
        label = Label(name=name, kind=self.kind_combo.currentData(), color=self.color_button.color, key=key,
                      description=self.description_edit.text().strip())
        command = self.session.run(lambda: AddLabelCommand(self.project, label))
        if not isinstance(command, AddLabelCommand) or command.added is None:
            self.show_error(self.session.last_error or "The label could not be added.")
            return
        self.label = command.added
        super().accept()
