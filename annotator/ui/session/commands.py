"""Every user edit as a QUndoCommand whose redo and undo call the store.

Commands never touch widgets. Each run reports an ``Effect`` (what changed, in which
document, which spans) to the ``notify`` callable it was given; the window refreshes only
that. A command that the store refuses on its first run (``EditRefused``: an overlap, a
duplicate; or a busy or read-only file) marks itself obsolete, so ``QUndoStack.push``
drops it and the stack stays as it was; the refusal is reported as an Effect with ``error``.

Undo and redo are idempotent where a retry could meet its own earlier half-success (a span
that is already back is not restored twice), so a failed undo never turns into lost work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand

from ...core.changes import Change
from ...core.model import SpanSnapshot
from ...store import ProjectError
from ...store.project import Project


@dataclass(frozen=True)
class Effect:
    change: Change
    doc_id: int | None  # None: a project-wide edit (claimant aliases), in no document
    span_ids: tuple[int, ...] = ()
    undo: bool = False  # this effect comes from an undo (the window may need to switch documents)
    error: str | None = None


Notify = Callable[[Effect], None]


def describe_error(exc: BaseException) -> str:
    """A message for the status bar; never a raw traceback, never "database is locked" alone."""
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
        return "the project file is busy in another program; nothing was changed — try again"
    if isinstance(exc, sqlite3.Error):
        return f"the project file could not be changed ({exc}); nothing was changed"
    return str(exc)


def _quote(text: str, limit: int = 30) -> str:
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"


class EditCommand(QUndoCommand):
    change = Change.SPANS

    def __init__(self, project: Project, doc_id: int | None, notify: Notify, text: str):
        super().__init__(text)
        self.project = project
        self.doc_id = doc_id
        self.notify = notify
        self.error: str | None = None
        self._done_once = False

    def redo(self) -> None:
        first = not self._done_once
        self._run(self._redo, undo=False, first=first)
        self._done_once = True

    def undo(self) -> None:
        self._run(self._undo, undo=True, first=False)

    def _run(self, step: Callable[[], tuple[int, ...]], *, undo: bool, first: bool) -> None:
        try:
            span_ids = step()
        except (ProjectError, sqlite3.Error) as exc:
            self.error = describe_error(exc)
            if first:
                self.setObsolete(True)  # QUndoStack.push then deletes it instead of pushing
            self.notify(Effect(Change.NONE, self.doc_id, (), undo, self.error))
            return
        self.error = None
        self.notify(Effect(self.change, self.doc_id, span_ids, undo))

    def _redo(self) -> tuple[int, ...]:
        raise NotImplementedError

    def _undo(self) -> tuple[int, ...]:
        raise NotImplementedError


class AddSpanCommand(EditCommand):
    """Tag a range. A claim label makes a claim (span and claim in one transaction)."""

    def __init__(self, project: Project, doc_id: int, start: int, end: int, label: str, *,
                 annotator: str | None, kind: str, notify: Notify, surface: str = ""):
        super().__init__(project, doc_id, notify, f"Tag {_quote(surface)} {label}" if surface else f"Tag {label}")
        self.start, self.end, self.label, self.annotator, self.kind = start, end, label, annotator, kind
        self.span_id: int | None = None
        self._snapshot: SpanSnapshot | None = None
        if kind == "claim":
            self.change = Change.SPANS | Change.CLAIMS

    def _redo(self) -> tuple[int, ...]:
        if self._snapshot is not None:
            if not self._exists(self._snapshot.span["id"]):
                self.project.restore_span(self._snapshot)
            return (self._snapshot.span["id"],)
        if self.kind == "claim":
            span = self.project.add_claim(self.doc_id, self.start, self.end, self.label, annotator=self.annotator).content
        else:
            span = self.project.add_span(self.doc_id, self.start, self.end, self.label, annotator=self.annotator)
        assert span.id is not None
        self.span_id = span.id
        return (span.id,)

    def _undo(self) -> tuple[int, ...]:
        assert self.span_id is not None
        if self._exists(self.span_id):
            self._snapshot = self.project.delete_span(self.span_id)
        return (self.span_id,)

    def _exists(self, span_id: int) -> bool:
        try:
            self.project.span(span_id)
        except ProjectError:
            return False
        return True


class DeleteSpanCommand(EditCommand):
    """Delete a span (and the claim it is the content of); undo restores it with its ids."""

    def __init__(self, project: Project, span_id: int, *, notify: Notify):
        span = project.span(span_id)
        super().__init__(project, span.doc_id, notify, f"Delete {span.label} {_quote(span.text)}")
        self.span_id = span_id
        self._snapshot: SpanSnapshot | None = None
        self.change = Change.SPANS | Change.CLAIMS

    def _redo(self) -> tuple[int, ...]:
        if self._exists():
            self._snapshot = self.project.delete_span(self.span_id)
        return (self.span_id,)

    def _undo(self) -> tuple[int, ...]:
        if self._snapshot is not None and not self._exists():
            self.project.restore_span(self._snapshot)
        return (self.span_id,)

    def _exists(self) -> bool:
        try:
            self.project.span(self.span_id)
        except ProjectError:
            return False
        return True


class RelabelSpanCommand(EditCommand):
    def __init__(self, project: Project, span_id: int, label: str, *, notify: Notify):
        span = project.span(span_id)
        super().__init__(project, span.doc_id, notify, f"Relabel {_quote(span.text)} {span.label} → {label}")
        self.span_id, self.label, self.previous = span_id, label, span.label

    def _redo(self) -> tuple[int, ...]:
        self.previous = self.project.relabel_span(self.span_id, self.label)
        return (self.span_id,)

    def _undo(self) -> tuple[int, ...]:
        self.project.relabel_span(self.span_id, self.previous)
        return (self.span_id,)


class ResizeSpanCommand(EditCommand):
    def __init__(self, project: Project, span_id: int, start: int, end: int, *, notify: Notify):
        span = project.span(span_id)
        super().__init__(project, span.doc_id, notify, f"Resize {span.label} {_quote(span.text)}")
        self.span_id, self.start, self.end = span_id, start, end
        self.previous = (span.start, span.end)

    def _redo(self) -> tuple[int, ...]:
        self.previous = self.project.resize_span(self.span_id, self.start, self.end)
        return (self.span_id,)

    def _undo(self) -> tuple[int, ...]:
        self.project.resize_span(self.span_id, *self.previous)
        return (self.span_id,)


class SetSpanStateCommand(EditCommand):
    """Accept or reject a suggestion."""

    def __init__(self, project: Project, span_id: int, state: str, *, notify: Notify, annotator: str | None = None):
        span = project.span(span_id)
        verb = {"accepted": "Accept", "rejected": "Reject"}.get(state, "Suggest")
        super().__init__(project, span.doc_id, notify, f"{verb} {span.label} {_quote(span.text)}")
        self.span_id, self.state, self.previous = span_id, state, span.state
        self.annotator = annotator  # who decided: stamped on a model's or pattern's span

    def _redo(self) -> tuple[int, ...]:
        self.previous = self.project.set_span_state(self.span_id, self.state, annotator=self.annotator)
        return (self.span_id,)

    def _undo(self) -> tuple[int, ...]:
        self.project.set_span_state(self.span_id, self.previous, annotator=self.annotator)
        return (self.span_id,)


class SetStatusCommand(EditCommand):
    change = Change.DOCUMENT_STATUS

    def __init__(self, project: Project, doc_id: int, status: str, *, notify: Notify, title: str = ""):
        super().__init__(project, doc_id, notify,
                         f"Mark {_quote(title)} {status}" if title.strip() else f"Mark document {status}")
        self.status = status
        self.previous = status

    def _redo(self) -> tuple[int, ...]:
        self.previous = self.project.set_status(self.doc_id, self.status)
        return ()

    def _undo(self) -> tuple[int, ...]:
        self.project.set_status(self.doc_id, self.previous)
        return ()


class AcceptSuggestionCommand(EditCommand):
    """Accept a suggested span, under another label if the user pressed another label's key.

    One transaction: a suggestion that may not become gold (it overlaps an accepted entity)
    keeps its old label too.
    """

    def __init__(self, project: Project, span_id: int, label: str, *, notify: Notify, annotator: str | None = None):
        span = project.span(span_id)
        super().__init__(project, span.doc_id, notify, f"Accept {_quote(span.text)} as {label}")
        self.span_id, self.label, self.annotator = span_id, label, annotator
        self.previous = (span.label, span.state)

    def _redo(self) -> tuple[int, ...]:
        with self.project.transaction():
            old_label = self.project.relabel_span(self.span_id, self.label)
            old_state = self.project.set_span_state(self.span_id, "accepted", annotator=self.annotator)
        self.previous = (old_label, old_state)
        return (self.span_id,)

    def _undo(self) -> tuple[int, ...]:
        label, state = self.previous
        with self.project.transaction():
            self.project.set_span_state(self.span_id, state)
            self.project.relabel_span(self.span_id, label)
        return (self.span_id,)
