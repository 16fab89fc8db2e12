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

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..common import file_chooser
from ..jobs.job_dialog import JobDialog
from ...core.model import DOCUMENT_STATUSES
from ...core.textutil import path_text
from ...store import Project, ProjectError
from ...workflows.exporting import (
    ExportError,
    ExportFormat,
    ExportOptions,
    ExportResult,
    export_format_info,
    keeps_layers_apart,
)
from ..common.layer_choice import LayerCombo
from ..common.plain_text import plain_label as _plain
from ..common.settings import Settings
from ..jobs.worker import Job
from .export_options import ExportOptionsBox
from .export_report import (
    MAX_LISTED,
    ResultBox,
    IssueModel,
    default_output,
    headline,
    output_folder,
    output_problem,
    report_text,
    run_export,
    summary_text,
)

STATUS_TITLES = {"done": "&Done", "todo": "&To do", "skipped": "S&kipped"}

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

        # Several layers: one of them (or every one, for a format that keeps them apart).
        self.annotator_combo = LayerCombo(project, self.settings.value("annotator/name"))
        self.annotator_combo.setObjectName("exportAnnotator")

        what_box = QGroupBox("Export")
        what = QFormLayout(what_box)
        what.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        what.addRow(_plain("&Format:", self.format_combo), self.format_combo)
        what.addRow(_plain("&Output:", self.output_edit), output_row)
        what.addRow("", self.output_hint)
        what.addRow(_plain("Documents:"), include_row)
        what.addRow(_plain("&Annotator:", self.annotator_combo), self.annotator_combo)

        # The options of every format; rows show for the formats they apply to.
        self.options_box = ExportOptionsBox()
        box = self.options_box
        self.dev_spin, self.seed_spin, self.alignment_combo = box.dev_spin, box.seed_spin, box.alignment_combo
        self.single_file_check, self.tokens_check = box.single_file_check, box.tokens_check
        self.variant_combo, self.utf16_check, self.no_options = box.variant_combo, box.utf16_check, box.no_options
        self.variant_combo.currentIndexChanged.connect(self._layers_apart_changed)

        self.progress_label = _plain(name="exportProgressLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("exportProgress")
        self.progress_bar.setTextVisible(False)

        box = self.result_box = ResultBox(self)
        self.summary_label, self.message_label, self.summary_view, self.issue_model, self.issue_table, self.notes_view, self.files_view, self.tabs, self.open_button, self.copy_button = (
            box.summary_label, box.message_label, box.summary_view, box.issue_model, box.issue_table, box.notes_view, box.files_view, box.tabs, box.open_button, box.copy_button)
        self.open_button.clicked.connect(self.open_output_folder)
        self.copy_button.clicked.connect(self.copy_report)
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
        given = self.options_box.values(info)
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
        self.options_box.show_for(info)
        self._layers_apart_changed()
        self._fit_height()

    def _layers_apart_changed(self, *_args: object) -> None:
        """Every annotator at once only for a format (and variant) that keeps them apart."""
        self.annotator_combo.allow_every(keeps_layers_apart(self.options()))

    def choose_output(self) -> None:
        info = self.format_info
        start = self.output or default_output(self._base_folder(), self.project_path.stem, info)
        if info.folder:
            chosen = file_chooser.folder(self, f"Choose the Folder to Export {info.name} Into",
                                         str(start if start.is_dir() else start.parent))
        else:
            chosen = file_chooser.save_file(self, f"Export {info.name} To", str(start),
                                            f"{info.name} files (*{info.suffix});;All files (*)")
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
            # The export works in a hidden folder beside the output: the user knows the output.
            where = self.output if error.filename and ".annotator-export-" in str(error.filename) else error.filename
            text = (f"{error.strerror or error}: {path_text(str(where))}. Nothing was written; choose another "
                    "folder, or free some space, and export again." if where else str(error))
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
        # Room for the report, but never wider or taller than the window it belongs to (nor the screen).
        width, height = max(self.width(), 860), max(self.height(), 760)
        limits = [self.screen().availableGeometry().size()] if self.screen() is not None else []
        if self.parentWidget() is not None:
            limits.append(self.parentWidget().window().size())
        for limit in limits:
            width, height = min(width, limit.width()), min(height, limit.height())
        self.resize(max(width, self.minimumSizeHint().width()), max(height, self.minimumSizeHint().height()))

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
