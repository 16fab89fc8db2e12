"""Help > Keyboard Shortcuts: every shortcut of ``shortcuts.py``, grouped, with a filter box.

    ShortcutsDialog(project.labels(), parent=window).show()   # or .exec(); labels optional

Rows come from the declarative table (``SHORTCUTS``, ``LABEL_KEYS``, ``MOUSE``), so the dialog
never disagrees with the menus. With the project's labels it also lists which key applies
which label. The filter matches the keys (as shown or as typed, e.g. "ctrl+z"), the
description and the menu entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.model import Label
from ..common.shortcuts import (
    CLAIM_KEYS, LABEL_KEYS, MENUS, MOUSE, REVIEW_KEYS, SHORTCUTS, SUBMENUS, SUGGESTION_KEYS, Shortcut,
)

GROUP_TITLES = {
    "File": "File menu", "Edit": "Edit menu", "Go": "Go menu", "View": "View menu", "Model": "Model menu",
    "Analysis": "Analysis menu", "Help": "Help menu",
    "Text": "In the article (token cursor)",
}
KEYS, WHAT, MENU = range(3)


def key_text(key: str) -> str:
    """A portable key string as this platform writes it (Ctrl+Z, or ⌘Z on macOS)."""
    sequence = QKeySequence(key, QKeySequence.SequenceFormat.PortableText)
    return sequence.toString(QKeySequence.SequenceFormat.NativeText) or key


def menu_text(entry: Shortcut) -> str:
    if not entry.title:
        return ""
    submenu = SUBMENUS.get(entry.id)
    where = f"{entry.menu} › {submenu.replace('&', '')}" if submenu else entry.menu
    return f"{where} › {entry.title.replace('&', '').rstrip('…').rstrip('.')}"


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text: QTreeView sizes rows without the column's width."""

    def __init__(self, tree: QTreeWidget):
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if index.column() != WHAT or not index.parent().isValid():
            return hint
        width = max(40, self.tree.columnWidth(WHAT) - 8)
        text = index.data() or ""
        height = option.fontMetrics.boundingRect(QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap),
                                                 text).height()
        return QSize(hint.width(), max(hint.height(), height + 6))


def _rows() -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """(group title, [(keys shown, description, menu entry, searchable text)])."""
    groups: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    for menu in MENUS:
        rows = []
        for entry in (s for s in SHORTCUTS if s.menu == menu):
            shown = ", ".join(key_text(k) for k in entry.keys) or "(no key)"
            rows.append((shown, entry.description, menu_text(entry), " ".join(entry.keys)))
        if rows:
            groups.append((GROUP_TITLES.get(menu, menu), rows))
    return groups


class ShortcutsDialog(QDialog):
    """Lists every shortcut; type in the filter box to narrow the list."""

    def __init__(self, labels: Sequence[Label] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setObjectName("shortcutsDialog")
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("shortcutFilter")
        self.filter_edit.setPlaceholderText("Filter: a key (ctrl+z) or a word (zoom, span, label)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.filter_edit.installEventFilter(self)
        filter_label = QLabel("&Filter:")
        filter_label.setBuddy(self.filter_edit)

        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcutTree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Keys", "What it does", "Menu"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setItemsExpandable(False)
        self.tree.setItemDelegate(_WrappingDelegate(self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(KEYS, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MENU, QHeaderView.ResizeMode.Interactive)
        # Wrapped rows take their height from the column width: lay them out again when it changes.
        header.sectionResized.connect(lambda column, _old, _new: column == WHAT and self.tree.doItemsLayout())
        self._fill(labels)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(KEYS)
        self.tree.setColumnWidth(KEYS, min(self.tree.columnWidth(KEYS) + 16, 220))
        self.tree.resizeColumnToContents(MENU)
        self.tree.setColumnWidth(MENU, min(self.tree.columnWidth(MENU) + 16, 240))

        self.empty_label = QLabel("No shortcut matches the filter.")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setEnabled(False)
        self.empty_label.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter_edit, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        self.filter_edit.setFocus()
        self.setMinimumSize(560, 360)

    def sizeHint(self) -> QSize:
        return QSize(860, 620)

    def _fill(self, labels: Sequence[Label]) -> None:
        groups = _rows()
        # The table lists every label key; one compact line says which keys there are.
        digits = f"1–9, 0, {key_text('Shift+1')}–{key_text('Shift+0')}, letters"
        label_rows = [(digits, LABEL_KEYS.description, "", " ".join(LABEL_KEYS.keys))]
        for label in labels:
            if label.key:
                label_rows.append((key_text(label.key), f"Label {label.name} ({label.kind})", "",
                                   f"{label.key} {label.name}"))
        groups.append(("Labels", label_rows))
        for title, entries in (("Editing a claim", CLAIM_KEYS), ("Reviewing suggestions", SUGGESTION_KEYS),
                               ("Review mode", REVIEW_KEYS)):
            groups.append((title, [(", ".join(key_text(k) for k in entry.keys), entry.description, "",
                                    " ".join(entry.keys)) for entry in entries]))
        groups.append(("Mouse", [(what, does, "", what) for what, does in MOUSE]))
        bold = self.tree.font()
        bold.setBold(True)
        for title, rows in groups:
            group = QTreeWidgetItem([title])
            group.setFirstColumnSpanned(True)
            group.setFont(KEYS, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            for shown, what, menu, typed in rows:
                item = QTreeWidgetItem([shown, what, menu])
                item.setData(KEYS, Qt.ItemDataRole.UserRole, " ".join([shown, what, menu, typed, title]).lower())
                group.addChild(item)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down from the filter box goes to the first row shown, as in a search field.
        if (watched is self.filter_edit and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down):
            first = next((group.child(j) for group in self.group_items() if not group.isHidden()
                          for j in range(group.childCount()) if not group.child(j).isHidden()), None)
            if first is not None:
                self.tree.setFocus()
                self.tree.setCurrentItem(first)
                return True
        return super().eventFilter(watched, event)

    def group_items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def visible_rows(self) -> list[tuple[str, str]]:
        """(keys, description) of every row the filter lets through, in order."""
        return [(group.child(j).text(KEYS), group.child(j).text(WHAT))
                for group in self.group_items() if not group.isHidden()
                for j in range(group.childCount()) if not group.child(j).isHidden()]

    def apply_filter(self, text: str) -> None:
        words = text.lower().split()
        any_shown = False
        for group in self.group_items():
            shown = 0
            for j in range(group.childCount()):
                item = group.child(j)
                haystack = item.data(KEYS, Qt.ItemDataRole.UserRole)
                visible = all(word in haystack for word in words)
                item.setHidden(not visible)
                shown += visible
            group.setHidden(shown == 0)
            any_shown = any_shown or shown > 0
        self.tree.setVisible(any_shown)
        self.empty_label.setVisible(not any_shown)
