"""What the team dialogs share: a form, one background job with a progress bar and Cancel,
then the outcome as a headline and text to read or copy.

The job runs a workflow function on a worker thread with a Project of its own (a Project
belongs to one thread), as import and export do; Esc, Cancel and the close button ask it to
stop between steps, and the dialog stays open to say how it ended.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QGroupBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..common.plain_text import plain_label
from ..jobs.job_dialog import JobDialog
from ..jobs.worker import Job, JobContext


class TeamJobDialog(JobDialog):
    def __init__(self, title: str, action: str, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName(name)
        self.form_box = QGroupBox()
        self.progress_label = plain_label(name=f"{name}Progress")
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.headline = plain_label(name=f"{name}Headline", wrap=True)
        self.result_view = QPlainTextEdit()
        self.result_view.setObjectName(f"{name}Result")
        self.result_view.setReadOnly(True)
        self.result_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.result_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.buttons = QDialogButtonBox()
        self.action_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.ActionRole)
        self.action_button.setObjectName(f"{name}Start")
        self.action_button.setDefault(True)
        self.copy_button = QPushButton("C&opy Result")
        self.copy_button.setAutoDefault(False)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName(f"{name}Close")
        self.action_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_result)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form_box)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.headline)
        layout.addWidget(self.result_view, 1)
        layout.addWidget(self.buttons)
        for widget in (self.progress_label, self.progress_bar, self.headline, self.result_view, self.copy_button):
            widget.hide()
        self.setMinimumWidth(620)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), 700), hint.height())

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        """Start the job with the choices on screen (the action button)."""
        raise NotImplementedError

    def can_start(self) -> bool:
        return True

    def run(self, function: Callable[[JobContext], Any], first_message: str) -> None:
        self.job = Job(function, self)
        # Bound methods only: a job frees its slots when deleted, and a lambda holding this
        # dialog could take its last reference with it (ui/jobs/worker.py).
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self.succeeded)
        self.job.cancelled.connect(self.cancelled)
        self.job.failed.connect(self.failed)
        self.job.finished.connect(self._finished)
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText(first_message)
        for widget in (self.progress_label, self.progress_bar):
            widget.show()
        for widget in (self.headline, self.result_view, self.copy_button):
            widget.hide()
        self.job.start()
        self.update_buttons()
        self.close_button.setFocus()

    def cancel(self) -> None:
        if self.is_running and self.job is not None:
            self.job.cancel()
            self.progress_label.setText(self.cancelling_text())
            self.update_buttons()

    def cancelling_text(self) -> str:
        return "Cancelling…"

    def _progress(self, value: tuple[int, int, str]) -> None:
        done, total, message = value
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
        if self.job is not None and not self.job.is_cancel_requested:
            self.progress_label.setText(message[:1].upper() + message[1:])

    def succeeded(self, result: object) -> None:
        raise NotImplementedError

    def cancelled(self, partial: object) -> None:
        raise NotImplementedError

    def failed(self, error: BaseException, trace: str) -> None:
        raise NotImplementedError

    def show_result(self, headline: str, text: str = "") -> None:
        self.headline.setText(headline)
        self.headline.show()
        self.result_view.setPlainText(text)
        self.result_view.setVisible(bool(text))
        self.copy_button.setVisible(bool(text))
        if text:  # room for a few files' lines without scrolling; the dialog grows to hold it
            lines = min(10, text.count("\n") + 2)
            self.result_view.setMinimumHeight(self.result_view.fontMetrics().lineSpacing() * lines + 12)
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _finished(self) -> None:
        self.progress_bar.hide()
        self.progress_label.hide()
        self.update_buttons()
        self.close_button.setFocus()

    def update_buttons(self) -> None:
        running = self.is_running
        self.form_box.setEnabled(not running)
        self.action_button.setEnabled(not running and self.can_start())
        cancelling = running and self.job is not None and self.job.is_cancel_requested
        self.close_button.setEnabled(not cancelling)
        self.close_button.setText("&Cancel" if running else "&Close")

    def copy_result(self) -> None:
        QGuiApplication.clipboard().setText(f"{self.headline.text()}\n\n{self.result_view.toPlainText()}".strip())
