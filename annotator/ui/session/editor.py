"""Turns user intents into undoable commands on one undo stack, and reports what changed.

The window asks for an edit ("tag 10-16 as GPE"); the editor builds the command, pushes it,
and every run of it (first, undo, redo) comes back as an ``Effect`` on ``changed``. Nothing
here raises into the event loop: a refusal, a read-only project or a busy file becomes an
Effect with ``error``, which the window shows in the status bar.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ...core.changes import Change
from ...store import ProjectError
from ...store.project import Project
from .commands import (
    AcceptSuggestionCommand,
    AddSpanCommand,
    DeleteSpanCommand,
    Effect,
    RelabelSpanCommand,
    ResizeSpanCommand,
    SetSpanStateCommand,
    SetStatusCommand,
    describe_error,
)


class Editor(QObject):
    changed = Signal(object)  # Effect

    def __init__(self, project: Project, annotator: str | None, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.annotator = annotator
        self.stack = QUndoStack(self)
        # Why edits wait (e.g. the file is still being checked), or None.
        self.blocked: str | None = None
        self._kinds: dict[str, str] = {}
        self.reload_labels()

    def reload_labels(self) -> None:
        try:
            self._kinds = self.project.label_kinds()
        except sqlite3.Error:
            pass  # keep the old ones; the next edit will say what is wrong

    def kind(self, label: str) -> str:
        return self._kinds.get(label, "entity")

    # ------------------------------------------------------------------ edits
    def add_span(self, doc_id: int, start: int, end: int, label: str, surface: str = "") -> int | None:
        """Returns the new span's id, or None when refused (the reason went out as an Effect)."""
        command = self._make(lambda: AddSpanCommand(
            self.project, doc_id, start, end, label, annotator=self.annotator, kind=self.kind(label),
            notify=self._notify, surface=surface), doc_id)
        if command is None or not self._push(command):
            return None
        return command.span_id

    def delete_span(self, span_id: int, doc_id: int) -> bool:
        command = self._make(lambda: DeleteSpanCommand(self.project, span_id, notify=self._notify), doc_id)
        return command is not None and self._push(command)

    def relabel_span(self, span_id: int, label: str, doc_id: int) -> bool:
        command = self._make(lambda: RelabelSpanCommand(self.project, span_id, label, notify=self._notify), doc_id)
        return command is not None and self._push(command)

    def resize_span(self, span_id: int, start: int, end: int, doc_id: int) -> bool:
        command = self._make(lambda: ResizeSpanCommand(self.project, span_id, start, end, notify=self._notify),
                             doc_id)
        return command is not None and self._push(command)

    def accept_suggestion(self, span_id: int, label: str, doc_id: int) -> bool:
        command = self._make(lambda: AcceptSuggestionCommand(self.project, span_id, label, notify=self._notify,
                                                             annotator=self.annotator),
                             doc_id)
        return command is not None and self._push(command)

    def reject_suggestion(self, span_id: int, doc_id: int) -> bool:
        command = self._make(lambda: SetSpanStateCommand(self.project, span_id, "rejected", notify=self._notify,
                                                         annotator=self.annotator),
                             doc_id)
        return command is not None and self._push(command)

    def set_status(self, doc_id: int, status: str, title: str = "") -> bool:
        command = self._make(lambda: SetStatusCommand(self.project, doc_id, status, notify=self._notify,
                                                      title=title), doc_id)
        return command is not None and self._push(command)

    def run(self, build: Callable[[], QUndoCommand], doc_id: int | None) -> QUndoCommand | None:
        """Build and push a command made elsewhere (the claim commands); the command when it
        went onto the stack, None when it was refused (the reason went out as an Effect)."""
        command = self._make(build, doc_id)
        if command is None or not self._push(command):
            return None
        return command

    # ---------------------------------------------------------------- plumbing
    def _make(self, build: Callable[[], QUndoCommand], doc_id: int | None):  # noqa: ANN202 - the command
        if self.blocked is not None:
            self._notify(Effect(Change.NONE, doc_id, (), False, self.blocked))
            return None
        try:
            return build()
        except (ProjectError, sqlite3.Error) as exc:  # e.g. the span was deleted meanwhile
            self._notify(Effect(Change.NONE, doc_id, (), False, describe_error(exc)))
            return None

    def _push(self, command) -> bool:  # noqa: ANN001 - an EditCommand
        before = self.stack.index()
        self.stack.push(command)  # runs redo(); a refused first run leaves the stack as it was
        return self.stack.index() > before

    def _notify(self, effect: Effect) -> None:
        self.changed.emit(effect)

    def undo(self) -> None:
        if self.blocked is None:
            self.stack.undo()

    def redo(self) -> None:
        if self.blocked is None:
            self.stack.redo()
