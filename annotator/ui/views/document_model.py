"""The document list: a lazy adapter over the store that holds pages of summaries, never texts.

A project may hold hundreds of thousands of documents. The model asks the store for a count
and then for pages of rows as the view scrolls to them; a handful of pages stay cached. In
search mode the same happens over the store's full-text search (rows in document order).
Given an ordered list of document ids (``set_id_order``: review mode's "needs review"), the
rows are those documents in that order, paged the same way: a search keeps those that match,
the other SQL filters rest.
"""

from __future__ import annotations

import textwrap
from collections import OrderedDict
from dataclasses import replace

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ..common.bidi import shown_name
from ...core.model import DocumentSummary
from ...store import Project
from ..common.offsets import qt_string

PAGE_SIZE = 200
CACHED_PAGES = 16

DocumentIdRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2
AssignedRole = Qt.ItemDataRole.UserRole + 3  # the refs of the annotators the document is assigned to

STATUS_MARKS = {"todo": "○", "done": "✓", "skipped": "–"}
STATUS_NAMES = {"todo": "to do", "done": "done", "skipped": "skipped"}

_Index = QModelIndex | QPersistentModelIndex


def row_text(summary: DocumentSummary) -> str:
    """One line: the title, or the first words when there is no title."""
    return shown_name(" ".join(summary.title.split()) or summary.snippet or "(empty document)")


def tooltip_text(summary: DocumentSummary, assigned: list[str] | None = None) -> str:
    # The first line is ours and holds no "<", so Qt's rich-text sniffing (which looks only
    # at the first line) treats the whole tooltip as plain text: "<b>" in a title stays "<b>".
    lines = [f"Document {summary.position + 1} · {STATUS_NAMES.get(summary.status, summary.status)}"]
    if assigned:
        lines.append(f"Assigned to {shown_name(', '.join(assigned))}")
    title = shown_name(" ".join(summary.title.split()))
    if title:
        lines += textwrap.wrap(title, 70)
    if summary.snippet:
        lines += textwrap.wrap(shown_name(summary.snippet), 70)
    return "\n".join(lines)


