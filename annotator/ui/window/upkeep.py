"""The window's work in the background: spaCy's tokens for the shown article, the integrity
check of a file opened without one, the search index catching up, and the editing lock's
heartbeat.

``Upkeep`` is given the session and the parts it updates (the article's tokens, the status
bar's indexing note, the document list after indexing); what needs the window (a damaged file's
message box) goes out as a signal.

Edits are allowed while the integrity check runs (issue 17): a file found damaged turns
read-only then, and the project writes nothing more to it. A file exactly as this program
closed it (its clean-close record matched at open) needs no check. A lost editing lock is
noticed by the heartbeat or by the very next write (``Project.on_lock_lost``): either turns the
session read-only at once.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QObject, QTimer, Signal

from ...store import ProjectError
from ..jobs.background import IntegrityCheck, SearchIndexer, Tokenizer
from ..session.document_session import DocumentSession
from ..session.layers import ShownDocument
from ..text.text_view import AnnotationView
from ..views.document_pane import DocumentPane
from ..views.status_bar import StatusBar

HEARTBEAT_MS = 30_000


class Upkeep(QObject):
    damaged = Signal(list)  # the integrity check's problems: the file is open read-only now

    def __init__(self, session: DocumentSession, view: AnnotationView, pane: DocumentPane, status: StatusBar, *,
                 checked: bool):
        super().__init__(view)
        self.session = session
        self.project = session.project
        self.view = view
        self.pane = pane
        self.status = status
        self.stopped = False
        # False: opened without the integrity check; it runs in the background, edits allowed
        # meanwhile. A file as this program closed it (its clean-close record matched) needs none.
        checked = checked or self.project.verified is True
        if checked:
            self.project.note_check([])  # known sound: the close leaves the clean-close record
        self.checked = checked
        self.sound = checked  # known to have passed the check (remembered at a clean close)
        self.tokenizer = Tokenizer(self.project.language, self)
        self.indexer = SearchIndexer(self.project.path, self)
        self.integrity = IntegrityCheck(self.project.path, self)
        self.heartbeat_timer = QTimer(self)
        self.heartbeat_timer.setInterval(HEARTBEAT_MS)
        self.heartbeat_timer.timeout.connect(self._heartbeat)
        self.integrity.done.connect(self._integrity_checked)
        self.integrity.unavailable.connect(self._integrity_unavailable)
        self.project.on_lock_lost = self._lock_taken_over  # a write found the lock taken over
        self.tokenizer.ready.connect(self._tokens_ready)
        self.indexer.progress.connect(self._index_progress)
        self.indexer.finished.connect(self._index_finished)
        session.document_shown.connect(self._document_shown)
        session.read_only_changed.connect(self._read_only_changed)
        if not self.project.read_only:
            self.heartbeat_timer.start()

    # ------------------------------------------------------------ tokens
    def _document_shown(self, shown: ShownDocument | None) -> None:
        if shown is None:
            return
        # After this document is on screen: spaCy's first load (seconds, in a thread) must not
        # hold up the first paint; the fallback tokens serve until then. Cached tokens go the
        # same way: this slot runs before the article's own (it connected first), and the
        # article drops the tokens of the document it is about to show again (a reload).
        QTimer.singleShot(0, self, lambda doc_id=shown.doc_id, text=shown.text: self._request_tokens(doc_id, text))

    def _request_tokens(self, doc_id: int, text: str) -> None:
        if doc_id == self.session.doc_id and not self.stopped:
            self.tokenizer.request(doc_id, text)

    def _tokens_ready(self, doc_id: int, spans: list) -> None:
        if doc_id == self.session.doc_id:
            self.view.set_tokens(spans)

    # ------------------------------------------------------------ check and index
    def start(self) -> None:
        """After the first paint: check the file if it was opened unchecked, then index."""
        if self.stopped:
            return
        if not self.checked:
            self.checked = True
            self.status.set_indexing("checking the project file…")
            self.integrity.start()
            return  # the rest follows when the file has passed
        if self.project.read_only:
            return
        try:
            pending = self.project.search_pending_count()
        except sqlite3.Error:
            return
        if pending:
            self.indexer.start()

    def _integrity_checked(self, problems: list) -> None:
        self.status.set_indexing(None)
        self.sound = not problems
        # The verdict is the project's: a damaged one refuses every write from now on, and its
        # close writes nothing (no lock release, no checkpoint).
        self.project.note_check(problems)
        if problems:
            self.session.set_read_only()
            self.damaged.emit(problems)
            return
        self.start()

    def _integrity_unavailable(self, reason: str) -> None:
        """The check itself could not run (the disk, not the file): say so, judge nothing."""
        self.status.set_indexing(None)
        self.session.say(f"The project file could not be checked: {reason}", error=True)

    def _index_progress(self, done: int, total: int) -> None:
        self.status.set_indexing(f"indexing for search: {done:,} of {total:,}")

    def _index_finished(self, _done: int) -> None:
        self.status.set_indexing(None)
        if self.pane.model.search_query:
            self.pane.reload()

    # ------------------------------------------------------------ the editing lock
    def _heartbeat(self) -> None:
        try:
            still_ours = self.project.heartbeat()
        except (ProjectError, sqlite3.Error):
            return  # busy (an import is writing): the next beat tries again
        if not still_ours:
            self._lock_taken_over()

    def _lock_taken_over(self) -> None:
        """Another session took the editing lock over (noticed by a heartbeat or a refused write)."""
        self.session.set_read_only("Another session took over this project: it is read-only here now; "
                                   "nothing was changed by the last edit.")

    def _read_only_changed(self, read_only: bool) -> None:
        if read_only:
            self.heartbeat_timer.stop()

    def pause_heartbeat(self) -> None:
        self.heartbeat_timer.stop()

    def resume_heartbeat(self) -> None:
        if not self.project.read_only and not self.stopped:
            self.heartbeat_timer.start()

    def stop(self) -> None:
        self.stopped = True
        self.project.on_lock_lost = None
        self.heartbeat_timer.stop()
        self.integrity.stop()
        self.indexer.stop()
        self.tokenizer.stop()
