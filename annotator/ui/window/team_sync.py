"""The window's side of a team server: background sync and File > Team.

A project linked to a server (``annotator server join``, or File > Team > Connect to
Server…) syncs by itself: a few seconds after the last edit (``team/sync_delay``), every
``team/sync_interval`` seconds, when the window opens, on File > Team > Sync Now, and once
more when the window closes with changes waiting. Each sync runs in a job on a Project of its
own (workflows.sync.sync_file), so the window never waits for the network; what it brought
(other layers, new documents) is shown when it is done. The status bar says where things
stand: synced / N changes waiting / offline since 10:42 / N conflicts. A sync that takes
more than a moment (a first sync, a slow link), and every Sync Now, shows its step in a
progress bar beside it with a Cancel, which stops the query running (PostgreSQL cancels it)
and the sync: what was sent and acknowledged stays so; a send or receive cut off is rolled
back whole on both sides and goes with the next sync.

The window keeps working while the server is out of reach: every edit is on disk at once and
waits in the change log until a sync gets through.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from ...store import ProjectError
from ...store.server import Interrupted, Interruptible, ServerError, ServerUnreachable
from ...workflows.sync import (SyncError, SyncStatus, conflicts_text, open_conflicts, status_words, sync_file,
                               sync_status)
from ..common.settings import Settings
from ..jobs.worker import Job, JobCancelled, JobContext
from ..session.document_session import DocumentSession
from ..session.layers import Layers
from ..views.status_bar import StatusBar

CLOSE_CONNECT_TIMEOUT = 3  # seconds the last sync on close may wait for the server
SHOW_PROGRESS_MS = 700  # a background sync shows its progress and Cancel only when it takes longer


class TeamSync(QObject):
    synced = Signal(object)  # SyncResult, after each background sync that got through

    def __init__(self, session: DocumentSession, status: StatusBar, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.status = status
        self.job: Job | None = None
        self.again = False  # asked while a sync ran: one more right after it
        self.stopped = False
        self.delay = QTimer(self)
        self.delay.setSingleShot(True)
        self.delay.setInterval(settings.value("team/sync_delay") * 1000)
        self.delay.timeout.connect(self.sync_now)
        self.periodic = QTimer(self)
        self.periodic.setInterval(settings.value("team/sync_interval") * 1000)
        self.periodic.timeout.connect(self.sync_now)
        session.edited.connect(self._edited)
        self.step: tuple[int, int, str] = (0, 1, "")
        self.resolve_next: str | None = None  # a choice made while a sync ran: the next one applies it
        self.line: Interruptible | None = None  # the running sync's connection, for Cancel
        self.show_progress = QTimer(self)
        self.show_progress.setSingleShot(True)
        self.show_progress.setInterval(SHOW_PROGRESS_MS)
        self.show_progress.timeout.connect(self._show_progress)
        status.sync_cancel.clicked.connect(self.cancel)
        self.state = self._read_status()
        self._show()
        if self.linked:
            # One writer per layer: the window edits (and shows) only this annotator's layer and
            # the undecided suggestions; colleagues' spans arrive with syncs but stay theirs.
            session.set_layers(Layers(session.annotator, (), merged=False))
            self.periodic.start()
            QTimer.singleShot(0, self, self.sync_now)  # what others did while this window was closed

    @property
    def linked(self) -> bool:
        return self.state.linked

    def _read_status(self) -> SyncStatus:
        try:
            return sync_status(self.project)
        except (ProjectError, sqlite3.Error):
            return SyncStatus(False)

    def _show(self) -> None:
        text, tip = status_words(self.state, syncing=self.job is not None)
        self.status.set_sync(text, tip, problem=bool(self.state.offline_since or self.state.conflicts))

    def _edited(self, _outcome: object) -> None:
        if not self.linked or self.stopped or self.session.read_only:
            return
        self.state = self._read_status()
        self._show()
        self.delay.start()

    # ------------------------------------------------------------------ syncing
    def sync_now(self, *, visible: bool = False, resolve: str | None = None) -> None:
        """Sync in the background; ``visible`` (File > Team > Sync Now): show its progress at
        once; ``resolve`` ("mine" / "theirs"): decide the open conflicts so."""
        if not self.linked or self.stopped:
            return
        if self.job is not None:
            self.again = True
            self.resolve_next = resolve or self.resolve_next
            if visible:
                self._show_progress()
            return
        path = self.project.path
        self.step = (0, 1, "connecting")
        self.resolve_next = None
        self.line = line = Interruptible()

        def run(ctx: JobContext) -> object:
            try:
                return sync_file(path, resolve=resolve, progress=ctx.step, connect=line)
            except Interrupted:  # Cancel stopped a query in the middle of its step
                raise JobCancelled() from None

        self.job = Job(run, parent=self)
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self._succeeded)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self.job.finished.connect(self._finished)
        self._show()
        self.job.start()
        if visible:
            self._show_progress()
        else:
            self.show_progress.start()

    def cancel(self) -> None:
        """The status bar's Cancel: stop the running sync after its current step."""
        if self.job is not None:
            self.again = False
            self.job.cancel()
            if self.line is not None:
                self.line.interrupt()  # a long query (a first sync's send or receive) stops now
            self.status.sync_cancel.setEnabled(False)

    def _progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 3:
            self.step = value
            if self.status.sync_progress.isVisible():
                self._show_progress()

    def _show_progress(self) -> None:
        if self.job is not None and not self.stopped:
            self.status.set_sync_progress(*self.step)

    def _cancelled(self, _partial: object) -> None:
        if not self.stopped:
            self.session.say("Sync cancelled: what was sent stays sent; the rest goes with the next sync")

    def _succeeded(self, result: object) -> None:
        if self.stopped:
            return
        if getattr(result, "documents_added", 0):
            self.session.documents_added()
        if getattr(result, "received", 0):
            self.session.reload()  # the shown article's suggestions and statuses may have moved
        for line in conflicts_text(getattr(result, "new_conflicts", [])):
            self.session.say(f"Sync: {line}", error=True)
        self.synced.emit(result)

    def _failed(self, error: object, _trace: str) -> None:
        if self.stopped or isinstance(error, ServerUnreachable):
            return  # the status bar says "offline since …"; the next sync tries again
        if isinstance(error, ServerError | SyncError | ProjectError):
            self.session.say(f"Sync: {error}", error=True)
        else:
            self.session.say(f"Sync failed: {error}", error=True)

    def _finished(self) -> None:
        self.job = None
        self.line = None
        self.show_progress.stop()
        self.status.set_sync_progress(None)
        if self.stopped:
            return
        self.state = self._read_status()
        self._show()
        if self.again:
            self.again = False
            self.sync_now(resolve=self.resolve_next, visible=self.resolve_next is not None)

    def resolve_conflicts(self, window: QWidget) -> None:
        """File > Team > Resolve Conflicts…: list them; the choice goes with a sync at once."""
        from ..dialogs.sync_conflicts import SyncConflictsDialog

        try:
            conflicts = open_conflicts(self.project) if self.linked else []
        except (ProjectError, sqlite3.Error) as exc:
            self.session.say(f"Sync: {exc}", error=True)
            return
        dialog = SyncConflictsDialog(conflicts, parent=window)
        choice = dialog.choice if dialog.exec() else None
        dialog.deleteLater()
        if choice is not None:
            self.sync_now(visible=True, resolve=choice)

    def stop(self) -> None:
        """The window closes: timers off, the running sync finished, and one last sync when
        edits are waiting and the server was reachable (bounded: the window does not hang)."""
        if self.stopped:
            return
        self.stopped = True
        self.delay.stop()
        self.periodic.stop()
        if self.job is not None:
            self.job.wait(CLOSE_CONNECT_TIMEOUT * 1000 * 4)
        if not self.linked or self.project.read_only:
            return
        state = self._read_status()
        if state.waiting and not state.offline_since:
            with contextlib.suppress(ServerError, SyncError, ProjectError, sqlite3.Error):
                sync_file(self.project.path, connect=_quick_connect)