class DocumentListModel(QAbstractListModel):
    def __init__(self, project: Project, parent: QObject | None = None, *, page_size: int = PAGE_SIZE,
                 cached_pages: int = CACHED_PAGES):
        super().__init__(parent)
        self._project = project
        self._page_size = page_size
        self._cached_pages = cached_pages
        self._status: str | None = None
        self._annotator: str | None = None  # whose statuses are shown and filtered (None: the project's)
        self._assigned: str | None = None  # only the documents assigned to this annotator (None: all)
        self._has_assignment: bool | None = None  # read once per reload: most projects have none
        self._assignments: dict[int, list[str]] = {}  # of the cached pages' documents
        self._query: str | None = None
        self._count: int | None = None
        self._pages: OrderedDict[int, list[DocumentSummary]] = OrderedDict()
        self._order: list[int] | None = None  # set_id_order: these documents, in this order
        self._ids: list[int] | None = None  # of them, those the search finds (all without a search)
        self._rows: dict[int, int] = {}  # document id -> row, under an id order

    # ------------------------------------------------------------------ Qt API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        if self._count is None and self._ids is not None:
            self._count = len(self._ids)
        if self._count is None:
            self._count = (self._project.search_count(self._query, self._status, annotator=self._annotator,
                                                      assigned=self._assigned) if self._query
                           else self._project.document_count(self._status, annotator=self._annotator,
                                                             assigned=self._assigned))
        return self._count

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.parent().isValid():
            return None
        summary = self.summary(index.row())
        if summary is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{STATUS_MARKS.get(summary.status, '?')}  {row_text(summary)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_text(summary, self._assignments.get(summary.id))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            assigned = self._assignments.get(summary.id)
            who = f", assigned to {', '.join(assigned)}" if assigned else ""
            return qt_string(shown_name(f"{row_text(summary)}, {STATUS_NAMES.get(summary.status, summary.status)}{who}"))
        if role == AssignedRole:
            return list(self._assignments.get(summary.id, ()))
        if role == DocumentIdRole:
            return summary.id
        if role == StatusRole:
            return summary.status
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def roleNames(self) -> dict[int, bytes]:
        return {**super().roleNames(), DocumentIdRole: b"documentId", StatusRole: b"status",
                AssignedRole: b"assigned"}

    # ---------------------------------------------------------------- our API
    @property
    def project(self) -> Project:
        return self._project

    @property
    def status_filter(self) -> str | None:
        return self._status

    def set_status_filter(self, status: str | None) -> None:
        if status == self._status:
            return
        self._status = status
        self.reload()

    @property
    def annotator(self) -> str | None:
        return self._annotator

    def set_annotator(self, annotator: str | None) -> None:
        """Show ``annotator``'s statuses (each annotator marks their own documents done)."""
        if annotator == self._annotator:
            return
        self._annotator = annotator
        self.reload()

    @property
    def assigned_filter(self) -> str | None:
        return self._assigned

    def set_assigned_filter(self, annotator: str | None) -> None:
        """Show only the documents assigned to ``annotator`` (None: every document)."""
        if annotator == self._assigned:
            return
        self._assigned = annotator
        self.reload()

    @property
    def has_assignment(self) -> bool:
        if self._has_assignment is None:
            self._has_assignment = self._project.has_assignment()
        return self._has_assignment

    @property
    def search_query(self) -> str | None:
        return self._query

    def set_search(self, query: str | None) -> None:
        """Show only documents matching every word of ``query`` (None or blank: all)."""
        query = query.strip() if query and query.strip() else None
        if query == self._query:
            return
        self._query = query
        self._listed()
        self.reload()

    @property
    def id_order(self) -> list[int] | None:
        """The documents given to ``set_id_order`` (before the search keeps those that match)."""
        return self._order

    def set_id_order(self, ids: list[int] | None) -> None:
        """List exactly these documents in this order (None: the SQL-paged list again); with a
        search, those of them that match."""
        ids = None if ids is None else list(ids)
        if ids == self._order:
            return
        self._order = ids
        self._listed()
        self.reload()

    def _listed(self) -> None:
        ids = self._order
        if ids is not None and self._query:
            found = self._project.search_among(self._query, ids)
            ids = [doc_id for doc_id in ids if doc_id in found]
        self._ids = ids
        self._rows = {} if ids is None else {doc_id: row for row, doc_id in enumerate(ids)}

    def reload(self) -> None:
        """Forget the count and every cached page (after imports, status changes, ...)."""
        self.beginResetModel()
        self._count = None
        self._pages.clear()
        self._assignments.clear()
        self._has_assignment = None
        self.endResetModel()

    def summary(self, row: int) -> DocumentSummary | None:
        if row < 0 or row >= self.rowCount():
            return None
        page_number, offset = divmod(row, self._page_size)
        page = self._pages.get(page_number)
        if page is None:
            first = page_number * self._page_size
            if self._ids is not None:
                wanted = self._ids[first:first + self._page_size]
                found = {s.id: s for s in self._project.summaries_of(wanted, self._annotator)}
                # A document deleted meanwhile keeps its row, as a placeholder, until the next reload.
                page = [found.get(doc_id) or DocumentSummary(doc_id, "(deleted document)", "", "todo", first + i)
                        for i, doc_id in enumerate(wanted)]
            else:
                    page = (self._project.search_documents(self._query, first, self._page_size, self._status,
                                                       annotator=self._annotator, assigned=self._assigned)
                        if self._query else
                        self._project.document_summaries(first, self._page_size, self._status,
                                                         annotator=self._annotator, assigned=self._assigned))
            self._pages[page_number] = page
            if self.has_assignment:
                self._assignments.update(self._project.assignments_of([s.id for s in page]))
            while len(self._pages) > self._cached_pages:
                dropped = self._pages.popitem(last=False)[1]
                for summary in dropped:
                    self._assignments.pop(summary.id, None)
        else:
            self._pages.move_to_end(page_number)
        # Shorter than expected only if the file changed under us; reload() catches up.
        return page[offset] if offset < len(page) else None

    def document_id(self, row: int) -> int | None:
        summary = self.summary(row)
        return summary.id if summary is not None else None

    def cached_row_of(self, doc_id: int) -> int | None:
        """The row of a document if its page is cached; never queries the store."""
        if self._ids is not None:
            row = self._rows.get(doc_id)
            return row if row is not None and row // self._page_size in self._pages else None
        for page_number, page in self._pages.items():
            for offset, summary in enumerate(page):
                if summary.id == doc_id:
                    return page_number * self._page_size + offset
        return None

    def row_of(self, doc_id: int) -> int | None:
        """The row of a document in this list (filter and search applied), or None."""
        if self._ids is not None:
            return self._rows.get(doc_id)
        row = self.cached_row_of(doc_id)
        if row is not None:
            return row
        return self._project.document_row(doc_id, self._status, self._query, annotator=self._annotator,
                                          assigned=self._assigned)

    def status_changed(self, doc_id: int, status: str) -> None:
        """A document's status changed: update its row, or reload when the filter hides it now."""
        if self._status is not None and self._ids is None:
            self.reload()
            return
        row = self.cached_row_of(doc_id)
        if row is None:
            return
        page_number, offset = divmod(row, self._page_size)
        page = self._pages[page_number]
        page[offset] = replace(page[offset], status=status)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)
