"""What the label keys, Delete and the mouse mean in the article: tag the selection, relabel
or delete the span under the cursor, arm a sticky label, resize a span.

``Tagging`` turns these intents into edits on the document session; it is given the session
and the parts it reads (the article, the span table, the label bar, the claim flow and the
suggestion controller), never the window. The views show the result when the session says
what changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from ..claims.claim_flow import ClaimFlow
from ..session.document_session import DocumentSession
from ..suggest.suggestions import SuggestionController
from ..text.span_index import layer_of
from ..text.text_view import AnnotationView
from ..views.label_bar import LabelBar
from ..views.span_table import SpanTable


class Tagging(QObject):
    armed_changed = Signal(object)  # the sticky label, or None

    def __init__(self, session: DocumentSession, view: AnnotationView, table: SpanTable, label_bar: LabelBar,
                 claims: ClaimFlow, suggestions: SuggestionController):
        super().__init__(view)
        self.session = session
        self.view = view
        self.table = table
        self.label_bar = label_bar
        self.claims = claims
        self.suggestions = suggestions
        label_bar.label_triggered.connect(self.label_key)
        view.selection_finished.connect(self._selection_finished)
        view.resize_requested.connect(self._resize_requested)
        table.delete_requested.connect(self.delete)
        table.span_model().relabel = self.relabel
        claims.delete_requested.connect(self.delete)

    # ------------------------------------------------------------ label keys
    def label_key(self, name: str) -> None:
        """A label's key or button: tag the selection; relabel the span under the cursor; tag the
        word the cursor was moved to (one key for a one-word entity); else arm the label (sticky
        mode: every drag becomes a span), as on a document just opened."""
        session, view = self.session, self.view
        if session.read_only:
            session.say("This project is open read-only: nothing can be tagged.", error=True)
            return
        if session.doc_id is None:
            return
        selection = view.selection()
        if selection is not None:
            self.tag(*selection, name)
            return
        around = view.spans_at_cursor() if view.cursor_offset() is not None else []
        kind = session.kind(name)
        if around and kind == "claim" and self.claims.open_at_cursor(name, around):
            return  # the claim key on a claim opens it in the claim editor
        if around:
            same = [s for s in around if layer_of(s.kind) == layer_of(kind)] or around
            target = same[-1]
            if target.suggested:
                self.suggestions.accept(target.id, name)  # as this label; a claim with its cue and claimant
            elif target.span.label == name:
                session.say(f"That span is already {name}.")
            else:
                session.relabel_span(target.id, name)
            return
        token = view.token_at_cursor() if not view.cursor_untouched else None
        if token is not None:
            self.tag(*token, name)
            return
        self.arm(None if self.label_bar.armed == name else name)

    def arm(self, name: str | None) -> None:
        self.label_bar.set_armed(name)
        self.armed_changed.emit(name)
        if name is not None:
            self.session.say(f"{name} is armed: every selection you drag becomes a {name} span. Esc stops.")

    def tag(self, start: int, end: int, name: str) -> int | None:
        span = self.session.add_span(start, end, name)
        if span is None:
            return None
        self.view.clear_selection()
        self.view.set_cursor_offset(start)
        return span.id

    def _selection_finished(self, start: int, end: int) -> None:
        if self.claims.take_selection(start, end):
            return  # picking a claim's claimant or cue
        armed = self.label_bar.armed
        if armed is not None and not self.session.read_only:
            self.tag(start, end, armed)

    # ------------------------------------------------------------ other edits
    def delete_at_cursor(self) -> None:
        """Delete (the menu's or the key): the span chosen in the table, or under the cursor."""
        if self.session.read_only or self.session.doc_id is None:
            return
        focus = QApplication.focusWidget()
        in_table = focus is not None and (focus is self.table or self.table.isAncestorOf(focus))
        if focus is not None and focus is not self.view and not in_table:
            return  # Delete in the document list or a text field is not about spans
        span_id = self.table.current_span_id() if in_table else None
        if span_id is None:
            around = self.view.spans_at_cursor()
            selection = self.view.selection()
            exact = [s for s in around if selection == (s.span.start, s.span.end)]
            chosen = (exact or around)[-1] if (exact or around) else None
            if chosen is None:
                self.session.say("No span under the cursor to delete.")
                return
            span_id = chosen.id
        self.delete(span_id)

    def delete(self, span_id: int) -> None:
        if self.session.read_only:
            return
        shown = self.view.index.get(span_id) if self.view.index is not None else None
        if shown is not None and shown.suggested:
            self.suggestions.reject(span_id)  # kept as a rejected suggestion, for training
        elif self.claims.confirm_delete(span_id):  # asks when claims use it as claimant or cue
            self.session.delete_span(span_id)

    def relabel(self, span_id: int, label: str) -> bool:
        return not self.session.read_only and self.session.relabel_span(span_id, label)

    def _resize_requested(self, span_id: int, start: int, end: int) -> None:
        if not self.session.read_only:
            self.session.resize_span(span_id, start, end)

    def clear_selection(self) -> None:
        """Esc: clear the selection, and disarm a sticky label."""
        self.view.clear_selection()
        if self.label_bar.armed is not None:
            self.arm(None)
            self.session.say("Sticky label off.")
