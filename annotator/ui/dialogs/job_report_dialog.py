"""The frame the import dialogs share: inputs, options, a progress line, a report, buttons.

A subclass builds its input box, its options box and its report view, then calls
``_build_frame``; it keeps its own ``_show_progress``, ``_succeeded``, ``_cancelled``,
``_failed``, ``_update_buttons`` and ``copy_report``. Starting a job, saying that it is
being cancelled, making room for the report and the end of a job are the same for all.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..common.plain_text import plain_label
from ..jobs.job_dialog import JobDialog
from ..jobs.worker import Job, JobContext


class JobReportDialog(JobDialog):
    """A JobDialog laid out top to bottom: inputs, options, progress, report, buttons."""

    result_size = (760, 760)  # the least room the report gets once shown, within the screen
    _read_only = False

    def _build_frame(self, name: str, inputs: QWidget, options: QWidget, report_view: QWidget,
                     action_text: str, action_name: str) -> QPushButton:
        """Lay the dialog out around ``report_view``; returns the action button (Import, Fetch…).

        ``name`` prefixes the object names tests and style sheets find the parts by.
        """
        self.progress_label = plain_label(name=f"{name}ProgressLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName(f"{name}Progress")
        self.progress_bar.setTextVisible(False)
        self.summary_label = plain_label(name=f"{name}Summary", wrap=True)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.report_view = report_view
        report_view.setObjectName(f"{name}Report")
        self.copy_button = QPushButton("Cop&y Report")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_report)
        self.result_box = QGroupBox("Report")
        result_layout = QVBoxLayout(self.result_box)
        result_layout.addWidget(self.summary_label)
        result_layout.addWidget(report_view, 1)
        copy_row = QHBoxLayout()
        copy_row.addStretch(1)
        copy_row.addWidget(self.copy_button)
        result_layout.addLayout(copy_row)
        self.result_box.hide()

        self.button_box = QDialogButtonBox()
        action = self.button_box.addButton(action_text, QDialogButtonBox.ButtonRole.ActionRole)
        action.setObjectName(action_name)
        action.setDefault(True)
        self.close_button = self.button_box.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setObjectName(f"{name}CloseButton")
        action.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        self._layout = layout
        self._inputs = inputs
        layout.addWidget(inputs, 1)
        layout.addWidget(options)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.result_box, 3)
        layout.addWidget(self.button_box)
        self.progress_label.hide()
        self.progress_bar.hide()
        if self._read_only:
            self.progress_label.setText(f"{self.project_path.name} is open read-only: nothing can be imported.")
            self.progress_label.show()
        return action

    def _run_job(self, work: Callable[[JobContext], object], busy_text: str) -> None:
        """Run ``work`` in a Job, busy until its first progress report says how much there is."""
        self.job = Job(work, self)
        # Bound methods, never lambdas that hold ``self``: the job frees its slots when it is
        # deleted, and if one held the last reference to this dialog, the dialog would be
        # destroyed inside the deletion of its own child (a crash).
        self.job.progress.connect(self._show_progress)
        self.job.succeeded.connect(self._succeeded)
        self.job.cancelled.connect(self._cancelled)
        self.job.failed.connect(self._failed)
        self.job.finished.connect(self._finished)
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText(busy_text)
        self.progress_label.show()
        self.progress_bar.show()
        self.result_box.hide()
        self.job.start()
        self._update_buttons()
        self.close_button.setFocus()

    def _cancel_saying(self, text: str) -> None:
        """Ask the running job to stop and say what happens meanwhile."""
        if not self.is_running or self.job is None:
            return
        self.job.cancel()
        self.progress_label.setText(text)
        self._update_buttons()

    def _show_result(self) -> None:
        self.result_box.show()
        self._layout.setStretchFactor(self._inputs, 0)  # the report takes the room now
        available = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = max(self.width(), self.result_size[0]), max(self.height(), self.result_size[1])
        if available is not None:
            width, height = min(width, available.width()), min(height, available.height())
        self.resize(width, height)

    def _finished(self) -> None:
        self.progress_bar.hide()
        self.progress_label.hide()
        self.close_button.setText("Close")
        self._update_buttons()
        self.close_button.setFocus()
