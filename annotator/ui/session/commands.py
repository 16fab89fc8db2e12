"""Every user edit as a QUndoCommand whose redo and undo call the store.

Commands never touch widgets. Each run reports an ``Outcome`` (outcome.py) holding what the
store returned to the ``report`` callable it was given (the document session's, or a list's
``append`` in a test with a bare QUndoStack). A command the store refuses on its first run
(``EditRefused``: an overlap, a duplicate; or a busy or read-only file) marks itself obsolete,
so ``QUndoStack.push`` drops it and the stack stays as it was. A refused undo or redo is
reported too (``Outcome.first`` False): the session then clears the history, which would
otherwise point at rows that are not what it thinks.

Undo and redo are idempotent where a retry could meet its own earlier half-success (a span
that is already back is not restored twice), so a failed undo never turns into lost work.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ...core.model import Span, SpanDetails, SpanSnapshot
from ...store import ProjectError
from ...store.project import Project
from .outcome import Outcome, Report, describe_error, quote


class EditCommand(QUndoCommand):
    def __init__(self, project: Project, doc_id: int | None, text: str, report: Report | None = None):
        super().__init__(text)
        self.project = project
        self.doc_id = doc_id
        self.report: Report = report or (lambda _outcome: None)
        self.error: str | None = None
        self._done_once = False

    def redo(self) -> None:
        first = not self._done_once
        self._run(self._redo, undo=False, first=first)
        self._done_once = True

    def undo(self) -> None:
        self._run(self._undo, undo=True, first=False)

    def _run(self, step: Callable[[], Outcome], *, undo: bool, first: bool) -> None:
        try:
            outcome = step()
        except (ProjectError, sqlite3.Error) as exc:
            self.error = describe_error(exc)
            if first:
                self.setObsolete(True)  # QUndoStack.push then deletes it instead of pushing
            self.report(Outcome(self.doc_id, undo=undo, error=self.error, first=first))
            return
        self.error = None
        self.report(dataclasses.replace(outcome, undo=undo, first=first))

    def _redo(self) -> Outcome:
        raise NotImplementedError

    def _undo(self) -> Outcome:
        raise NotImplementedError

    def _exists(self, span_id: int) -> bool:
        try:
            self.project.span(span_id)
        except ProjectError:
            return False
        return True


def _linked(snapshot: SpanSnapshot) -> bool:
    """Whether deleting the span changed a claim (its own, or one it was claimant or cue of)."""
    return snapshot.claim is not None or bool(snapshot.linked_as_claimant or snapshot.linked_as_cue)


def _details(snapshot: SpanSnapshot) -> dict[int, SpanDetails]:
    """The attributes and note a restored span has again (they came back with it)."""
    details = snapshot.details()
    return {snapshot.span["id"]: details} if details is not None else {}


class AddSpanCommand(EditCommand):
    """Tag a range. A claim label makes a claim (span and claim in one transaction)."""

    def __init__(self, project: Project, doc_id: int, start: int, end: int, label: str, *,
                 annotator: str | None, kind: str, report: Report | None = None, surface: str = ""):
        super().__init__(project, doc_id, f"Tag {quote(surface)} {label}" if surface else f"Tag {label}", report)
        self.start, self.end, self.label, self.annotator, self.kind = start, end, label, annotator, kind
        self.span_id: int | None = None
        self.span: Span | None = None
        self._snapshot: SpanSnapshot | None = None

    def _redo(self) -> Outcome:
        claim = self.kind == "claim"
        if self._snapshot is not None:
            span_id = self._snapshot.span["id"]
            span = self.project.restore_span(self._snapshot) if not self._exists(span_id) else self.project.span(span_id)
            return Outcome(self.doc_id, added=(span,), claims=claim, focus=span_id if claim else None,
                           details=_details(self._snapshot))
        if claim:
            span = self.project.add_claim(self.doc_id, self.start, self.end, self.label,
                                          annotator=self.annotator).content
        else:
            span = self.project.add_span(self.doc_id, self.start, self.end, self.label, annotator=self.annotator)
        assert span.id is not None
        self.span_id, self.span = span.id, span
        return Outcome(self.doc_id, added=(span,), claims=claim, focus=span.id if claim else None)

    def _undo(self) -> Outcome:
        assert self.span_id is not None
        if self._exists(self.span_id):
            self._snapshot = self.project.delete_span(self.span_id)
        return Outcome(self.doc_id, removed=(self.span_id,), claims=self.kind == "claim")


class DeleteSpanCommand(EditCommand):
    """Delete a span (and the claim it is the content of); undo restores it with its ids."""

    def __init__(self, project: Project, span_id: int, *, report: Report | None = None):
        span = project.span(span_id)
        super().__init__(project, span.doc_id, f"Delete {span.label} {quote(span.text)}", report)
        self.span_id = span_id
        self._snapshot: SpanSnapshot | None = None

    def _redo(self) -> Outcome:
        if self._exists(self.span_id):
            self._snapshot = self.project.delete_span(self.span_id)
        claims = self._snapshot is not None and _linked(self._snapshot)
        return Outcome(self.doc_id, removed=(self.span_id,), claims=claims)

    def _undo(self) -> Outcome:
        if self._snapshot is None:
            return Outcome(self.doc_id)
        span = self.project.span(self.span_id) if self._exists(self.span_id) else \
            self.project.restore_span(self._snapshot)
        claim = self._snapshot.claim is not None
        return Outcome(self.doc_id, added=(span,), claims=_linked(self._snapshot),
                       focus=self.span_id if claim else None, details=_details(self._snapshot))


class RelabelSpanCommand(EditCommand):
    def __init__(self, project: Project, span_id: int, label: str, *, report: Report | None = None):
        span = project.span(span_id)
        super().__init__(project, span.doc_id, f"Relabel {quote(span.text)} {span.label} → {label}", report)
        self.span, self.label = span, label

    def _redo(self) -> Outcome:
        assert self.span.id is not None
        previous = self.project.relabel_span(self.span.id, self.label)
        self.span = dataclasses.replace(self.span, label=previous)
        return Outcome(self.doc_id, changed=(dataclasses.replace(self.span, label=self.label),))

    def _undo(self) -> Outcome:
        assert self.span.id is not None
        self.project.relabel_span(self.span.id, self.span.label)
        return Outcome(self.doc_id, changed=(self.span,))


class ResizeSpanCommand(EditCommand):
    """Move a span's edges. ``surface`` is the text of the new range (the window has the
    document's text); without it the new span is read back."""

    def __init__(self, project: Project, span_id: int, start: int, end: int, *, report: Report | None = None,
                 surface: str | None = None):
        span = project.span(span_id)
        super().__init__(project, span.doc_id, f"Resize {span.label} {quote(span.text)}", report)
        self.span, self.start, self.end, self.surface = span, start, end, surface

    def _redo(self) -> Outcome:
        assert self.span.id is not None
        self.project.resize_span(self.span.id, self.start, self.end)
        resized = dataclasses.replace(self.span, start=self.start, end=self.end, text=self.surface) \
            if self.surface is not None else self.project.span(self.span.id)
        return Outcome(self.doc_id, changed=(resized,))

    def _undo(self) -> Outcome:
        assert self.span.id is not None
        self.project.resize_span(self.span.id, self.span.start, self.span.end)
        return Outcome(self.doc_id, changed=(self.span,))


class SetStatusCommand(EditCommand):
    """Set ``annotator``'s status of a document (None: the project's own)."""

    def __init__(self, project: Project, doc_id: int, status: str, *, report: Report | None = None, title: str = "",
                 annotator: str | None = None):
        super().__init__(project, doc_id, f"Mark {quote(title)} {status}" if title.strip() else f"Mark document {status}",
                         report)
        self.status = status
        self.previous = status
        self.annotator = annotator

    def _redo(self) -> Outcome:
        assert self.doc_id is not None
        self.previous = self.project.set_status(self.doc_id, self.status, annotator=self.annotator)
        return Outcome(self.doc_id, status=self.status)

    def _undo(self) -> Outcome:
        assert self.doc_id is not None
        self.project.set_status(self.doc_id, self.previous, annotator=self.annotator)
        return Outcome(self.doc_id, status=self.previous)
