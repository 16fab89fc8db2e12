"""Edit > Claimants…: every claimant name in the project, with its canonical name and counts,
and merging names that mean the same source ("Antonov", "Anatoly Antonov") into one.

Select names, choose (or type) the canonical name, Merge; select a name and Unmerge to take
it out again (a canonical name lets go of all its aliases). Both are undoable commands on
the window's stack (Ctrl+Z works here too); aliases are stored in the project
(``claimant_aliases``) and used by ``claim_view`` and every export. The dialog is modeless:
it follows edits made in the window while it is open.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..common.bidi import shown_name
from ...core.model import ClaimantCount
from ...store import ProjectError
from ..common.offsets import qt_string
from ..common.plain_text import tooltip
from ..session.claim_commands import AliasCommand
from ..session.document_session import DocumentSession
from ..session.outcome import describe_error

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "Canonical name", "Claims", "Documents")
NAME, CANONICAL, CLAIMS, DOCUMENTS = range(4)
NameRole = Qt.ItemDataRole.UserRole + 1


def ordered(counts: Sequence[ClaimantCount]) -> list[ClaimantCount]:
    """Grouped by canonical name (biggest group first), the canonical name first in its group."""
    totals: dict[str, int] = {}
    for count in counts:
        totals[count.canonical] = totals.get(count.canonical, 0) + count.claims
    return sorted(counts, key=lambda c: (-totals[c.canonical], c.canonical.casefold(), c.canonical,
                                         c.name != c.canonical, -c.claims, c.name))


class ClaimantTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[ClaimantCount] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (qt_string(shown_name(row.name)), qt_string(shown_name(row.canonical)), row.claims,
                    row.documents)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (CLAIMS, DOCUMENTS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == CANONICAL and row.name == row.canonical:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            merged = "its own canonical name" if row.name == row.canonical else f"merged into {row.canonical}"
            return tooltip(f"{row.name}: {merged}; {row.claims} claims in {row.documents} documents")
        if role == NameRole:
            return row.name
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def set_rows(self, rows: Sequence[ClaimantCount]) -> None:
        self.beginResetModel()
        self._rows = ordered(rows)
        self.endResetModel()

    def row(self, number: int) -> ClaimantCount | None:
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def rows(self) -> list[ClaimantCount]:
        return list(self._rows)


class ClaimantsDialog(QDialog):
    def __init__(self, session: DocumentSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.setWindowTitle("Claimants")
        self.setObjectName("claimantsDialog")
        self.model = ClaimantTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("claimantFilter")
        self.filter_edit.setPlaceholderText("a name or part of one")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        filter_label = QLabel("&Filter:")
        filter_label.setBuddy(self.filter_edit)

        self.table = QTableView()
        self.table.setObjectName("claimantTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CANONICAL, QHeaderView.ResizeMode.Stretch)
        for column in (CLAIMS, DOCUMENTS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._selection_changed())

        self.into = QComboBox()
        self.into.setObjectName("canonicalName")
        self.into.setEditable(True)
        self.into.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.into.setMinimumContentsLength(18)
        self.into.lineEdit().setPlaceholderText("the name to keep (select names above)")
        self.into.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        into_label = QLabel("&Into:")
        into_label.setBuddy(self.into)
        self.merge_button = QPushButton("&Merge")
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setToolTip("Make the selected names one claimant, under the name in 'Into'")
        self.merge_button.clicked.connect(self.merge_selected)
        self.unmerge_button = QPushButton("&Unmerge")
        self.unmerge_button.setObjectName("unmergeButton")
        self.unmerge_button.setToolTip("Make the selected names their own claimants again")
        self.unmerge_button.clicked.connect(self.unmerge_selected)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setObjectName("claimantSummary")
        self.summary.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter_edit, 1)
        actions = QHBoxLayout()
        actions.addWidget(into_label)
        actions.addWidget(self.into, 1)
        actions.addWidget(self.merge_button)
        actions.addWidget(self.unmerge_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        # The window's Undo and Redo do not reach a dialog of their own: the same stack here.
        for sequence, handler in ((QKeySequence.StandardKey.Undo, session.undo),
                                  (QKeySequence.StandardKey.Redo, session.redo)):
            QShortcut(sequence, self, activated=handler)
        session.aliases_changed.connect(self.reload)
        session.edited.connect(self._edited)  # claims made, deleted or relinked change the counts
        self.resize(620, 460)
        self.reload()

    # ------------------------------------------------------------------ data
    def _edited(self, outcome: object) -> None:
        if getattr(outcome, "claims", False) and self.isVisible():
            self.reload()

    def reload(self) -> None:
        selected = set(self.selected_names())
        try:
            counts = self.project.claimant_counts()
        except (ProjectError, sqlite3.Error) as exc:
            self.summary.setText(describe_error(exc))
            return
        self.model.set_rows(counts)
        canonical = {c.canonical for c in counts}
        self.summary.setText(
            f"{len(counts)} name{'s' if len(counts) != 1 else ''}, {len(canonical)} claimant"
            f"{'s' if len(canonical) != 1 else ''} after merging. Select names and Merge them into one; "
            "Ctrl+Z undoes." if counts else "No claim has a claimant yet.")
        if selected:
            self.select_names(selected)
        self._selection_changed()

    def selected_names(self) -> list[str]:
        rows = {self.proxy.mapToSource(index).row() for index in self.table.selectionModel().selectedRows()}
        return [row.name for number in sorted(rows) if (row := self.model.row(number)) is not None]

    def select_names(self, names: set[str] | Sequence[str]) -> None:
        wanted = set(names)
        selection = self.table.selectionModel()
        selection.clearSelection()
        for number, row in enumerate(self.model.rows()):
            if row.name in wanted:
                index = self.proxy.mapFromSource(self.model.index(number, NAME))
                if index.isValid():
                    selection.select(index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def _selection_changed(self) -> None:
        names = self.selected_names()
        rows = {r.name: r for r in self.model.rows()}
        # Offer the selected names and their canonical names; the longest first (a full name
        # is usually the one to keep).
        offered = sorted({n for name in names for n in (name, rows[name].canonical)},
                         key=lambda n: (-len(n), n))
        current = self.into.currentText()
        self.into.blockSignals(True)
        self.into.clear()
        self.into.addItems([qt_string(n) for n in offered])
        if current in offered and len(names) > 1:
            self.into.setCurrentText(current)
        self.into.blockSignals(False)
        self.merge_button.setEnabled(bool(names) and not self.project.read_only)
        aliased = {r.canonical for r in rows.values() if r.name != r.canonical}
        self.unmerge_button.setEnabled(not self.project.read_only and any(
            rows[n].canonical != n or n in aliased for n in names))

    # ------------------------------------------------------------------ edits
    def merge_selected(self) -> bool:
        names = self.selected_names()
        into = self.into.currentText().strip()
        if not names or not into:
            return False
        if set(names) <= {into} and self.project.canonical_claimant(into) == into:
            return False  # nothing would change
        done = self.session.run(lambda: AliasCommand(self.project, merge=names, into=into)) is not None
        if done:
            self.select_names([*names, into])
        return done

    def unmerge_selected(self) -> bool:
        names = self.selected_names()
        if not names:
            return False
        return self.session.run(lambda: AliasCommand(self.project, unmerge=names)) is not None
