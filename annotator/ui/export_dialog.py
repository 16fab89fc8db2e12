"""File > Export…: a format, where to write it, which documents and the format's options; the
export runs off the GUI thread; then its summary, the alignment report and the files written.

    ExportDialog(project, settings, parent=window).exec()

The export runs in a ``Job`` with a Project of its own opened on the same file (a Project
belongs to one thread); it only reads. It writes into a staging folder and moves the result
into place at the end, so Cancel (asked between batches) and failures leave the output as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .job_dialog import JobDialog
from ..core.model import DOCUMENT_STATUSES
from ..core.textutil import path_text
from ..store import Project, ProjectError
from ..workflows.exporting import (
    ExportCancelled,
    ExportError,
    ExportFormat,
    ExportOptions,
    ExportResult,
    export_format_info,
    export_project,
)
from .plain_text import plain_label as _plain, tooltip
from .settings import Settings
from .worker import Job, JobCancelled, JobContext

MAX_LISTED = 5000  # files and notes shown in the dialog; the copy and the output hold them all
STATUS_TITLES = {"done": "&Done", "todo": "&To do", "skipped": "S&kipped"}
ALIGNMENT_CHOICES = (
    ("strict", "strict — spans that are not whole tokens are reported and left out"),
    ("contract", "contract — shrink them to the tokens inside (reported)"),
    ("expand", "expand — grow them to the tokens they touch (reported)"),
)
VARIANT_CHOICES = (("", "label lists ([start, end, label])"), ("relations", "entities and relations"),
                   ("annotations", "doccano 1.x: each annotator's spans as that user's"))




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


class ExportDialog(JobDialog):
    """Export ``project``; the result stays on screen until the dialog is closed."""

    def __init__(self, project: Project, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.project_path = Path(project.path)
        self.settings = settings if settings is not None else Settings()
        self.formats = {info.name: info for info in export_format_info()}
        self.job: Job | None = None
        self.result: ExportResult | None = None
        # What the user typed or picked, and the kind of output (folder?, suffix) it was for.
        self._chosen: Path | None = None
        self._chosen_for: tuple[bool, str] | None = None
        self.setWindowTitle(f"Export {self.project_path.name}")
        self.setObjectName("exportDialog")
        self._build(project)
        self._format_changed()
        self._update_buttons()

    # ---------------------------------------------------------------- building
    def _build(self, project: Project) -> None:
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("exportFormat")
        for info in self.formats.values():
            self.format_combo.addItem(f"{info.name} — {info.description}", info.name)
        # The long descriptions show in the popup; the closed box does not widen the dialog.
        self.format_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.format_combo.setMinimumContentsLength(30)
        self.format_combo.currentIndexChanged.connect(self._format_changed)

        self.output_edit = QLineEdit()
        self.output_edit.setObjectName("exportOutput")
        self.output_edit.textEdited.connect(self._output_edited)
        self.output_edit.textChanged.connect(self._update_buttons)
        self.choose_button = QPushButton("C&hoose…")
        self.choose_button.setObjectName("exportChoose")
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_output)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(self.choose_button)
        # One line, not word-wrapped: a wrapping label reserves the height of two lines in the
        # form (its height-for-width is taken at a narrower width), a gap under the output row.
        self.output_hint = _plain(name="exportOutputHint")
        self.output_hint.setEnabled(False)

        statuses = [s for s in ("done", "todo", "skipped") if s in DOCUMENT_STATUSES]
        statuses += [s for s in DOCUMENT_STATUSES if s not in statuses]
        counts = {status: project.document_count(status) for status in statuses}
        self.include_checks: dict[str, QCheckBox] = {}
        include_row = QHBoxLayout()
        for status in statuses:
            check = QCheckBox(f"{STATUS_TITLES.get(status, status)} ({counts[status]:,})")
            check.setObjectName(f"exportInclude_{status}")
            check.setChecked(status == "done")
            check.toggled.connect(self._update_buttons)
            self.include_checks[status] = check
            include_row.addWidget(check)
        include_row.addStretch(1)

        self.annotator_combo = QComboBox()
        self.annotator_combo.setObjectName("exportAnnotator")
        self.annotator_combo.addItem("all annotators", None)
        for name in project.annotators():
            self.annotator_combo.addItem(name, name)

        what_box = QGroupBox("Export")
        what = QFormLayout(what_box)
        what.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        what.addRow(_plain("&Format:", self.format_combo), self.format_combo)
        what.addRow(_plain("&Output:", self.output_edit), output_row)
        what.addRow("", self.output_hint)
        what.addRow(_plain("Documents:"), include_row)
        what.addRow(_plain("&Annotator:", self.annotator_combo), self.annotator_combo)

        # The options of every format; rows show for the formats they apply to.
        self.dev_spin = QSpinBox()
        self.dev_spin.setObjectName("exportDev")
        self.dev_spin.setRange(0, 90)
        self.dev_spin.setSingleStep(5)
        self.dev_spin.setSuffix(" %")
        self.dev_spin.setValue(20)
        self.dev_spin.setToolTip("Share of the documents in the dev set, chosen by a stable hash of each text "
                                 "and the seed: the same project and seed always give the same split")
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("exportSeed")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip("Another seed gives another train/dev split")
        split_row = QHBoxLayout()
        split_row.addWidget(self.dev_spin)
        split_row.addSpacing(16)
        self.seed_label = _plain("Spl&it seed:", self.seed_spin)
        split_row.addWidget(self.seed_label)
        split_row.addWidget(self.seed_spin)
        split_row.addStretch(1)
        self.alignment_combo = QComboBox()
        self.alignment_combo.setObjectName("exportAlignment")
        for mode, text in ALIGNMENT_CHOICES:
            self.alignment_combo.addItem(text, mode)
        self.single_file_check = QCheckBox("Si&ngle files: train.spacy and dev.spacy as one file each, not folders of shards")
        self.single_file_check.setObjectName("exportSingleFile")
        self.tokens_check = QCheckBox("&Write tokens and token indices")
        self.tokens_check.setObjectName("exportTokens")
        self.tokens_check.setChecked(True)
        self.variant_combo = QComboBox()
        self.variant_combo.setObjectName("exportVariant")
        for variant, text in VARIANT_CHOICES:
            self.variant_combo.addItem(text, variant)
        self.utf16_check = QCheckBox("&UTF-16 offsets, as JavaScript counts them (emoji count 2)")
        self.utf16_check.setObjectName("exportUtf16")
        self.no_options = _plain("This format has no options.", name="exportNoOptions")
        self.no_options.setEnabled(False)

        self.options_box = QGroupBox("Options")
        self.options_form = QFormLayout(self.options_box)
        self.options_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.options_form.addRow(_plain("De&v share:", self.dev_spin), split_row)
        self.options_form.addRow(_plain("Ali&gnment:", self.alignment_combo), self.alignment_combo)
        self.options_form.addRow(self.single_file_check)
        self.options_form.addRow(self.tokens_check)
        self.options_form.addRow(_plain("Va&riant:", self.variant_combo), self.variant_combo)
        self.options_form.addRow(self.utf16_check)
        self.options_form.addRow(self.no_options)
        # option name -> the form row showing it
        self._option_rows = {"dev": split_row, "seed": split_row, "alignment": self.alignment_combo,
                             "single_file": self.single_file_check, "tokens": self.tokens_check,
                             "variant": self.variant_combo, "offsets": self.utf16_check}

        self.progress_label = _plain(name="exportProgressLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("exportProgress")
        self.progress_bar.setTextVisible(False)

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
        self.summary_view = self._text_view("exportSummaryText", fixed)
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
        self.notes_view = self._text_view("exportNotes")
        # Notes are sentences: wrapped, not cut off at the right edge behind a scroll bar.
        self.notes_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.files_view = self._text_view("exportFiles", fixed)
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
        self.open_button.clicked.connect(self.open_output_folder)
        self.copy_button = QPushButton("Cop&y Report")
        self.copy_button.setObjectName("exportCopy")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_report)
        self.result_box = QGroupBox("Result")
        result_layout = QVBoxLayout(self.result_box)
        result_layout.addWidget(self.summary_label)
        result_layout.addWidget(self.message_label)
        result_layout.addWidget(self.tabs, 1)
        result_buttons = QHBoxLayout()
        result_buttons.addStretch(1)
        result_buttons.addWidget(self.open_button)
        result_buttons.addWidget(self.copy_button)
        result_layout.addLayout(result_buttons)
        self.result_box.hide()

        self.button_box = QDialogButtonBox()
        self.export_button = self.button_box.addButton("&Export", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.close_button = self.button_box.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("exportCloseButton")
        self.export_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        self._layout = layout
        layout.addWidget(what_box)
        layout.addWidget(self.options_box)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.result_box, 1)
        layout.addStretch(0)
        layout.addWidget(self.button_box)
        self.progress_label.hide()
        self.progress_bar.hide()
        self.setMinimumWidth(640)

    def _text_view(self, name: str, font: Any = None) -> QPlainTextEdit:
        view = QPlainTextEdit()
        view.setObjectName(name)
        view.setReadOnly(True)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        if font is not None:
            view.setFont(font)
        view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        return view

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), 720), hint.height())

    # ------------------------------------------------------------- choices
    @property
    def format_info(self) -> ExportFormat:
        return self.formats[self.format_combo.currentData()]

    def set_format(self, name: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(name))

    def include(self) -> tuple[str, ...]:
        return tuple(status for status, check in self.include_checks.items() if check.isChecked())

    def set_include(self, statuses: Sequence[str]) -> None:
        for status, check in self.include_checks.items():
            check.setChecked(status in statuses)

    def options(self) -> ExportOptions:
        """The choices as ExportOptions; options the format does not take keep their defaults."""
        info = self.format_info
        given: dict[str, Any] = {}
        if "dev" in info.options:
            given["dev"] = self.dev_spin.value() / 100
        if "seed" in info.options:
            given["seed"] = self.seed_spin.value()
        if "alignment" in info.options:
            given["alignment"] = self.alignment_combo.currentData()
        if "single_file" in info.options:
            given["single_file"] = self.single_file_check.isChecked()
        if "tokens" in info.options:
            given["tokens"] = self.tokens_check.isChecked()
        if "variant" in info.options:
            given["variant"] = self.variant_combo.currentData()
        if "offsets" in info.options and self.utf16_check.isChecked():
            given["offsets"] = "utf16"
        return ExportOptions(format=info.name, include=self.include(), annotator=self.annotator_combo.currentData(),
                             **given)

    @property
    def output(self) -> Path | None:
        text = self.output_edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_output(self, path: str | Path) -> None:
        """Export to ``path`` (as if chosen): it no longer follows the format."""
        self.output_edit.setText(str(path))
        self._output_edited()

    def _output_edited(self, _text: str = "") -> None:
        self._chosen = self.output
        self._chosen_for = (self.format_info.folder, self.format_info.suffix)

    def _base_folder(self) -> Path:
        folder = self.settings.value("export/folder")
        return Path(folder) if folder and Path(folder).is_dir() else self.project_path.parent

    def _format_changed(self) -> None:
        info = self.format_info
        # The chosen output is kept for formats that write the same kind of output (a folder, or
        # a file with its suffix); for the others the usual name goes beside it. Remembered, not
        # overwritten: arrowing through the formats passes others and must not lose the choice.
        if self._chosen is not None and self._chosen_for == (info.folder, info.suffix):
            target = self._chosen
        else:
            base = self._chosen.parent if self._chosen is not None else self._base_folder()
            target = default_output(base, self.project_path.stem, info)
        if self.output != target:
            self.output_edit.setText(str(target))
        if info.folder:
            self.output_hint.setText("A folder: created if missing; files of other programs in it are left alone.")
        else:
            self.output_hint.setText(f"One file ({info.suffix}); an existing one is replaced.")
        shown = set(info.options)
        rows: dict[int, tuple[Any, bool]] = {}
        for name, row in self._option_rows.items():
            _row, wanted = rows.get(id(row), (row, False))
            rows[id(row)] = (row, wanted or name in shown)
        for row, wanted in rows.values():
            self.options_form.setRowVisible(row, wanted)
        self.options_form.setRowVisible(self.no_options, not shown)
        self.options_box.setTitle(f"Options for {info.name}")
        self._fit_height()

    def choose_output(self) -> None:
        info = self.format_info
        start = self.output or default_output(self._base_folder(), self.project_path.stem, info)
        if info.folder:
            chosen = QFileDialog.getExistingDirectory(self, f"Choose the Folder to Export {info.name} Into",
                                                      str(start if start.is_dir() else start.parent))
        else:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, f"Export {info.name} To", str(start), f"{info.name} files (*{info.suffix});;All files (*)")
            if chosen and not Path(chosen).suffix:
                chosen += info.suffix
        if chosen:
            self.set_output(chosen)
            self.settings.set_value("export/folder", str(Path(chosen).parent))

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        """Start the export with the choices on screen (the Export button)."""
        output = self.output
        if self.is_running or output is None or not self.include():
            return
        problem = output_problem(output)
        if problem is not None:
            self._show_message("The export cannot start; nothing was written.", problem)
            return
        options = self.options()
        project_path = self.project_path
        self.result = None
        self.job = Job(lambda ctx: run_export(project_path, output, options, ctx), self)
        # Bound methods, never lambdas that hold ``self``: the job frees its slots when it is
        # deleted, and the last reference to this dialog must not go with them.
        self.job.progress.connect(self._show_progress)
        self.job.succeeded.connect(self._succeeded)
        self.job.cancelled.connect(self._cancelled)
        self.job.failed.connect(self._failed)
        self.job.finished.connect(self._finished)
        self.progress_bar.setRange(0, 0)  # busy until the first report says how many documents
        self.progress_label.setText("Reading the documents…")
        self.progress_label.show()
        self.progress_bar.show()
        self.result_box.hide()
        self._fit_height()  # the last result's room would be a blank area under the progress bar
        self.job.start()
        self._update_buttons()
        self.close_button.setFocus()

    def cancel(self) -> None:
        """Ask the running export to stop; the output stays as it was."""
        if not self.is_running or self.job is None:
            return
        self.job.cancel()
        self.progress_label.setText("Cancelling: the output is left as it was…")
        self._update_buttons()

    def _show_progress(self, value: tuple[int, int, str]) -> None:
        done, total, message = value
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
        if self.job is not None and self.job.is_cancel_requested:
            return
        self.progress_label.setText(message[:1].upper() + message[1:])

    def _succeeded(self, result: ExportResult) -> None:
        self.result = result
        # Remembered once written (the folder may only exist now): the next export goes beside it.
        self.settings.set_value("export/folder", str(Path(result.output).parent))
        self.summary_label.setText(headline(result))
        self.message_label.hide()
        self.summary_view.setPlainText(summary_text(result))
        self.issue_model.set_issues(result.issues)
        self.issue_table.resizeColumnsToContents()
        header = self.issue_table.horizontalHeader()
        for column in range(self.issue_model.columnCount() - 1):
            header.resizeSection(column, min(header.sectionSize(column), 220))
        notes = [*result.notes, *([f"… and {result.notes_not_shown} more"] if result.notes_not_shown else [])]
        self.notes_view.setPlainText("\n".join(notes[:MAX_LISTED]))
        # Relative to the folder named on the first line: for a one-file format that is the
        # file's folder (relative to the file itself, the name would be ".").
        folder = output_folder(result)
        names = [path_text(str(p.relative_to(folder)) if p.is_relative_to(folder) else str(p)) for p in result.files]
        more = [f"… and {len(names) - MAX_LISTED} more"] if len(names) > MAX_LISTED else []
        self.files_view.setPlainText("\n".join([f"in {path_text(str(folder))}:",
                                                *(f"  {name}" for name in names[:MAX_LISTED]), *more]))
        self.tabs.setTabText(1, f"Alignment report ({len(result.issues):,})")
        self.tabs.setTabText(2, f"Notes ({len(result.notes) + result.notes_not_shown:,})")
        self.tabs.setTabText(3, f"Files written ({len(result.files):,})")
        self.tabs.setTabVisible(1, result.format == "spacy")
        self.tabs.setTabVisible(2, bool(notes))
        self.tabs.setTabVisible(3, True)
        self.tabs.setCurrentIndex(1 if result.issues else 0)
        self._show_result(has_output=True, has_text=True)

    def _cancelled(self, _partial: object = None) -> None:
        info = self.format_info
        what = "the output folder" if info.folder else "the output file"
        self._show_message(f"Export cancelled: {what} is unchanged.", "")

    def _failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, (ExportError, ProjectError)):
            text = str(error)
        elif isinstance(error, OSError):  # the file system said no (permission, disk full): no traceback
            text = f"{error.strerror or error}: {path_text(str(error.filename))}" if error.filename else str(error)
        else:  # a bug: keep everything a bug report needs
            text = f"{type(error).__name__}: {error}\n\n{trace}"
        self._show_message("The export failed; nothing was written.", text)

    def _show_message(self, sentence: str, text: str) -> None:
        self.result = None
        self.summary_label.setText(sentence)
        self.summary_view.setPlainText(text)
        short = "\n" not in text.strip() and len(text) <= 400
        self.message_label.setText(text if short else "")
        self.message_label.setVisible(bool(text) and short)
        for tab in (1, 2, 3):
            self.tabs.setTabVisible(tab, False)
        self.tabs.setCurrentIndex(0)
        self._show_result(has_output=False, has_text=not short)
        self.copy_button.setVisible(bool(text))

    def _show_result(self, has_output: bool, has_text: bool) -> None:
        self.tabs.setVisible(has_text)
        self.open_button.setVisible(has_output)
        self.copy_button.setVisible(has_text)
        self.result_box.show()
        # A one-sentence result (cancelled) takes its own height, not the room of a report.
        self._layout.setStretchFactor(self.result_box, 1 if has_text else 0)
        if not has_text:
            self._fit_height()
            return
        available = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = max(self.width(), 860), max(self.height(), 760)
        if available is not None:
            width, height = min(width, available.width()), min(height, available.height())
        self.resize(width, height)

    def _fit_height(self) -> None:
        """Shrink to what is shown: hidden option rows or a hidden report would leave a blank area."""
        if not self.isVisible():
            return  # not shown yet: show() sizes it from the size hint
        if self.result_box.isVisible() and self.tabs.isVisibleTo(self):
            return  # the report gets the room the user (or _show_result) gave it
        self._layout.activate()
        # Height for this width: a wrapped label's plain size hint assumes a narrower dialog
        # and would leave a blank band under the buttons.
        height = self.heightForWidth(self.width()) if self._layout.hasHeightForWidth() else -1
        self.resize(self.width(), height if height > 0 else self.sizeHint().height())

    def _finished(self) -> None:
        self.progress_bar.hide()
        self.progress_label.hide()
        self._fit_height()  # without the progress rows (a report, when shown, keeps its room)
        self._update_buttons()
        self.close_button.setFocus()

    def _update_buttons(self) -> None:
        running = self.is_running
        for widget in (self.format_combo, self.output_edit, self.choose_button, self.annotator_combo,
                       self.options_box, *self.include_checks.values()):
            widget.setEnabled(not running)
        self.export_button.setEnabled(not running and self.output is not None and bool(self.include()))
        cancelling = running and self.job is not None and self.job.is_cancel_requested
        self.close_button.setEnabled(not cancelling)
        self.close_button.setText("&Cancel Export" if running else "&Close")

    # ------------------------------------------------------------------ results
    def open_output_folder(self) -> None:
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(output_folder(self.result))))

    def copy_report(self) -> None:
        if self.result is not None:
            QGuiApplication.clipboard().setText(report_text(self.result))
        else:
            QGuiApplication.clipboard().setText(self.summary_label.text() + "\n\n" + self.summary_view.toPlainText())


__all__ = ["ExportDialog", "IssueModel", "report_text", "run_export"]
