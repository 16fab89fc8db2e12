"""The window's status bar: messages and prompts, read-only mode, the sticky label, indexing,
the position in the list, the annotator and how many documents are done.

A prompt (``prompt``: "Select the claimant … press Enter") stays while its step lasts and goes
when the step ends (``prompt("")``); a message is shown for a while and never outlives a newer
prompt or message.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QProgressBar, QStatusBar, QToolButton, QWidget

from ...store import ProjectError
from ..common.plain_text import plain_label
from ..session.document_session import DocumentSession

MESSAGE_MS = 8_000


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.mode_label = plain_label("read-only", name="modeLabel")
        self.mode_label.setToolTip("Another session holds this project's editing lock, or the file cannot be "
                                   "written: nothing can be changed here")
        self.position_label = plain_label(name="positionLabel")
        self.armed_label = plain_label(name="armedLabel")
        self.index_label = plain_label(name="indexLabel")
        self.annotator_label = plain_label(name="annotatorLabel")
        self.progress_label = plain_label(name="progressLabel")
        self.sync_label = plain_label(name="syncLabel")  # the team server: synced / N changes waiting / offline
        # A sync that takes a while: its step and a Cancel (ui/window/team_sync.py).
        self.sync_progress = QProgressBar()
        self.sync_progress.setObjectName("syncProgress")
        self.sync_progress.setMaximumWidth(140)
        self.sync_progress.setTextVisible(False)
        self.sync_cancel = QToolButton()
        self.sync_cancel.setObjectName("syncCancel")
        self.sync_cancel.setText("Cancel")
        self.sync_cancel.setToolTip("Stop this sync now: what the server acknowledged stays sent, the rest "
                                    "goes with the next sync")
        for label in (self.mode_label, self.armed_label, self.index_label, self.position_label,
                      self.annotator_label, self.progress_label, self.sync_label, self.sync_progress,
                      self.sync_cancel):
            self.addPermanentWidget(label)
        self.sync_progress.setVisible(False)
        self.sync_cancel.setVisible(False)
        self.armed_label.setVisible(False)
        self.index_label.setVisible(False)
        self.sync_label.setVisible(False)
        self._session: DocumentSession | None = None
        self._counts: tuple[int, int] | None = None
        self._prompt = ""
        self._review = ""  # review mode's progress, shown instead of the done count while it is on

    def follow(self, session: DocumentSession) -> None:
        self._session = session
        session.message.connect(self._message)
        session.prompt_changed.connect(self.prompt)
        session.read_only_changed.connect(self.mode_label.setVisible)
        session.status_changed.connect(self._counts_changed)
        session.documents_changed.connect(self._counts_changed)
        session.annotator_changed.connect(self._counts_changed)
        self.mode_label.setVisible(session.read_only)
        self.update_counts()

    # ------------------------------------------------------------------ messages
    def _message(self, text: str, error: bool) -> None:
        self.show_message(text, error=error)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self._prompt = ""
        self.showMessage(("⚠ " if error else "") + text, MESSAGE_MS * (2 if error else 1))

    def prompt(self, text: str) -> None:
        """Show ``text`` until the step ends; an empty text ends it (and clears it if shown)."""
        if text:
            self._prompt = text
            self.showMessage(text)
        elif self._prompt:
            if self.currentMessage() == self._prompt:
                self.clearMessage()
            self._prompt = ""

    # ------------------------------------------------------------------ permanent parts
    def set_position(self, text: str) -> None:
        self.position_label.setText(text)

    def set_armed(self, label: str | None) -> None:
        self.armed_label.setVisible(label is not None)
        self.armed_label.setText(f"● {label} armed (Esc stops)" if label else "")

    def set_indexing(self, text: str | None) -> None:
        self.index_label.setVisible(bool(text))
        self.index_label.setText(text or "")

    def set_sync(self, text: str, tooltip: str = "", *, problem: bool = False) -> None:
        """The team server's state ("" when the project syncs with none)."""
        self.sync_label.setVisible(bool(text))
        self.sync_label.setText(("⚠ " if problem else "⇅ ") + text if text else "")
        self.sync_label.setToolTip(tooltip)

    def set_sync_progress(self, done: int | None, total: int = 0, step: str = "") -> None:
        """A running sync's progress and Cancel (``done`` None: hidden)."""
        shown = done is not None
        self.sync_progress.setVisible(shown)
        self.sync_cancel.setVisible(shown)
        self.sync_cancel.setEnabled(shown)
        if shown:
            self.sync_progress.setRange(0, max(total, 1))
            self.sync_progress.setValue(done)
            self.sync_progress.setToolTip(f"Sync: {step}" if step else "Sync")

    def set_review(self, text: str) -> None:
        """Review mode's progress ("reviewed 1 of 3; 12 of 40 units decided"); "" when it ends."""
        self._review = text
        self.update_counts()

    def _counts_changed(self, *_args: object) -> None:
        self._counts = None
        self.update_counts()

    def update_counts(self) -> None:
        session = self._session
        if session is None:
            return
        if self._counts is None:
            try:
                # The annotator's own work: each marks documents done for themselves (docs/teams.md).
                self._counts = (session.project.document_count("done", annotator=session.annotator),
                                session.project.document_count())
            except (ProjectError, sqlite3.Error):
                self._counts = (0, 0)
        done, total = self._counts
        self.progress_label.setText(self._review or f"{done:,} of {total:,} done")
        name = session.annotator
        if self._review:  # review mode edits gold, not the reviewer's own layer: say so
            self.annotator_label.setText("editing: the gold layer")
        else:
            self.annotator_label.setText(f"annotator: {name}" if name else "annotator: (not set)")
