"""Undoable edits of suggestions: write a document's suggestions, accept, reject.

Each is an ``EditCommand`` (commands.py): redo and undo call the store, never widgets,
and report an ``Outcome``. Accepting a suggested claim accepts its suggested cue and claimant
with it (the store's ``claim_parts``); rejecting it rejects them. Accept-all is a macro of
accept commands (ui/suggestions.py), so one Undo takes it all back.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...core.model import SpanSnapshot
from ...core.suggestions import ClaimLabels, DocSuggestions
from ...store import EditRefused
from ...store.project import Project
from .commands import EditCommand
from .outcome import Outcome, Report, quote


class WriteSuggestionsCommand(EditCommand):
    """Store the suggestions a source made for one document; undo removes exactly those
    (and the claims made of them); redo puts them back under the same ids."""

    def __init__(self, project: Project, found: DocSuggestions, origin: str, labels: ClaimLabels | None, *,
                 report: Report | None = None, source: str):
        super().__init__(project, found.doc_id, f"Suggest from {source}", report)
        self.found, self.origin, self.labels = found, origin, labels
        self.span_ids: list[int] = []
        self.counts = None
        self._snapshots: list[SpanSnapshot] = []

    def _redo(self) -> Outcome:
        if self._snapshots:
            with self.project.transaction():
                for snapshot in reversed(self._snapshots):
                    if not self._exists(snapshot.span["id"]):
                        self.project.restore_span(snapshot)
            self._snapshots = []
            return self._written()
        written = self.project.write_suggestions([self.found], self.origin, claim_labels=self.labels)
        self.counts = written.counts
        if not written.span_ids:
            raise EditRefused(f"nothing new to suggest here ({written.counts.summary()})")
        self.span_ids = written.span_ids
        return self._written()

    def _undo(self) -> Outcome:
        # Claim contents first: their claims' snapshots then keep the links to cue and claimant,
        # and redo (in reverse) restores those before the claims that point at them.
        contents = {c.content.id for c in self.project.claims(self.doc_id)}
        order = sorted(self.span_ids, key=lambda i: i not in contents)
        with self.project.transaction():
            self._snapshots = [self.project.delete_span(i) for i in order if self._exists(i)]
        return Outcome(self.doc_id, removed=tuple(self.span_ids), claims=True)

    def _written(self) -> Outcome:
        # Many spans at once, with claims: the document is shown again from the file.
        return Outcome(self.doc_id, reload=True)


class SetSuggestionsStateCommand(EditCommand):
    """Accept (optionally as another label) or reject suggestions, with the parts of suggested
    claims, in one transaction. ``items`` are (span id, label or None)."""

    def __init__(self, project: Project, doc_id: int, items: Sequence[tuple[int, str | None]], state: str, *,
                 report: Report | None = None, text: str = "", annotator: str | None = None):
        first = project.span(items[0][0])
        verb = "Accept" if state == "accepted" else "Reject"
        label = items[0][1] or first.label
        super().__init__(project, doc_id, text or f"{verb} {label} {quote(first.text)}", report)
        self.items, self.state = list(items), state
        self.annotator = annotator  # who decided: stamped on the spans (see Project.set_span_state)
        self.previous: list[tuple[int, str, str]] = []  # span id, label, state before

    def _redo(self) -> Outcome:
        previous: list[tuple[int, str, str]] = []
        with self.project.transaction():
            for span_id, label in self.items:
                previous += self._set(span_id, label, required=True)
                for part in self.project.claim_parts(span_id):
                    # A part that may not become gold (its entity overlaps a tagged one) stays
                    # a suggestion: the claim itself is still accepted.
                    previous += self._set(part, None, required=False)
        self.previous = previous
        return self._changed()

    def _set(self, span_id: int, label: str | None, *, required: bool) -> list[tuple[int, str, str]]:
        span = self.project.span(span_id)
        if span.state != "suggested":
            if required:
                raise EditRefused(f"{span.label} {quote(span.text)} is no longer a suggestion")
            return []
        try:
            with self.project.transaction():  # a savepoint: a refused part leaves nothing half-done
                old_label = self.project.relabel_span(span_id, label) if label and self.state == "accepted" \
                    else span.label
                self.project.set_span_state(span_id, self.state, annotator=self.annotator)
        except EditRefused:
            if required:
                raise
            return []
        return [(span_id, old_label, span.state)]

    def _undo(self) -> Outcome:
        with self.project.transaction():
            for span_id, label, state in reversed(self.previous):
                self.project.set_span_state(span_id, state)
                self.project.relabel_span(span_id, label)
        return self._changed()

    def _changed(self) -> Outcome:
        # Read back: who is stamped on a decided suggestion is the store's rule (set_span_state).
        spans = tuple(self.project.span(span_id) for span_id, _label, _state in self.previous)
        return Outcome(self.doc_id, changed=spans, claims=True)
