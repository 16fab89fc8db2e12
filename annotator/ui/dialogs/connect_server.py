"""File > Team > Connect to Server…: join a team server as one annotator.

    dialog = ConnectServerDialog(settings, current_project, parent=window)
    if dialog.exec():
        window.open_path(dialog.joined_path)   # made (or linked) and synced once

The address never holds a password (one typed into it is refused with what to do instead);
libpq finds it in ~/.pgpass, the file PGPASSFILE names, or a service file. Joining runs off
the GUI thread with its step in a progress bar; a failure is shown in one line in the dialog,
which stays open to try again. Cancel while it runs stops the query running and the join (a
file it was making is removed; a file it was linking stays linked, and its next sync goes on).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...store import Project
from ...store.server import Interrupted, Interruptible
from ..common import file_chooser
from ..common.plain_text import plain_label
from ..common.settings import Settings
from ..jobs.worker import Job, JobCancelled, JobContext
from .new_project import project_path

PASSWORD_NOTE = ("Your password is never typed here: keep it in ~/.pgpass (or the file PGPASSFILE names) or in a "
                 "service file, and give the address without it. Servers on other machines are reached over TLS.")


class ConnectServerDialog(QDialog):
    def __init__(self, settings: Settings, project: Project | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Connect to a Team Server")
        self.setObjectName("connectServerDialog")
        self.settings = settings
        self.joined_path: Path | None = None
        self.job: Job | None = None
        self._joining: Path | None = None  # the project file a join is making
        self.line = Interruptible()  # the join's connection, for Cancel
        self.address = QLineEdit(settings.value("team/server"))
        self.address.setObjectName("serverAddress")
        self.address.setPlaceholderText("postgresql://alice@db.example.org/annotation  or  service=annotation")
        self.name = QLineEdit(settings.value("annotator/name"))
        self.name.setObjectName("annotatorName")
        self.name.setPlaceholderText("the name your lead gave you")
        folder = project.path.parent if project is not None else Path(settings.value("projects/folder") or Path.home())
        self.folder = folder
        self.file = QLineEdit()
        self.file.setObjectName("projectFile")
        self._name_edited(self.name.text())
        self.name.textEdited.connect(self._name_edited)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(plain_label("Server &address:", self.address), self.address)
        form.addRow(plain_label("&Your name:", self.name), self.name)
        form.addRow(plain_label("Project &file:", self.file), row)
        note = plain_label(PASSWORD_NOTE + " An existing file of yours is linked, not replaced.", wrap=True)
        note.setObjectName("passwordNote")
        self.message = plain_label(name="connectMessage", wrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setObjectName("joinProgress")
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton("&Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setObjectName("connectButton")
        self.buttons.accepted.connect(self._join)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())

    def _name_edited(self, name: str) -> None:
        stem = name.strip() or "team"
        self.file.setText(str(self.folder / f"{stem}.annotator"))

    def _browse(self) -> None:
        name = file_chooser.save_file(self, "Project File", self.file.text(), "annotator projects (*.annotator)")
        if name:
            self.file.setText(name)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(("⚠ " if error else "") + text)

    def _join(self) -> None:
        from ...workflows.server_admin import join_server

        address, name, path = self.address.text().strip(), self.name.text().strip(), project_path(self.file.text())
        if not address or not name or path is None:
            self._say("Give the server's address, your name and a project file.", error=True)
            return
        self.settings.set_value("team/server", address)
        self._busy(True)
        self._say(f"Connecting to {address}…")
        self.line = line = Interruptible()

        def run(ctx: JobContext) -> object:
            try:
                return join_server(address, name, path, progress=ctx.step, connect=line)
            except Interrupted:  # Cancel stopped a query in the middle of its step
                raise JobCancelled() from None

        self._joining = path
        self.job = Job(run, parent=self)
        # Bound methods, never lambdas holding ``self``: the job frees its slots when it is
        # deleted, and the last reference to this dialog must not go with them (ui/jobs/worker.py).
        self.job.progress.connect(self._step)
        self.job.succeeded.connect(self._joined)
        self.job.failed.connect(self._join_failed)
        self.job.cancelled.connect(self._join_cancelled)
        self.job.finished.connect(self._join_finished)
        self.job.start()

    def _join_failed(self, error: BaseException, _trace: str) -> None:
        self._say(str(error), error=True)

    def _join_cancelled(self, _partial: object) -> None:
        path = self._joining
        self._say("Cancelled: nothing was joined." if path is None or not path.exists()
                  else f"Cancelled: {path.name} is linked; its next sync goes on from here.")

    def _join_finished(self) -> None:
        self._busy(False)

    def _step(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 3:
            done, total, text = value
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)
            self._say(f"Joining: {text}…")

    def _busy(self, busy: bool) -> None:
        for widget in (self.address, self.name, self.file, self.connect_button):
            widget.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)  # busy until the first step is known
        if not busy:
            self.job = None

    def _joined(self, result: object) -> None:
        self.joined_path = getattr(result, "path", None)
        self.accept()

    def reject(self) -> None:
        """Cancel (or Esc) while joining stops the join and keeps the dialog to say how it ended;
        otherwise it closes."""
        if self.job is not None and self.job.is_running:
            self.job.cancel()
            self.line.interrupt()
            self._say("Stopping after the current step…")
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.job is not None:  # closing for good (the window goes): never leave the join running
            self.job.cancel_and_wait(5_000)
        super().done(result)
