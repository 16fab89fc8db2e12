"""The left pane: search box, status filter, "assigned to me" and the lazy document list."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from ...store import Project, ProjectError
from ..session.document_session import DocumentSession
from ..session.layers import ShownDocument
from ..common.bidi import shown_name
from .assignment_chips import AssignmentDelegate
from .document_model import DocumentListModel

STATUS_FILTERS: tuple[tuple[str, str | None], ...] = (
    ("All documents", None), ("To do", "todo"), ("Done", "done"), ("Skipped", "skipped"),
)
# Review mode's entries (after the statuses while it is on): the documents with undecided
# units, in list order or the most units in conflict or missing first.
NEEDS_REVIEW, MOST_DISAGREEMENT = "review:needs", "review:disagreement"
# The count comes right after "Needs review" in both: what a narrow pane clips is the order.
REVIEW_FILTERS = ((NEEDS_REVIEW, "Needs review ({})"), (MOST_DISAGREEMENT, "Needs review ({}), by disagreement"))
REVIEW_TIPS = {NEEDS_REVIEW: "The documents with a unit not decided yet, in list order",
               MOST_DISAGREEMENT: "The documents with a unit not decided yet, those with the most units in conflict "
                                  "or missing first"}
SEARCH_DELAY_MS = 150  # results as you type, without a query per keystroke


def review_matches(count: int, total: int) -> str:
    """A search's count under a review list: of the documents needing review, how many match."""
    if total == 0:
        return "No document needs review"
    if count == 0:
        return f"None of the {total:,} needing review matches" if total > 1 else \
            "The document needing review does not match"
    return f"{count:,} of {total:,} needing review match{'es' if count == 1 else ''}"


