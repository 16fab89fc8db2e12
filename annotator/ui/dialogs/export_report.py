"""What the Export dialog says about an export: its headline and report, the alignment issues as
a table model, the Result box that shows them, where the output goes, and the export itself as
a background job's function."""

from __future__ import annotations


from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.textutil import path_text
from ...store import Project
from ...workflows.exporting import ExportCancelled, ExportFormat, ExportOptions, ExportResult, export_project
from ..common.plain_text import plain_label as _plain
from ..common.plain_text import tooltip
from ..jobs.worker import JobCancelled, JobContext


MAX_LISTED = 5000  # files and notes shown in the dialog; the copy and the output hold them all


def run_export(project_path: Path, output: Path, options: ExportOptions, ctx: JobContext) -> ExportResult:
    """The job: export on the worker thread with a Project of its own (it only reads)."""
    # The window has checked the file already; a second quick_check would cost seconds on a big one.
    # For reading: works on a read-only medium too, and writes nothing.
    with Project.open(project_path, check=False, read_only=True) as project:
        try:
            return export_project(project, output, options, progress=ctx.progress, cancelled=ctx.is_cancelled)
        except ExportCancelled:
            raise JobCancelled(None) from None


def default_output(folder: Path, stem: str, info: ExportFormat) -> Path:
    """Where an export of ``info`` goes unless the user says otherwise: beside the others in ``folder``."""
    return folder / f"{stem}-{info.name}{'' if info.folder else info.suffix}"


def output_folder(result: ExportResult) -> Path:
    """The folder to open after an export: the output itself, or the folder holding the file."""
    output = Path(result.output)
    return output if output.is_dir() else output.parent


def headline(result: ExportResult) -> str:
    misaligned = sum(1 for issue in result.issues if issue.problem != "adjusted")
    adjusted = len(result.issues) - misaligned
    seconds = f"{result.seconds:.2f}" if result.seconds < 10 else f"{result.seconds:.0f}"
    sentence = f"Exported {_count(result.documents, 'document')} as {result.format} in {seconds} s."
    if misaligned:
        sentence += f" {_count(misaligned, 'span')} did not go where {'its' if misaligned == 1 else 'their'} " \
                    "label says: see the alignment report."
    if adjusted:
        sentence += f" {_count(adjusted, 'span')} moved to token edges, as asked."
    notes = len(result.notes) + result.notes_not_shown
    if notes:
        sentence += f" {_count(notes, 'thing')} this format cannot hold as {'it is' if notes == 1 else 'they are'}: " \
                    "see the notes."
    return sentence


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' if n != 1 else ''}"


def gui_words(text: str) -> str:
    """The exporter's hints name command-line options; the dialog names its own controls."""
    return text.replace("use --alignment ", "choose Alignment: ")


def output_problem(output: Path) -> str | None:
    """Why nothing can be written at ``output`` though the exporter would only find out by
    failing to make a folder (a file where a folder of the path should be): a sentence, or None."""
    for ancestor in output.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                return (f"{path_text(str(ancestor))} is a file, so nothing can be written inside it: "
                        "choose another output.")
            return None
    return None


def summary_text(result: ExportResult) -> str:
    # The command line prints the notes before its summary; here they have a tab of their own.
    return result.text.replace("(listed above)", "(see Notes)")


def report_text(result: ExportResult) -> str:
    """Everything the dialog shows, as plain text for the clipboard (nothing left out)."""
    lines = [headline(result), "", summary_text(result).rstrip()]
    if result.issues:
        lines += ["", f"Alignment report ({len(result.issues)} span{'s' if len(result.issues) != 1 else ''}):"]
        lines += [f"  {issue}" for issue in result.issues]
    if result.notes:
        lines += ["", "Notes:", *(f"  {note}" for note in result.notes)]
        if result.notes_not_shown:
            lines.append(f"  … and {result.notes_not_shown} more")
    lines += ["", f"Files written ({len(result.files)}):", *(f"  {path_text(str(p))}" for p in result.files)]
    return "\n".join(lines)


class IssueModel(QAbstractTableModel):
    """The alignment report: one row per span that did not go where its label says."""

    COLUMNS = ("Document", "Offsets", "Text", "Label", "Problem", "Detail")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.issues: list[Any] = []

    def set_issues(self, issues: Sequence[Any]) -> None:
        self.beginResetModel()
        self.issues = list(issues)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.issues)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def cell(self, row: int, column: int) -> str:
        issue = self.issues[row]
        if column == 0:  # "#5": a bare "5 Central bank" read as a count
            return f"#{issue.doc_id} {issue.title}".strip()
        if column == 1:
            moved = "" if issue.aligned_start is None else f" → {issue.aligned_start}–{issue.aligned_end}"
            return f"{issue.start}–{issue.end}{moved}"
        if column == 2:  # quoted: a misaligned span often starts or ends with a space
            return f"“{issue.text}”"
        if column == 3:
            return issue.label
        if column == 4:
            return issue.problem
        return gui_words(issue.detail)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.issues):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            # One line per row: a line break inside a span would make the row as tall as the span.
            return self.cell(index.row(), index.column()).replace("\r", "").replace("\n", " ⏎ ")
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self.cell(index.row(), index.column()))  # escaped: untrusted text
        return None


class ResultBox(QGroupBox):
    """The Result part of the Export dialog: the headline, a short message, and the report's tabs."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Result", parent)
        self.summary_label = _plain(name="exportSummary")
        self.summary_label.setWordWrap(True)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        # A short failure (one line) shows under the headline; a long one (a traceback) in the tab.
        self.message_label = _plain(name="exportMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.summary_view = _text_view("exportSummaryText", fixed)
        self.issue_model = IssueModel(self)
        self.issue_table = QTableView()
        self.issue_table.setObjectName("exportIssues")
        self.issue_table.setModel(self.issue_model)
        self.issue_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issue_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issue_table.setWordWrap(False)
        self.issue_table.verticalHeader().hide()
        self.issue_table.horizontalHeader().setStretchLastSection(True)
        self.issue_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.notes_view = _text_view("exportNotes")
        # Notes are sentences: wrapped, not cut off at the right edge behind a scroll bar.
        self.notes_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.files_view = _text_view("exportFiles", fixed)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("exportTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.summary_view, "Summary")
        self.tabs.addTab(self.issue_table, "Alignment report")
        self.tabs.addTab(self.notes_view, "Notes")
        self.tabs.addTab(self.files_view, "Files written")
        self.open_button = QPushButton("Open Output Fo&lder")
        self.open_button.setObjectName("exportOpenFolder")
        self.open_button.setAutoDefault(False)
        self.copy_button = QPushButton("Cop&y Report")
        self.copy_button.setObjectName("exportCopy")
        self.copy_button.setAutoDefault(False)
        result_layout = QVBoxLayout(self)
        result_layout.addWidget(self.summary_label)
        result_layout.addWidget(self.message_label)
        result_layout.addWidget(self.tabs, 1)
        result_buttons = QHBoxLayout()
        result_buttons.addStretch(1)
        result_buttons.addWidget(self.open_button)
        result_buttons.addWidget(self.copy_button)
        result_layout.addLayout(result_buttons)


def _text_view(name: str, font: Any = None) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    if font is not None:
        view.setFont(font)
    view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                 | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return view

