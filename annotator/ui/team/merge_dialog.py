"""File > Team > Merge Annotations From…: annotators' project files merged into this one.

The same as ``annotator merge`` (workflows/merging.py): each file's layers come in whole, by
content, one transaction per file; a refused file is reported and the others are merged;
Cancel rolls back the file being merged (the ones before it stay). The window then catches
up with what changed through the session (``MergeDialog.merged``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.textutil import path_text
from ...store import Project
from ...workflows.merging import MergeCancelled, MergeError, MergeOptions, MergeResult, merge_source, summary_text
from ..common import file_chooser
from ..common.plain_text import plain_label
from ..jobs.worker import JobCancelled, JobContext
from .team_job import TeamJobDialog

FILTER = "annotator projects (*.annotator);;All files (*)"


def run_merge(path: Path, sources: list[Path], options: MergeOptions, ctx: JobContext) -> MergeResult:
    """The job: each file in turn (workflows.merging.merge_projects), with a Project of this
    thread's own; a cancel keeps the files merged before it and says which (JobCancelled)."""
    result = MergeResult()
    with Project.open(path, check=False) as project:
        for source in sources:
            try:
                result.summaries.append(merge_source(project, source, options, ctx.progress, ctx.is_cancelled))
            except MergeCancelled:
                raise JobCancelled(result) from None
            except MergeError as exc:
                result.errors.append((source, exc))
    return result


def result_text(result: MergeResult) -> str:
    lines = [summary_text(summary) for summary in result.summaries]
    for path, error in result.errors:
        lines.append(f"refused: {error}")
        lines.append(f"refused: {path_text(str(path))}: nothing from this file was merged")
    return "\n".join(lines)


def changed(result: MergeResult) -> bool:
    return any(not summary.nothing_new for summary in result.summaries)


class MergeDialog(TeamJobDialog):
    merged = Signal(object)  # MergeResult: what came in (also after a cancel, for the files before it)

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__("Merge Annotations From Annotators' Files", "&Merge", "merge", parent)
        self.path = Path(project.path)
        self.result: MergeResult | None = None
        self._build()
        self.update_buttons()

    def _build(self) -> None:
        self.files = QListWidget()
        self.files.setObjectName("mergeFiles")
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.files.setMinimumHeight(110)
        add = QPushButton("&Add Files…")
        add.setObjectName("mergeAdd")
        add.setAutoDefault(False)
        add.clicked.connect(self.choose_files)
        remove = QPushButton("&Remove")
        remove.setAutoDefault(False)
        remove.clicked.connect(self.remove_selected)
        side = QVBoxLayout()
        side.addWidget(add)
        side.addWidget(remove)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.files, 1)
        row.addLayout(side)
        self.add_labels_check = QCheckBox("Add &labels, claim attributes and choices this project lacks")
        self.add_labels_check.setObjectName("mergeAddLabels")
        note = plain_label("Each file's layers come in whole, matched by content; merging a file again adds "
                           "nothing, and an updated copy replaces that annotator's earlier work here. No other "
                           "layer is touched. Each file comes in whole or not at all.", wrap=True)
        note.setEnabled(False)
        layout = QVBoxLayout(self.form_box)
        layout.addWidget(plain_label("Annotators' &project files:", self.files))
        layout.addLayout(row)
        layout.addWidget(self.add_labels_check)
        layout.addWidget(note)
        self.form_box.setTitle(f"Merge into {self.path.name}")

    # ------------------------------------------------------------------ choices
    def sources(self) -> list[Path]:
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]

    def add_files(self, paths: list[str | Path]) -> None:
        known = {str(p) for p in self.sources()}
        for path in paths:
            if str(path) not in known:
                self.files.addItem(str(path))
                known.add(str(path))
        self.update_buttons()

    def choose_files(self) -> None:
        start = str(self.sources()[-1].parent) if self.sources() else str(self.path.parent)
        self.add_files(file_chooser.open_files(self, "Annotators' Project Files to Merge", start, FILTER))

    def remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self.update_buttons()

    def can_start(self) -> bool:
        return self.files.count() > 0

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        if self.is_running or not self.can_start():
            return
        path, sources = self.path, self.sources()
        options = MergeOptions(add_labels=self.add_labels_check.isChecked())
        self.result = None
        self.run(lambda ctx: run_merge(path, sources, options, ctx), "Opening the files…")

    def cancelling_text(self) -> str:
        return "Cancelling: the file being merged is rolled back…"

    def succeeded(self, result: MergeResult) -> None:
        self.result = result
        merged = len(result.summaries)
        refused = f"; {len(result.errors)} refused" if result.errors else ""
        new = "" if changed(result) else " Nothing new: merged before, or nothing to merge."
        self.show_result(f"Merged {merged} file{'s' if merged != 1 else ''}{refused}.{new}", result_text(result))
        self.merged.emit(result)

    def cancelled(self, partial: MergeResult | None) -> None:
        self.result = partial
        done = len(partial.summaries) if partial is not None else 0
        self.show_result(f"Merge cancelled: the file being merged was rolled back; {done} file"
                         f"{'s' if done != 1 else ''} before it stayed merged.",
                         result_text(partial) if partial is not None else "")
        if partial is not None and partial.summaries:
            self.merged.emit(partial)

    def failed(self, error: BaseException, trace: str) -> None:
        self.show_result("The merge failed; the file being merged was rolled back.",
                         f"{type(error).__name__}: {error}" + ("" if isinstance(error, OSError) else f"\n\n{trace}"))
