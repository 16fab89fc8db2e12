"""Choosing where suggestions come from, and suggesting in the whole project in the background.

Both dialogs read the project on the GUI thread (small reads) and leave the slow parts to
``Job``s: loading spaCy to list installed pipelines or to check a pattern file, and the
project run, which opens a Project of its own in its thread (one Project per thread).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QGroupBox,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..jobs.job_dialog import JobDialog
from ..common.plain_text import plain_label as _plain
from ...core.problems import InputError
from ...store import Project, ProjectError
from ...workflows.suggesting import SourceSpec, SuggestError, SuggestRun, suggest_in_child
from ..jobs.worker import Job, JobContext
from .source_dialog import note_label


def run_suggest(path: Path, spec: SourceSpec, only: str, with_scores: bool, ctx: JobContext) -> SuggestRun:
    """The project run, as a child process (``annotator suggest``) followed from a worker thread."""
    return suggest_in_child(path, spec, only, score=with_scores,
                            progress=lambda done, total, added: ctx.progress(done, total, added),
                            cancelled=ctx.is_cancelled)


class SuggestProjectDialog(JobDialog):
    """Model > Suggest in Project: every document (or those still to do), in the background."""

    finished_run = Signal(list)  # ids of the documents that got suggestions

    def __init__(self, project: Project, spec: SourceSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Suggest in Project")
        self.setObjectName("suggestProjectDialog")
        self.path = Path(project.path)
        self.spec = spec
        self.job: Job | None = None
        self.run: SuggestRun | None = None
        try:
            self.todo = project.document_count("todo")
            self.total = project.document_count()
            trained = {m.name for m in project.models()}
        except sqlite3.Error:
            self.todo = self.total = 0
            trained = set()
        self.trained = spec.kind == "model" and (spec.name in trained or spec.ref in trained)
        self._build()

    def _build(self) -> None:
        self.source_label = _plain(f"Source: {self.spec.describe()}", name="suggestSource")
        self.todo_radio = QRadioButton(f"Documents still &to do ({self.todo:,})")
        self.all_radio = QRadioButton(f"&All documents ({self.total:,})")
        self.todo_radio.setChecked(True)
        self.rank_check = QCheckBox("&Rank documents by the model's uncertainty (about twice as long)")
        self.rank_check.setObjectName("rankCheck")
        self.rank_check.setEnabled(self.trained)
        self.rank_check.setToolTip("For Go > Next Uncertain Document: the documents the model is least sure about "
                                   "first" if self.trained else "Only for a model trained in this project (Model > Train…)")
        box = QGroupBox("Suggest in")
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.todo_radio)
        box_layout.addWidget(self.all_radio)
        box_layout.addWidget(self.rank_check)
        self.progress_label = _plain(name="suggestProgressLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("suggestProgress")
        self.progress_bar.setTextVisible(False)
        self.summary = _plain(name="suggestSummary")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("&Start", QDialogButtonBox.ButtonRole.ActionRole)
        self.start_button.setObjectName("suggestStart")
        self.start_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("suggestClose")
        self.start_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addWidget(note_label("Change the source with Model > Suggestion Source. Each batch of documents is saved "
                               "whole: Cancel keeps what is done, and running again adds only what is missing."))
        layout.addWidget(box)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.progress_label.hide()
        self.progress_bar.hide()
        self.setMinimumWidth(600)

    def start(self) -> None:
        if self.is_running:
            return
        only = "all" if self.all_radio.isChecked() else "todo"
        rank = self.rank_check.isChecked() and self.trained
        path, spec = self.path, self.spec
        self.job = Job(lambda ctx: run_suggest(path, spec, only, rank, ctx), self)
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self._succeeded)
        self.job.cancelled.connect(self._cancelled)
        self.job.failed.connect(self._failed)
        self.job.finished.connect(self._finished)
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText(f"Loading {self.spec.describe()}…")
        self.progress_label.show()
        self.progress_bar.show()
        self.summary.clear()
        for widget in (self.todo_radio, self.all_radio, self.rank_check, self.start_button):
            widget.setEnabled(False)
        self.close_button.setText("&Cancel")
        self.job.start()

    def _progress(self, value: tuple[int, int, int]) -> None:
        done, total, added = value
        self.progress_bar.setRange(0, max(1, total))
        self.progress_bar.setValue(done)
        if self.job is not None and self.job.is_cancel_requested:
            return
        self.progress_label.setText(f"{done:,} of {total:,} documents, {added:,} suggestions so far")

    def _succeeded(self, run: SuggestRun) -> None:
        self._done(run, cancelled=False)

    def _cancelled(self, run: SuggestRun | None) -> None:
        self._done(run, cancelled=True)

    def _done(self, run: SuggestRun | None, cancelled: bool) -> None:
        if run is None:
            self.summary.setText("Cancelled.")
            return
        self.run = run
        if cancelled:
            run.cancelled = True
        self.summary.setText(run.summary() + (f"; {run.scored:,} documents ranked" if run.scored else ""))
        self.finished_run.emit(run.doc_ids)

    def _failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, InputError):
            text = "The pattern files were refused:\n" + "\n".join(str(p) for p in error.problems[:20])
        elif isinstance(error, (SuggestError, ProjectError)):
            text = str(error)
        else:
            text = f"Suggesting failed: {type(error).__name__}: {error}"
        self.summary.setText(text)

    def _finished(self) -> None:
        self.progress_bar.hide()
        self.progress_label.hide()
        self.close_button.setText("Close")
        self.close_button.setEnabled(True)
        self.start_button.setEnabled(True)
        for widget in (self.todo_radio, self.all_radio):
            widget.setEnabled(True)
        self.rank_check.setEnabled(self.trained)

    def cancel(self) -> None:
        if self.is_running and self.job is not None:
            self.job.cancel()
            self.progress_label.setText("Cancelling: finishing the batch in progress…")
            self.close_button.setEnabled(False)


__all__ = ["SuggestProjectDialog", "run_suggest"]
