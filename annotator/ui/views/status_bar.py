"""The window's status bar: messages and prompts, read-only mode, the sticky label, indexing,
the position in the list, the annotator and how many documents are done.

A prompt (``prompt``: "Select the claimant … press Enter") stays while its step lasts and goes
when the step ends (``prompt("")``); a message is shown for a while and never outlives a newer
prompt or message.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QStatusBar, QWidget

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
        for label in (self.mode_label, self.armed_label, self.index_label, self.position_label,
                      self.annotator_label, self.progress_label):
            self.addPermanentWidget(label)
        self.armed_label.setVisible(False)
        self.index_label.setVisible(False)
        self._session: DocumentSession | None = None
        self._counts: tuple[int, int] | None = None
        self._prompt = ""

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
        self.progress_label.setText(f"{done:,} of {total:,} done")
        name = session.annotator
        self.annotator_label.setText(f"annotator: {name}" if name else "annotator: (not set)")