class SearchField(QLineEdit):
    """Down moves into the results, Esc clears; typed keys stay here (label keys do not fire)."""

    to_results = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.to_results.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class DocumentPane(QWidget):
    document_chosen = Signal(object)  # doc id or None (the list is empty)
    filter_changed = Signal()

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self._project = project
        self.model = DocumentListModel(project, self)

        self.search = SearchField()
        self.search.setObjectName("searchField")
        self.search.setPlaceholderText("Search titles and texts  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Every word must occur (as a word or word start); results in document order")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_search)

        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setToolTip("Show only the documents with this status")
        for text, status in STATUS_FILTERS:
            self.status_filter.addItem(text, status)
        self.status_filter.currentIndexChanged.connect(self._status_filter_changed)

        # After a split: only the documents assigned to the annotator editing (shown only when
        # the project records an assignment that names them).
        self.mine_filter = QCheckBox()
        self.mine_filter.setObjectName("assignedFilter")
        self.mine_filter.setToolTip("Show only the documents assigned to you (File > Team > Split… records who has "
                                    "which)")
        self.mine_filter.setVisible(False)
        self.mine_filter.toggled.connect(self._mine_filter_changed)
        self._annotator: str | None = None

        self.result_label = QLabel()
        self.result_label.setObjectName("searchResults")
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setWordWrap(True)  # "… so far (N still being indexed)" in a narrow pane
        self.result_label.setVisible(False)

        self.list = QListView()
        self.list.setObjectName("documentList")
        self.list.setModel(self.model)
        # Without uniform sizes the view would ask every row for its size hint, i.e. read
        # every page of a 100,000-document project at start.
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(False)
        self.list.setSpacing(1)
        self.chips = AssignmentDelegate(self.list)
        self.list.setItemDelegate(self.chips)
        self.list.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.search.to_results.connect(self._focus_results)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.status_filter)
        layout.addWidget(self.mine_filter)
        layout.addWidget(self.result_label)
        layout.addWidget(self.list)
        self._quiet = False
        self._shown: int | None = None  # the document on screen (it may not be listed)
        self._review: dict[str, list[int]] | None = None  # review mode's lists (None: not counted yet)
        self._left: tuple[int, int] | None = None  # the document read and the row it had, when decided out

    # ------------------------------------------------------------------ the session
    def follow(self, session: DocumentSession) -> None:
        """Select the document the session shows; keep statuses and counts in step."""
        session.document_shown.connect(self._document_shown)
        session.status_changed.connect(self._status_changed)
        session.documents_changed.connect(self.reload)
        session.annotator_changed.connect(self._annotator_changed)
        session.assignment_changed.connect(self._assignment_changed)
        self._annotator = session.annotator
        self.model.set_annotator(session.annotator)
        self._show_assignment()

    def _annotator_changed(self, annotator: str | None) -> None:
        keep = self.current_document_id()
        self._annotator = annotator
        if self.model.assigned_filter is not None:
            self.model.set_assigned_filter(annotator)
        self.model.set_annotator(annotator)
        self._show_assignment()
        if keep is not None:
            self.select_document(keep, announce=False)

    def _assignment_changed(self) -> None:
        """Who has which document changed (a split, a merge): chips and the "mine" filter catch up."""
        self._show_assignment()
        self.reload()

    def _show_assignment(self) -> None:
        """The chips' colours, and the "mine" filter shown when the assignment names the annotator."""
        project = self.model.project
        try:
            self.chips.set_annotators(project.annotators())
            assigned = project.assignment() if project.has_assignment() else {}
        except (ProjectError, sqlite3.Error):
            assigned = {}
        mine = self._annotator is not None and self._annotator in assigned
        self.mine_filter.setText(f"Only those assigned to {shown_name(self._annotator or '')}"
                                 f" ({len(assigned.get(self._annotator or '', [])):,})")
        self.mine_filter.setVisible(mine)
        if not mine and self.mine_filter.isChecked():
            self.mine_filter.setChecked(False)

    def _document_shown(self, shown: ShownDocument | None) -> None:
        before, self._shown = self._shown, shown.doc_id if shown is not None else None
        if shown is None or self.current_document_id() == shown.doc_id:
            return
        if self.model.id_order is not None and shown.doc_id == before:
            return  # the document reviewed left "needs review" (decided); the list stays as it is
        if not self.select_document(shown.doc_id, announce=False):
            # Hidden by the search or the status filter: the list shows every document again.
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.result_label.setVisible(False)
            self.model.set_search(None)
            self.status_filter.blockSignals(True)
            self.status_filter.setCurrentIndex(0)
            self.status_filter.blockSignals(False)
            self.model.set_status_filter(None)
            self.model.set_id_order(None)
            self.mine_filter.blockSignals(True)
            self.mine_filter.setChecked(False)
            self.mine_filter.blockSignals(False)
            self.model.set_assigned_filter(None)
            self._show_review_counts()  # the review entries' counts are no search's any more
            self.select_document(shown.doc_id, announce=False)
            self.filter_changed.emit()

    def _status_changed(self, doc_id: int, status: str) -> None:
        self.model.status_changed(doc_id, status)
        if self.model.status_filter is not None and self._shown is not None:
            # The reload dropped the selection: keep the document being read selected if listed.
            self.select_document(self._shown, announce=False)

    # ------------------------------------------------------------------ state
    def current_document_id(self) -> int | None:
        index = self.list.currentIndex()
        return self.model.document_id(index.row()) if index.isValid() else None

    def current_row(self) -> int | None:
        index = self.list.currentIndex()
        return index.row() if index.isValid() else None

    def select_row(self, row: int, *, announce: bool = True) -> None:
        count = self.model.rowCount()
        if count == 0:
            self._set_current(QModelIndex(), announce)
            return
        self._set_current(self.model.index(max(0, min(row, count - 1)), 0), announce)

    def select_document(self, doc_id: int, *, announce: bool = True) -> bool:
        """Make a document current if the list (filter, search) shows it; False if not."""
        row = self.model.row_of(doc_id)
        if row is None:
            return False
        self._set_current(self.model.index(row, 0), announce)
        return True

    def _set_current(self, index: QModelIndex, announce: bool) -> None:
        self._quiet = not announce
        try:
            if index.isValid():
                self.list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.list.scrollTo(index)
            else:
                self.list.selectionModel().clearCurrentIndex()
                if announce:
                    self.document_chosen.emit(None)
        finally:
            self._quiet = False

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        self.document_chosen.emit(self.model.document_id(current.row()) if current.isValid() else None)

    # ------------------------------------------------------------- filtering
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_search(self) -> None:
        """The search box's words: under a review list, its documents that match."""
        self._search_timer.stop()
        self._refilter(lambda: self.model.set_search(self.search.text()))

    def _status_filter_changed(self, _index: int) -> None:
        data = self.status_filter.currentData()
        if data in (NEEDS_REVIEW, MOST_DISAGREEMENT):
            self._refilter(lambda: self._apply_review(data))
            return
        self._refilter(lambda: (self.model.set_id_order(None), self.model.set_status_filter(data)))

    def _apply_review(self, which: str) -> None:
        """Review mode's list replaces the status filter (it is one of its entries); the search
        keeps to the list's documents that match."""
        self.model.set_status_filter(None)
        self.model.set_id_order((self._review or {}).get(which, []))

    def _leave_review_filter(self) -> None:
        if self.model.id_order is None:
            return
        self.status_filter.blockSignals(True)
        self.status_filter.setCurrentIndex(0)
        self.status_filter.blockSignals(False)
        self.model.set_id_order(None)

    def _mine_filter_changed(self, checked: bool) -> None:
        self._refilter(lambda: (self._leave_review_filter(),
                                self.model.set_assigned_filter(self._annotator if checked else None)))

    def show_review_filters(self, on: bool) -> None:
        """Review mode on: the filter offers "Needs review" (disabled until counted); off: they go
        and the list is the whole list again when one was chosen."""
        combo = self.status_filter
        if not on:
            if self.model.id_order is not None:
                self._refilter(self._leave_review_filter)
            for index in range(combo.count() - 1, -1, -1):
                if combo.itemData(index) in (NEEDS_REVIEW, MOST_DISAGREEMENT):
                    combo.removeItem(index)
            self._review = None
            return
        if combo.findData(NEEDS_REVIEW) < 0:
            for data, text in REVIEW_FILTERS:
                combo.addItem(text.format("counting…"), data)
                combo.setItemData(combo.count() - 1, REVIEW_TIPS[data], Qt.ItemDataRole.ToolTipRole)
        self.set_review_lists(None, None)

    def set_review_lists(self, needs: list[int] | None, most: list[int] | None) -> None:
        """Review mode counted (or a decision moved) which documents need review: the entries
        say how many, and the list follows when one is chosen (the document read stays selected)."""
        combo = self.status_filter
        self._review = None if needs is None or most is None else {NEEDS_REVIEW: needs, MOST_DISAGREEMENT: most}
        for data, _text in REVIEW_FILTERS:
            index = combo.findData(data)
            if index < 0:
                return
            item = combo.model().item(index)  # a QStandardItemModel: the entry waits for the count
            if item is not None:
                item.setEnabled(needs is not None)
        chosen = combo.currentData()
        if chosen in (NEEDS_REVIEW, MOST_DISAGREEMENT) and self._review is not None:
            row = self.model.row_of(self._shown) if self._shown is not None else None
            self.model.set_id_order(self._review[chosen])
            self._show_result_count()  # a search's count is of the list's documents, the entry's too
            if self._shown is None or not self.select_document(self._shown, announce=False):
                self._set_current(QModelIndex(), announce=False)
                if row is not None:
                    self._left = (self._shown, row)
            self.filter_changed.emit()
        else:
            self._show_review_counts()

    def _show_review_counts(self) -> None:
        """The review entries' counts: how many documents need review, and under a search
        with one of them chosen, how many of those the search keeps ("12 of 340")."""
        combo = self.status_filter
        needs = self._review[NEEDS_REVIEW] if self._review is not None else None
        searched = self.model.search_query is not None and combo.currentData() in (NEEDS_REVIEW, MOST_DISAGREEMENT)
        for data, text in REVIEW_FILTERS:
            index = combo.findData(data)
            if index < 0:
                return
            counted = ("counting…" if needs is None else f"{self.model.rowCount():,} of {len(needs):,}" if searched
                       else f"{len(needs):,}")
            combo.setItemText(index, text.format(counted))

    def review_next(self, doc_id: int) -> int | None:
        """Under a review list, the document after ``doc_id`` in it (the one now in the row it
        had, once decided out of it; the first when it was the last); None otherwise."""
        if self.model.id_order is None or not self.model.rowCount():
            return None
        row = self.model.row_of(doc_id)
        if row is not None:
            row += 1
        elif self._left is not None and self._left[0] == doc_id:
            row = self._left[1]
        else:
            return None
        return self.model.document_id(row if row < self.model.rowCount() else 0)

    def _refilter(self, change) -> None:  # noqa: ANN001 - a callable
        keep = self.current_document_id() or self._shown  # the document read may be unlisted (reviewed)
        before = (self.model.status_filter, self.model.search_query, self.model.assigned_filter, self.model.id_order)
        change()
        if (self.model.status_filter, self.model.search_query, self.model.assigned_filter,
                self.model.id_order) == before:
            return
        self._show_result_count()
        # Stay on the document being read when it is still listed; else the first row.
        if keep is None or not self.select_document(keep, announce=False):
            self.select_row(0)
        self.filter_changed.emit()

    def _focus_results(self) -> None:
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.list.currentIndex().isValid():
            self.select_row(0)

    def reload(self) -> None:
        """After imports or status changes under a filter: counts and pages are read again."""
        keep = self.current_document_id()
        self.model.reload()
        self._show_result_count()  # a search may find more now that more is indexed
        if keep is None or not self.select_document(keep, announce=False):
            self.select_row(0)
        self.filter_changed.emit()  # the list's length changed: "document 1 of N" follows

    def _show_result_count(self) -> None:
        self._show_review_counts()
        query = self.model.search_query
        self.result_label.setVisible(query is not None)
        if query is None:
            return
        count = self.model.rowCount()
        listed = self.model.id_order  # a review list: the count is of its documents
        if listed is not None:
            text = review_matches(count, len(listed))
        else:
            text = (("1 document matches" if count == 1 else f"{count:,} documents match") if count
                    else "No document matches")
        # Documents not indexed yet are searched within a time budget (store.search): say
        # when the answer is not complete yet; the list is searched again once they are.
        unsearched = self._project.search_unsearched(query, self.model.status_filter, self.model.annotator,
                                                     assigned=self.model.assigned_filter)
        if unsearched:
            text += f" so far ({unsearched:,} still being indexed)"
        self.result_label.setText(text)
