"""Moving through the documents: the list's choice, next and previous, mark done and go on,
the next document to do; and where each annotator left off in each project.

``Navigation`` is given the session, the document pane and the claim flow (which may stop a
document being marked done), never the window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from ..claims.claim_flow import ClaimFlow
from ..common.settings import Settings
from ..session.document_session import DocumentSession
from ..text.text_view import AnnotationView
from ..views.document_pane import DocumentPane
from . import last_position


class Navigation(QObject):
    def __init__(self, session: DocumentSession, pane: DocumentPane, view: AnnotationView, claims: ClaimFlow,
                 settings: Settings):
        super().__init__(pane)
        self.session = session
        self.pane = pane
        self.view = view
        self.claims = claims
        self.settings = settings
        self.stopped = False
        pane.document_chosen.connect(self.show)

    # ------------------------------------------------------------ where one left off
    def restore(self) -> None:
        """Open the project on the document (and token) where this annotator left off, else
        on the list's first document."""
        session = self.session
        place = last_position.recall(self.settings, session.project.path, session.annotator)
        if place is not None and self.pane.select_document(place[0]):
            if session.doc_id == place[0] and place[1] < len(self.view.text):
                self.view.set_cursor_offset(place[1])
            return
        self.pane.select_row(0)
        if session.doc_id is None:
            self.show(None)

    def remember(self) -> None:
        doc_id = self.session.doc_id
        if doc_id is not None and not self.stopped:
            last_position.remember(self.settings, self.session.project.path, self.session.annotator, doc_id,
                                   self.view.cursor_offset() or 0)

    def position_text(self) -> str:
        model = self.pane.model
        listed = model.rowCount()
        row = self.pane.current_row()
        if listed == 0:
            return "no documents"
        if row is not None:
            return f"document {row + 1:,} of {listed:,}"
        if self.session.doc_id is not None:
            return f"not in the list ({listed:,} listed)"
        return f"{listed:,} documents"

    # ------------------------------------------------------------ moving

    def show(self, doc_id: int | None) -> None:
        """The list chose a document (None: the list is empty)."""
        self.claims.leaving_document()  # a claim note being typed belongs to the document shown
        if doc_id is None:
            model = self.pane.model
            if model.search_query:
                self.view.empty_text = "No document matches the search."
            elif model.status_filter is not None:
                self.view.empty_text = "No documents with this status."
            else:
                self.view.empty_text = "No documents in this project yet." if model.rowCount() == 0 else ""
        self.session.show(doc_id)

    def go_to(self, doc_id: int) -> None:
        """Show a document, selecting it in the list (which lets go of a filter that hides it)."""
        if self.session.doc_id == doc_id:
            self.pane.select_document(doc_id, announce=False)
            return
        if not self.pane.select_document(doc_id):
            self.show(doc_id)

    def mark_and_next(self, status: str) -> None:
        doc_id = self.session.doc_id
        if doc_id is None or self.session.read_only:
            return
        row = self.pane.current_row()
        if status == "done" and not self.claims.ready_for_done(doc_id):
            return  # a claim misses a required attribute and the user went to it
        if not self.session.set_status(doc_id, status):
            return
        # Under a status filter the document may have left the list: its row now holds the next.
        if self.pane.model.row_of(doc_id) is None:
            target = row if row is not None else 0
        else:
            target = (row if row is not None else -1) + 1
        if target >= self.pane.model.rowCount():
            self.session.say(f"Marked {status}. That was the last document in the list.")
            return
        self.pane.select_row(target)

    def step(self, step: int) -> None:
        row = self.pane.current_row()
        count = self.pane.model.rowCount()
        if count == 0:
            return
        target = 0 if row is None else row + step
        if not 0 <= target < count:
            self.session.say("No more documents in that direction.")
            return
        self.pane.select_row(target)

    def next_todo(self) -> None:
        mine = self.pane.model.assigned_filter  # "only those assigned to me": the next of those
        doc_id = self.session.project.next_document_with_status(self.session.doc_id, "todo",
                                                                annotator=self.session.annotator, assigned=mine)
        if doc_id is None:
            self.session.say(f"Every document{' assigned to you' if mine else ''} is done or skipped.")
            return
        self.go_to(doc_id)
