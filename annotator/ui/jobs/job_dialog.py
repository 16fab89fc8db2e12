"""A dialog that runs one background Job at a time (import, export, suggest, train).

Esc, Cancel and the window's close button cancel a running job and keep the dialog open, so
it can say how the job ended; closing for good (the parent goes) cancels and waits, since a
job outliving its dialog would be deleted with it, unfinished.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from .worker import Job


class JobDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.job: Job | None = None

    @property
    def is_running(self) -> bool:
        return self.job is not None and self.job.is_running

    def cancel(self) -> None:
        """Ask the running job to stop (subclasses also say so on screen)."""
        if self.is_running and self.job is not None:
            self.job.cancel()

    def reject(self) -> None:
        if self.is_running:
            self.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.is_running and self.job is not None:
            self.job.cancel_and_wait()
        super().done(result)
