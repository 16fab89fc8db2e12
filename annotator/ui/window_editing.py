"""What the keys and clicks of the annotation window mean: tagging, relabelling, deleting,
moving through documents, and refreshing exactly what an edit changed.

A mixin of ``MainWindow`` (which builds the widgets these methods use).
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ..core.changes import Change
from ..core.model import Document
from ..store import ProjectError
from .commands import Effect, describe_error
from .span_index import layer_of


class EditingMixin:
    # ------------------------------------------------------------ label keys
    def label_key(self, name: str) -> None:
        """A label's key or button: tag the selection, relabel the span under the cursor, or
        arm the label (sticky mode) when there is neither."""
        view = self.text_view
        if self.project.read_only:
            self.show_message("This project is open read-only: nothing can be tagged.", error=True)
            return
        if view.doc_id is None:
            return
        selection = view.selection()
        if selection is not None:
            self.tag(selection[0], selection[1], name)
            return
        around = view.spans_at_cursor() if view.cursor_offset() is not None else []
        if around and self.editor.kind(name) == "claim" and self.claim_flow.open_at_cursor(name, around):
            return  # the claim key on a claim opens it in the claim editor
        if around:
            kind = self.editor.kind(name)
            same = [s for s in around if layer_of(s.kind) == layer_of(kind)] or around
            target = same[-1]
            if target.suggested:
                self.suggestions.accept(target.id, name)  # as this label; a claim with its cue and claimant
            elif target.span.label == name:
                self.show_message(f"That span is already {name}.")
            else:
                self.editor.relabel_span(target.id, name, view.doc_id)
            return
        self.arm(None if self.label_bar.armed == name else name)

    def arm(self, name: str | None) -> None:
        self.label_bar.set_armed(name)
        self._update_armed()
        if name is not None:
            self.show_message(f"{name} is armed: every selection you drag becomes a {name} span. Esc stops.")

    def tag(self, start: int, end: int, name: str) -> int | None:
        view = self.text_view
        if view.doc_id is None:
            return None
        span_id = self.editor.add_span(view.doc_id, start, end, name, view.text[start:end])
        if span_id is not None:
            view.clear_selection()
            view.set_cursor_offset(start)
        return span_id

    def _selection_finished(self, start: int, end: int) -> None:
        if self.claim_flow.take_selection(start, end):
            return  # picking a claim's claimant or cue
        armed = self.label_bar.armed
        if armed is not None and not self.project.read_only:
            self.tag(start, end, armed)

    def delete_span(self) -> None:
        if self.project.read_only or self.text_view.doc_id is None:
            return
        focus = QApplication.focusWidget()
        if focus is not None and focus is not self.text_view and not (
                focus is self.span_table or self.span_table.isAncestorOf(focus)):
            return  # Delete in the document list or a text field is not about spans
        doc_id = self.text_view.doc_id
        span_id = None
        if focus is self.span_table or self.span_table.isAncestorOf(focus):
            span_id = self.span_table.current_span_id()
        if span_id is None:
            around = self.text_view.spans_at_cursor()
            selection = self.text_view.selection()
            exact = [s for s in around if selection == (s.span.start, s.span.end)]
            chosen = (exact or around)[-1] if (exact or around) else None
            if chosen is None:
                self.show_message("No span under the cursor to delete.")
                return
            span_id = chosen.id
        self._delete(span_id, doc_id)

    def _delete(self, span_id: int, doc_id: int) -> None:
        shown = self.text_view.index.get(span_id) if self.text_view.index is not None else None
        if shown is not None and shown.suggested:
            self.editor.reject_suggestion(span_id, doc_id)  # kept as a rejected suggestion, for training
        elif self.claim_flow.confirm_delete(span_id):  # asks when claims use it as claimant or cue
            self.editor.delete_span(span_id, doc_id)

    def _resize_requested(self, span_id: int, start: int, end: int) -> None:
        if not self.project.read_only and self.text_view.doc_id is not None:
            self.editor.resize_span(span_id, start, end, self.text_view.doc_id)

    def relabel_from_table(self, span_id: int, label: str) -> bool:
        if self.project.read_only or self.text_view.doc_id is None:
            return False
        return self.editor.relabel_span(span_id, label, self.text_view.doc_id)

    def clear_selection(self) -> None:
        focus = QApplication.focusWidget()
        if focus is self.document_pane.search and self.document_pane.search.text():
            self.document_pane.search.clear()
            return
        self.text_view.clear_selection()
        if self.label_bar.armed is not None:
            self.arm(None)
            self.show_message("Sticky label off.")

    # ------------------------------------------------------ document flow
    def mark_and_next(self, status: str) -> None:
        doc_id = self.text_view.doc_id
        if doc_id is None or self.project.read_only:
            return
        row = self.document_pane.current_row()
        if status == "done" and not self.claim_flow.ready_for_done(doc_id):
            return  # a claim misses a required attribute and the user went to it
        if not self.editor.set_status(doc_id, status, self._title):
            return
        # Under a status filter the document may have left the list: its row now holds the next.
        if self.document_pane.model.row_of(doc_id) is None:
            target = row if row is not None else 0
        else:
            target = (row if row is not None else -1) + 1
        if target >= self.document_pane.model.rowCount():
            self.show_message(f"Marked {status}. That was the last document in the list.")
            return
        self.document_pane.select_row(target)

    def step_document(self, step: int) -> None:
        row = self.document_pane.current_row()
        count = self.document_pane.model.rowCount()
        if count == 0:
            return
        target = 0 if row is None else row + step
        if not 0 <= target < count:
            self.show_message("No more documents in that direction.")
            return
        self.document_pane.select_row(target)

    def next_todo(self) -> None:
        doc_id = self.project.next_document_with_status(self.text_view.doc_id, "todo")
        if doc_id is None:
            self.show_message("Every document is done or skipped.")
            return
        self.go_to_document(doc_id)

    def go_to_document(self, doc_id: int) -> None:
        """Show a document, selecting it in the list; when the filter or search hides it, the
        list goes back to showing every document."""
        if self.text_view.doc_id == doc_id:
            self.document_pane.select_document(doc_id, announce=False)
            return
        if not self.document_pane.select_document(doc_id):
            pane = self.document_pane
            pane.search.blockSignals(True)
            pane.search.clear()
            pane.search.blockSignals(False)
            pane.model.set_search(None)
            pane.status_filter.setCurrentIndex(0)
            if not pane.select_document(doc_id):
                self.show_document(doc_id)

    # ------------------------------------------------------ refreshing
    def _on_effect(self, effect: Effect) -> None:
        if effect.error is not None:
            self.show_message(effect.error, error=True)
            return
        if effect.doc_id is None:  # project-wide (claimant aliases): the claim views refresh themselves
            self._update_status()
            return
        if Change.DOCUMENT_STATUS in effect.change:
            self._status_changed(effect.doc_id)
        if effect.doc_id != self.text_view.doc_id:
            # An undo or redo of an edit in another document: go there, it shows the change.
            self.go_to_document(effect.doc_id)
            if effect.span_ids:
                self.text_view.reveal_span(effect.span_ids[0])
            self._update_status()
            return
        if Change.SPANS in effect.change:
            for span_id in effect.span_ids:
                self._refresh_span(span_id)
        self._update_status()

    def _refresh_span(self, span_id: int) -> None:
        try:
            span = self.project.span(span_id)
        except ProjectError:
            span = None
        except sqlite3.Error as exc:
            self.show_message(describe_error(exc), error=True)
            return
        if span is None or span.doc_id != self.text_view.doc_id:
            self.text_view.remove_span(span_id)
            self.span_model.remove(span_id)
        else:
            self.text_view.put_span(span)
            self.span_model.put(span)
        self._spans_title()

    def _status_changed(self, doc_id: int) -> None:
        try:
            status = self.project.document_status(doc_id)
        except (ProjectError, sqlite3.Error):
            return
        self.document_pane.model.status_changed(doc_id, status)
        if self.document_pane.model.status_filter is not None:
            # The reload dropped the selection: keep the document being read selected if listed.
            self.document_pane.select_document(self.text_view.doc_id, announce=False) \
                if self.text_view.doc_id is not None else None
        self._counts = None

    def show_document(self, doc_id: int | None) -> None:
        self.claim_flow.leaving_document()  # a claim note being typed belongs to this document
        view = self.text_view
        if doc_id is None:
            model = self.document_pane.model
            if model.search_query:
                placeholder = "No document matches the search."
            elif model.status_filter is not None:
                placeholder = "No documents with this status."
            else:
                placeholder = "No documents in this project yet." if model.rowCount() == 0 else ""
            view.clear_document(placeholder)
            self.span_model.set_spans([])
            self.claim_flow.document_shown(None)
            self._title = ""
            self._spans_title()
            self._update_status()
            return
        try:
            document = self.project.document(doc_id)
            spans = self.project.spans(doc_id)
        except (ProjectError, sqlite3.Error) as exc:
            self.show_message(describe_error(exc), error=True)
            return
        self._show(document, spans)

    def _show(self, document: Document, spans: list) -> None:
        text = document.text
        stale = {s.id for s in spans if text[s.start:s.end] != s.text}
        details = self.project.span_details(document.id)  # attributes and notes other tools' files brought
        self.text_view.show_document(document.id, text, spans, stale, details)
        self.span_model.set_spans(spans, stale, details)
        self.claim_flow.document_shown(document.id)
        self._title = document.title
        self._spans_title()
        tokens = self.tokenizer.cached(document.id)
        if tokens is not None:
            self.text_view.set_tokens(tokens)
        else:
            # After this document is on screen: spaCy's first load (seconds, in a thread) must
            # not hold up the first paint; the fallback tokens serve until then.
            doc_id = document.id
            QTimer.singleShot(0, lambda: self._request_tokens(doc_id, text))
        if stale:
            many = len(stale) != 1
            self.show_message(f"{len(stale)} span{'s' if many else ''} no longer match{'' if many else 'es'} the article"
                              " text (dotted red, left where stored): check, then delete or tag again.", error=True)
        self._update_status()

    def _request_tokens(self, doc_id: int, text: str) -> None:
        if doc_id == self.text_view.doc_id and not self._closed:
            self.tokenizer.request(doc_id, text)

    def _tokens_ready(self, doc_id: int, spans: list) -> None:
        if doc_id == self.text_view.doc_id:
            self.text_view.set_tokens(spans)

    def _spans_title(self) -> None:
        count = self.span_model.rowCount()
        self.span_title.setText(f"Spans ({count})" if count else "Spans (none yet)")
        self.side_tabs.setTabText(self.side_tabs.indexOf(self.span_table.parentWidget()),
                                  f"Spans ({count})" if count else "Spans")