def _quick_connect(url: str) -> object:
    from ...store.server.connection import connect, connection_params

    params = connection_params(url)
    params["connect_timeout"] = str(CLOSE_CONNECT_TIMEOUT)
    return connect(" ".join(f"{k}='{_escape(v)}'" for k, v in params.items()))


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def add_team_menu(window: QMainWindow, file_menu: QMenu, before: QAction, connect: Callable[[], None],
                  team_sync: TeamSync) -> dict[str, QAction]:
    """File > Team: Connect to Server…, Sync Now, Resolve Conflicts…."""
    team = QMenu("&Team", file_menu)
    team.setObjectName("menu.team")
    actions = {}
    for action_id, title, tip, handler in (
            ("team.connect", "&Connect to Server…", "Join a team server: a project file of your own with the "
             "documents assigned to you, synced in the background", connect),
            ("team.sync_now", "&Sync Now", "Send your changes to the team server and bring everyone else's",
             lambda: team_sync.sync_now(visible=True)),
            ("team.resolve", "&Resolve Conflicts…", "Layers changed here and by someone else on the server: keep "
             "yours or take theirs", lambda: team_sync.resolve_conflicts(window))):
        action = QAction(title, window)
        action.setObjectName(action_id)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False, h=handler: h())
        team.addAction(action)
        actions[action_id] = action
    file_menu.insertMenu(before, team)
    return actions


def connect_to_server(window: QMainWindow, settings: Settings, open_path: Callable[[Path], object]) -> None:
    """File > Team > Connect to Server…: join, then open the project it made or linked."""
    from ..dialogs.connect_server import ConnectServerDialog

    dialog = ConnectServerDialog(settings, getattr(window, "project", None), parent=window)
    path = dialog.joined_path if dialog.exec() else None
    dialog.deleteLater()
    if path is not None:
        open_path(Path(path))
