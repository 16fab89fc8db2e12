"""File > Team > Resolve Conflicts…: what to do with layers changed here and, by someone else,
on the team server (``annotator sync --resolve mine|theirs`` in the window).

    dialog = SyncConflictsDialog(conflicts, parent=window)
    if dialog.exec():
        team_sync.resolve(dialog.choice)   # "mine" or "theirs", for every conflict listed

Nothing is decided until the user presses one of the two buttons; Cancel leaves every conflict
open (kept here, not sent), as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QVBoxLayout, QWidget

from ...workflows.sync import local_time
from ..common.plain_text import plain_label

EXPLANATION = ("These document layers were changed here and, by someone else or from another file, on the team "
               "server since you last received them. Yours are kept in this file and not sent until you choose:\n"
               "• Keep Mine sends your version over theirs (you have seen theirs now);\n"
               "• Take Theirs replaces yours here with the server's.")


class SyncConflictsDialog(QDialog):
    def __init__(self, conflicts: Sequence, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Sync Conflicts")
        self.setObjectName("syncConflictsDialog")
        self.choice: str | None = None
        self.list = QListWidget()
        self.list.setObjectName("conflictList")
        for c in conflicts:
            when = local_time(c.written_at) or c.written_at[:16]
            self.list.addItem(f"{c.title or f'document {c.doc_id}'}: layer {c.layer}, changed on the server by "
                              f"{c.written_by} ({when})")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.mine = self.buttons.addButton("Keep &Mine", QDialogButtonBox.ButtonRole.AcceptRole)
        self.mine.setObjectName("keepMine")
        self.theirs = self.buttons.addButton("Take &Theirs", QDialogButtonBox.ButtonRole.AcceptRole)
        self.theirs.setObjectName("takeTheirs")
        self.mine.clicked.connect(lambda: self._choose("mine"))
        self.theirs.clicked.connect(lambda: self._choose("theirs"))
        self.buttons.rejected.connect(self.reject)
        for button in (self.mine, self.theirs):
            button.setEnabled(bool(conflicts))
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(EXPLANATION if conflicts else "No conflicts: every layer here is in step "
                                     "with the server.", name="conflictsNote", wrap=True))
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.resize(620, 320)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
