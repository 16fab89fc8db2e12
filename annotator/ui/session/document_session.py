"""The document session: the project, its undo stack and the document on screen.

Every edit goes through here as one command (commands.py and siblings). The session pushes
it, applies the ``Outcome`` each run reports exactly once (keeping the ``Span`` the store
returned) to the ``ShownDocument`` it holds, and tells the views what changed through
fine-grained signals, in one fixed order (spans, then claims, then status, then scheme).
Views subscribe to these signals (orange-canvas-core's ``Scheme`` -> ``CanvasScene``, Anki's
``operation_did_execute``); no controller is handed the window, and nothing here knows a widget.

    session = DocumentSession(project, annotator="alice")
    view.follow(session); table.follow(session)     # each view connects what it shows
    session.show(doc_id)                             # -> document_shown
    session.add_span(10, 16, "GPE")                  # -> span_added(Span)
    session.undo()                                   # -> span_removed(id)

An undo or redo in another document shows that document first (``document_shown``), then
``revealed``. An undo or redo the store refuses (the file changed under it) clears the history
with a message that says so, and the document is shown again as stored: the stack never
points at rows that are not what it thinks.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ...core.model import Claim, ClaimAttribute, Label, Span
from ...core.team import UNATTRIBUTED
from ...store import ProjectError
from ...store.project import Project
from .commands import (
    AddSpanCommand,
    DeleteSpanCommand,
    EditCommand,
    RelabelSpanCommand,
    ResizeSpanCommand,
    SetStatusCommand,
)
from .layers import Layers, ShownDocument, layer_title
from .outcome import Outcome, describe_error


class DocumentSession(QObject):
    # The document on screen (None: nothing shown) and incremental edits of it.
    document_shown = Signal(object)  # ShownDocument | None
    span_added = Signal(object)  # Span
    span_changed = Signal(object)  # Span, as it is now
    span_removed = Signal(int)
    claims_changed = Signal(object, object)  # the shown document's claims, the claim to open (span id) or None
    revealed = Signal(int)  # a span an undo or redo in another document was about
    # Project-wide.
    status_changed = Signal(int, str)  # doc id, status
    scheme_changed = Signal(object, object)  # labels, claim attributes
    aliases_changed = Signal()
    documents_changed = Signal()  # documents were added (an import, a merge) or statuses changed wholesale
    layers_changed = Signal(object)  # Layers: which layer is edited and which are shown beside it
    assignment_changed = Signal()  # who has which documents (a split, a merge)
    read_only_changed = Signal(bool)
    annotator_changed = Signal(object)  # whose work the window edits and counts now (a ref, or None)
    edited = Signal(object)  # every applied Outcome, last (dashboards, counts)
    message = Signal(str, bool)  # text, is an error
    prompt_changed = Signal(str)  # the prompt of a step in progress ("" when it ends)

    def __init__(self, project: Project, annotator: str | None = None, parent: QObject | None = None, *,
                 layers: Layers | None = None):
        super().__init__(parent)
        self.project = project
        self.layers = layers or Layers(editable=annotator)
        self.stack = QUndoStack(self)
        self.shown: ShownDocument | None = None
        self.blocked: str | None = None  # why edits must wait for now (said when one is refused), or None
        self.labels: list[Label] = []
        self.attributes: list[ClaimAttribute] = []
        self._kinds: dict[str, str] = {}
        self._broken: str | None = None  # an undo or redo the store refused, until handled
        self._macro: list[str] | None = None  # refusals inside a macro, told once at its end
        self.last_error: str | None = None  # why the last ``run`` was refused (a dialog shows it)
        self.read_scheme()

    # ------------------------------------------------------------------ state
    @property
    def annotator(self) -> str | None:
        return self.layers.editable

    @annotator.setter
    def annotator(self, name: str | None) -> None:
        """Edit as ``name`` from now on: statuses shown and set, counts and new spans are theirs."""
        if name == self.layers.editable:
            return
        self.layers = Layers(name, tuple(o for o in self.layers.others if o != name), self.layers.merged)
        self.annotator_changed.emit(name)
        self.reload()  # the shown document's status is the new annotator's

    @property
    def doc_id(self) -> int | None:
        return self.shown.doc_id if self.shown is not None else None

    @property
    def read_only(self) -> bool:
        return self.project.read_only

    def set_read_only(self, reason: str | None = None) -> None:
        """Stop editing (the lock was lost, the file is damaged): say why, once."""
        if self.project.read_only:
            return
        self.project.read_only = True
        self.read_only_changed.emit(True)
        if reason:
            self.say(reason, error=True)

    def kind(self, label: str) -> str:
        return self._kinds.get(label, "entity")

    def span(self, span_id: int) -> Span | None:
        """A span of the shown document's editable layer."""
        return self.shown.spans.get(span_id) if self.shown is not None else None

    def set_layers(self, layers: Layers) -> None:
        """Edit and show other layers (ui/session/layers.py; review edits gold); the shown document is read again."""
        self._take_layers(layers)
        self.reload()

    def _take_layers(self, layers: Layers) -> None:
        annotator = layers.editable != self.layers.editable
        self.layers = layers
        if annotator:
            self.annotator_changed.emit(layers.editable)
        self.layers_changed.emit(layers)

    def project_changed(self, *, scheme: bool = False, aliases: bool = False, assignment: bool = False,
                        layers: Layers | None = None) -> None:
        """A whole-project operation (a merge, a split) changed the file under the window: each
        view catches up once (lists and counts, labels, aliases, the assignment, the layers
        shown), then the shown document is read again, once."""
        if scheme:
            self.read_scheme()
        if aliases:
            self.aliases_changed.emit()
        if assignment:
            self.assignment_changed.emit()
        self.documents_changed.emit()  # documents added, statuses changed: lists and counts
        if layers is not None:
            self._take_layers(layers)
        self.reload()

    # ------------------------------------------------------------------ reading
    def read_scheme(self) -> None:
        try:
            self.labels = self.project.labels()
            self.attributes = self.project.claim_attributes()
        except sqlite3.Error as exc:
            self.say(f"Cannot read the labels: {exc}", error=True)
            return
        self._kinds = {label.name: label.kind for label in self.labels}
        self.scheme_changed.emit(self.labels, self.attributes)

    def show(self, doc_id: int | None) -> bool:
        """Read a document with its spans and claims and show it (None: nothing)."""
        if doc_id is None:
            self.shown = None
            self.document_shown.emit(None)
            return True
        try:
            document = self.project.document(doc_id)
            status = self.project.document_status(doc_id, annotator=self.annotator)
            mine, others, statuses = self._read_layers(doc_id)
            claims = self._claims_of(doc_id, {s.id for s in mine})
            details = self.project.span_details(doc_id)
        except (ProjectError, sqlite3.Error) as exc:
            self.say(describe_error(exc), error=True)
            return False
        text = document.text
        stale = {s.id for s in mine if text[s.start:s.end] != s.text and s.id is not None}
        self.shown = ShownDocument(doc_id, document.title, text, status, {s.id: s for s in mine if s.id},
                                   others, claims, stale, details, statuses)
        self.document_shown.emit(self.shown)
        return True

    def reload(self) -> None:
        self.show(self.doc_id)

    def _read_layers(self, doc_id: int) -> tuple[list[Span], dict[str, list[Span]], dict[str, str]]:
        """The editable layer's spans (with the undecided suggestions), each shown other
        layer's, and those layers' statuses; each layer read by its ref, so namesakes never mix."""
        layers = self.layers
        if layers.merged:
            return self.project.spans(doc_id), {}, {}
        mine = self.project.layer_spans(doc_id, layers.editable or UNATTRIBUTED, suggestions=True)
        others = {ref: self.project.layer_spans(doc_id, ref) for ref in layers.others}
        statuses = {ref: self.project.document_status(doc_id, annotator=ref) for ref in layers.others if ref}
        return mine, others, statuses

    def documents_added(self) -> None:
        """After an import: lists and counts catch up (documents are added, never changed)."""
        self.documents_changed.emit()

    def _claims_of(self, doc_id: int, mine: set) -> list[Claim]:
        # A rejected suggestion's claim stays in the file (a model learns from it), not on screen.
        return [c for c in self.project.claims(doc_id) if c.content.id in mine and c.content.state != "rejected"]

    def aliases(self) -> dict[str, str]:
        try:
            return self.project.claimant_aliases()
        except sqlite3.Error:
            return {}

    # ------------------------------------------------------------------ messages
    def say(self, text: str, *, error: bool = False) -> None:
        self.message.emit(text, error)

    def prompt(self, text: str) -> None:
        """A prompt that stays while its step lasts; ``prompt("")`` ends it."""
        self.prompt_changed.emit(text)

    # ------------------------------------------------------------------ edits
    def add_span(self, start: int, end: int, label: str) -> Span | None:
        """Tag a range of the shown document; the new span, or None when refused (said why)."""
        shown = self.shown
        if shown is None:
            return None
        command = self.run(lambda: AddSpanCommand(self.project, shown.doc_id, start, end, label,
                                                  annotator=self.annotator, kind=self.kind(label),
                                                  surface=shown.text[start:end]))
        return command.span if isinstance(command, AddSpanCommand) else None

    def delete_span(self, span_id: int) -> bool:
        return self._edit_span(span_id, lambda: DeleteSpanCommand(self.project, span_id))

    def relabel_span(self, span_id: int, label: str) -> bool:
        return self._edit_span(span_id, lambda: RelabelSpanCommand(self.project, span_id, label))

    def resize_span(self, span_id: int, start: int, end: int) -> bool:
        text = self.shown.text[start:end] if self.shown is not None else None
        return self._edit_span(span_id, lambda: ResizeSpanCommand(self.project, span_id, start, end, surface=text))

    def set_status(self, doc_id: int, status: str) -> bool:
        title = self.shown.title if self.shown is not None and self.shown.doc_id == doc_id else ""
        return self.run(lambda: SetStatusCommand(self.project, doc_id, status, title=title,
                                                 annotator=self.annotator)) is not None

    def _edit_span(self, span_id: int, build: Callable[[], QUndoCommand]) -> bool:
        shown = self.shown
        other = next((ref for ref, spans in shown.others.items() for s in spans if s.id == span_id), None) \
            if shown is not None else None
        if other is not None:
            self.refuse_layer_edit(other)
            return False
        return self.run(build) is not None

    def refuse_layer_edit(self, ref: str) -> None:
        """An edit aimed at another annotator's layer (shown read-only): refused, saying why."""
        self._refuse(f"That is in {layer_title(ref)}'s layer, shown read-only: it is not changed here. "
                     f"Your edits go to {self.layers.editable_title}'s layer.")

    def run(self, build: Callable[[], QUndoCommand]) -> QUndoCommand | None:
        """Build a command and push it: the command when it went onto the stack, None when it
        was refused (the reason goes out on ``message`` and stays in ``last_error``)."""
        self.last_error = None
        if self.blocked is not None:
            return self._refuse(self.blocked)
        if self.project.read_only:
            return self._refuse("This project is open read-only: nothing can be changed.")
        try:
            command = build()
        except (ProjectError, sqlite3.Error) as exc:  # e.g. the span was deleted meanwhile
            return self._refuse(describe_error(exc))
        if isinstance(command, EditCommand):
            command.report = self._apply
        self.stack.push(command)  # runs redo(); a refused first run leaves the stack as it was
        # A refused command was deleted by the stack: only its Python attributes are read here.
        return None if isinstance(command, EditCommand) and command.error is not None else command

    def _refuse(self, reason: str) -> None:
        self.last_error = reason
        self.say(reason, error=True)

    @contextlib.contextmanager
    def macro(self, text: str) -> Iterator[list[str]]:
        """Edits that undo as one step; refusals inside are collected, not told one by one."""
        refused: list[str] = []
        self._macro = refused
        self.stack.beginMacro(text)
        try:
            yield refused
        finally:
            self.stack.endMacro()
            self._macro = None

    def undo(self) -> None:
        self._history_step(self.stack.undo)

    def redo(self) -> None:
        self._history_step(self.stack.redo)

    def _history_step(self, step: Callable[[], None]) -> None:
        if self.blocked is not None or self.project.read_only:
            return
        self._broken = None
        step()
        if self._broken is not None:
            reason, self._broken = self._broken, None
            self.stack.clear()
            self.say(f"Undo history cleared: {reason}. The file has not what the history expected (changed "
                     "elsewhere?); the article now shows what is stored.", error=True)
            self.reload()

    # ------------------------------------------------------------------ applying
    def _apply(self, outcome: Outcome) -> None:
        """One run of a command: the one place where an edit reaches the views."""
        if outcome.error is not None:
            self.last_error = outcome.error
            if not outcome.first:
                self._broken = outcome.error
            elif self._macro is not None:
                self._macro.append(outcome.error)
            else:
                self.say(outcome.error, error=True)
            return
        if outcome.scheme:
            self.read_scheme()
        if outcome.aliases:
            self.aliases_changed.emit()
        shown = self.shown
        if outcome.doc_id is not None and (shown is None or outcome.doc_id != shown.doc_id):
            # An undo or redo of an edit in another document: go there, it shows the change.
            if outcome.status is not None:
                self.status_changed.emit(outcome.doc_id, outcome.status)
            if self.show(outcome.doc_id):
                target = outcome.focus or next(iter(outcome.span_ids), None)
                if target is not None:
                    self.revealed.emit(target)
                if outcome.claims and outcome.focus is not None and self.shown is not None:
                    self.claims_changed.emit(self.shown.claims, outcome.focus)  # opens that claim
            self.edited.emit(outcome)
            return
        if shown is not None and (outcome.reload or (outcome.doc_id is None and outcome.claims)):
            self.show(shown.doc_id)
        elif shown is not None:
            self._apply_spans(shown, outcome)
        if outcome.status is not None and outcome.doc_id is not None:
            if shown is not None and shown.doc_id == outcome.doc_id:
                shown.status = outcome.status
            self.status_changed.emit(outcome.doc_id, outcome.status)
        self.edited.emit(outcome)

    def _apply_spans(self, shown: ShownDocument, outcome: Outcome) -> None:
        linked = shown.linked_span_ids()
        touched = False
        for span_id in outcome.removed:
            if shown.spans.pop(span_id, None) is not None:
                shown.stale.discard(span_id)
                shown.details.pop(span_id, None)
                self.span_removed.emit(span_id)
                touched |= span_id in linked
        for span in outcome.added:
            if span.id is not None and self.layers.owns(span):
                shown.spans[span.id] = span
                if span.id in outcome.details:
                    shown.details[span.id] = outcome.details[span.id]
                self.span_added.emit(span)
        for span in outcome.changed:
            if span.id is None or span.id not in shown.spans:
                continue
            shown.spans[span.id] = span
            if shown.text[span.start:span.end] == span.text:
                shown.stale.discard(span.id)
            self.span_changed.emit(span)
            touched |= span.id in linked
        if outcome.claims or touched:
            try:
                shown.claims = self._claims_of(shown.doc_id, set(shown.spans))
            except (ProjectError, sqlite3.Error) as exc:
                self.say(describe_error(exc), error=True)
                return
            self.claims_changed.emit(shown.claims, outcome.focus if outcome.claims else None)
