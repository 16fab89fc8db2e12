"""Edit > Labels…: add, rename, recolour, re-key, describe and delete the project's labels.

    dialog = LabelEditorDialog(session, parent=window)
    dialog.exec()

Every change is one command on the document session's undo stack (ui/session/scheme_commands),
written at once; the dialog has nothing to save or cancel, and Ctrl+Z / Ctrl+Shift+Z undo and
redo here as in the window (a deleted label comes back with its spans). The dialog follows the
session's ``scheme_changed``, so the table shows the scheme after every edit and undo.
Names and descriptions are the user's text: shown in item views and plain-text labels,
escaped in tooltips, never read as HTML.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..common.plain_text import plain_label as _plain
from ...core.model import Label
from ...core.scheme import check_key, check_label_name
from ..session.document_session import DocumentSession
from ..session.scheme_commands import EditLabelCommand, RemoveLabelCommand
from .add_label import KIND_TEXT, AddLabelDialog, color_icon, error_label, key_owner, normalise_key, plain_tooltip, usage_text

COLUMNS = ("Name", "Kind", "Colour", "Key", "Description", "Used by")
NAME, KIND, COLOR, KEY, DESCRIPTION, USAGE = range(len(COLUMNS))


class LabelEditorDialog(QDialog):
    """The project's labels in a table; every edit goes to the project file at once."""

    def __init__(self, session: DocumentSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self._labels: list[Label] = []
        self._select_next: str | None = None
        self.setWindowTitle(f"Labels of {self.project.path.stem}")
        self.setObjectName("labelEditor")
        self._build()
        session.scheme_changed.connect(self._scheme_changed)
        # The window's Undo and Redo do not reach a dialog of their own: the same stack here.
        for sequence, handler in ((QKeySequence.StandardKey.Undo, session.undo),
                                  (QKeySequence.StandardKey.Redo, session.redo)):
            QShortcut(sequence, self, activated=handler)
        self.reload()
        if self.table.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    # ---------------------------------------------------------------- building
    def _build(self) -> None:
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("labelTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeaderItem(USAGE).setToolTip("How many spans (documents, for document labels) "
                                                          "carry the label")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        header = self.table.horizontalHeader()
        for column in (NAME, KIND, COLOR, KEY, USAGE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(self._cell_double_clicked)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        # Queued: a dialog opened inside a shortcut's dispatch would not get its own mnemonics.
        delete_key.activated.connect(lambda: QTimer.singleShot(0, self, self.delete_selected))

        self.add_button = QPushButton("&Add…")
        self.rename_button = QPushButton("Re&name")
        self.color_button = QPushButton("&Colour…")
        self.key_button = QPushButton("Set &Key")
        self.description_button = QPushButton("&Describe")
        self.delete_button = QPushButton("De&lete…")
        self.add_button.setToolTip("Add a new label")
        self.rename_button.setToolTip("Rename the label; its spans keep it (F2 or double-click the name)")
        self.color_button.setToolTip("Choose the label's colour")
        self.key_button.setToolTip("The key that applies the label: a digit, a letter, or shift+digit. "
                                   "Leave it empty for none")
        self.description_button.setToolTip("The annotation guideline for the label, shown as its tooltip")
        self.delete_button.setToolTip("Delete the label and every span that uses it (Delete)")
        self.add_button.clicked.connect(self.add_label)
        self.rename_button.clicked.connect(lambda: self._edit_cell(NAME))
        self.color_button.clicked.connect(self.recolor_selected)
        self.key_button.clicked.connect(lambda: self._edit_cell(KEY))
        self.description_button.clicked.connect(lambda: self._edit_cell(DESCRIPTION))
        self.delete_button.clicked.connect(self.delete_selected)

        side = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.color_button, self.key_button,
                       self.description_button, self.delete_button):
            button.setAutoDefault(False)
            side.addWidget(button)
        side.insertSpacing(5, 12)
        side.addStretch(1)

        self.error = error_label()
        hint = _plain("Changes are saved as you make them. Double-click or press F2 to edit a cell.")
        hint.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        top = QHBoxLayout()
        top.addWidget(self.table, 1)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.setMinimumSize(720, 380)

    def sizeHint(self) -> QSize:
        return QSize(860, 480)

    # ----------------------------------------------------------------- content
    def reload(self) -> None:
        """Read the labels from the project again (keeps the selected label selected)."""
        selected = self.selected_label()
        self._labels = self.project.labels()
        blocker = QSignalBlocker(self.table)
        self.table.setRowCount(len(self._labels))
        for row, label in enumerate(self._labels):
            self._fill_row(row, label)
        del blocker
        if selected is not None:  # by id: a rename keeps the row selected
            self.select(next((lab.name for lab in self._labels if lab.id == selected.id), selected.name))

    def _fill_row(self, row: int, label: Label) -> None:
        tooltip = plain_tooltip(label.description)
        editable = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable
        fixed = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        usage = self.project.label_usage(label.name)
        cells = {
            NAME: (label.name, editable),
            KIND: (label.kind, fixed),
            COLOR: (label.color, fixed),
            KEY: (label.key or "", editable),
            DESCRIPTION: (label.description, editable),
            USAGE: (usage_text(usage, label.kind), fixed),
        }
        for column, (text, flags) in cells.items():
            item = QTableWidgetItem(text)
            item.setFlags(flags)
            item.setToolTip(tooltip)
            self.table.setItem(row, column, item)
        self.table.item(row, NAME).setData(Qt.ItemDataRole.UserRole, label.id)
        self.table.item(row, COLOR).setIcon(color_icon(label.color))
        self.table.item(row, COLOR).setToolTip("Double-click to choose another colour")
        self.table.item(row, KIND).setToolTip(KIND_TEXT[label.kind] + "\nThe kind of a label is fixed.")
        self.table.item(row, USAGE).setData(Qt.ItemDataRole.TextAlignmentRole,
                                            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))

    def selected_label(self) -> Label | None:
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        if not rows:
            return None
        row = min(rows)
        return self._labels[row] if row < len(self._labels) else None

    def select(self, name: str) -> None:
        for row, label in enumerate(self._labels):
            if label.name == name:
                self.table.selectRow(row)
                self.table.setCurrentCell(row, NAME)
                return

    def _update_buttons(self) -> None:
        has = self.selected_label() is not None
        for button in (self.rename_button, self.color_button, self.key_button, self.description_button,
                       self.delete_button):
            button.setEnabled(has and not self.project.read_only)
        self.add_button.setEnabled(not self.project.read_only)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if self.project.read_only else
                                   QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _scheme_changed(self, _labels: object, _attributes: object) -> None:
        """After any scheme edit, undo or redo (here or in the window): the table follows."""
        self.reload()
        if self._select_next is not None:
            self.select(self._select_next)
        self._update_buttons()

    # ----------------------------------------------------------------- editing
    def _edit_cell(self, column: int) -> None:
        label = self.selected_label()
        if label is None:
            return
        row = self._labels.index(label)
        item = self.table.item(row, column)
        self.table.setCurrentItem(item)
        self.table.setFocus()
        self.table.editItem(item)

    def _cell_double_clicked(self, _row: int, column: int) -> None:
        if column == COLOR:
            self.recolor_selected()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        row, column = item.row(), item.column()
        if row >= len(self._labels):
            return
        name, text = self._labels[row].name, item.text()
        # Written after the editor has let go of the item: the reload that follows replaces it.
        QTimer.singleShot(0, self, lambda: self._commit_cell(name, column, text))

    def _commit_cell(self, name: str, column: int, text: str) -> None:
        if column == NAME:
            self.rename(name, text)
        elif column == KEY:
            self.set_key(name, normalise_key(text))
        elif column == DESCRIPTION:
            self.describe(name, text.strip())

    def _apply(self, build, select: str | None) -> bool:  # noqa: ANN001 - builds a scheme command
        self._select_next = select
        try:
            done = self.session.run(build) is not None
        finally:
            self._select_next = None
        if not done:
            self.show_error(self.session.last_error or "Nothing was changed.")
            self.reload()  # put the cell back as the project has it
            return False
        self.show_error("")
        return True

    def rename(self, name: str, new: str) -> bool:
        new = new.strip()
        if new == name:
            self.reload()
            return True
        if (reason := check_label_name(new)) is not None:
            self.show_error(reason)
            self.reload()
            return False
        return self._apply(lambda: EditLabelCommand(self.project, name, new_name=new), new)

    def set_key(self, name: str, key: str | None) -> bool:
        current = next((lab.key for lab in self._labels if lab.name == name), None)
        if key == current:
            self.reload()
            return True
        if (reason := check_key(key)) is not None:
            self.show_error(reason)
            self.reload()
            return False
        if (owner := key_owner(self.project, key, except_name=name)) is not None:
            self.show_error(f"Key {key} is already used by {owner}. Clear or change {owner}'s key first.")
            self.reload()
            return False
        if key is None:
            return self._apply(lambda: EditLabelCommand(self.project, name, clear_key=True), name)
        return self._apply(lambda: EditLabelCommand(self.project, name, key=key), name)

    def describe(self, name: str, description: str) -> bool:
        return self._apply(lambda: EditLabelCommand(self.project, name, description=description), name)

    def recolor(self, name: str, color: str) -> bool:
        return self._apply(lambda: EditLabelCommand(self.project, name, color=color), name)

    def recolor_selected(self) -> None:
        label = self.selected_label()
        if label is None or self.project.read_only:
            return
        chosen = QColorDialog.getColor(QColor(label.color), self, f"Colour of {label.name}")
        if chosen.isValid() and chosen.name() != label.color:
            self.recolor(label.name, chosen.name())

    def add_label(self) -> Label | None:
        dialog = AddLabelDialog(self.session, self)
        added = dialog.label if dialog.exec() == QDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        if added is None:
            return None
        self.show_error("")
        self.select(added.name)
        self._update_buttons()
        return added

    def delete_selected(self) -> bool:
        label = self.selected_label()
        if label is None or self.project.read_only:
            return False
        used = self.project.label_usage(label.name)
        if used:
            noun = "document" if label.kind == "doc" else "span"
            text = (f"{label.name} is used by {used:,} {noun}{'s' if used != 1 else ''}; "
                    f"delete it and {'them' if used != 1 else 'it'}?\n\n"
                    f"The {noun}{'s are' if used != 1 else ' is'} deleted with the label; Undo (Ctrl+Z) brings "
                    f"{'them' if used != 1 else 'it'} back.")
        else:
            text = f"Delete the label {label.name}?\n\nNo span uses it."
        box = QMessageBox(QMessageBox.Icon.Warning if used else QMessageBox.Icon.Question, "Delete Label", text,
                          parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        delete = box.addButton("&Delete" if not used else f"&Delete Label and {noun.capitalize()}s",
                               QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is not delete:
            return False
        row = self._labels.index(label)
        if self._apply(lambda: RemoveLabelCommand(self.project, label.name, used=used), None):
            if self._labels:
                self.table.selectRow(min(row, len(self._labels) - 1))
            self._update_buttons()
            return True
        return False
