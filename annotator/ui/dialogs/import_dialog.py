"""File > Import Files…: choose files and folders, import them off the GUI thread, show a report.

    dialog = ImportDialog(project, settings, parent=window)
    dialog.imported.connect(window.reload_documents)   # ImportReport; also after a cancel
    dialog.exec()

The import runs in a ``Job`` with a Project of its own opened on the same file (a Project
belongs to one thread). It is one write transaction: while it runs, other writes to the file
wait (``busy_timeout``), so the window should not write (e.g. lock heartbeats) until
``imported``/``finished``. Cancel stops at the next batch; the files already done are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFontDatabase, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..common.plain_text import plain_label as _plain
from ...core.problems import InputError
from ...core.textutil import path_text
from ...formats.label_map import parse_label_map
from ...formats.registry import ReadOptions
from ...store import Project, ProjectError
from ...workflows.importing import ImportOptions, ImportReport, ImportStopped
from ..common.settings import Settings
from ..jobs.worker import Job
from .job_report_dialog import JobReportDialog
from .import_report import (
    LABEL_MAP_FORMATS,
    TABLE_FORMATS,
    TEXT_KEY_FORMATS,
    UTF16_FORMATS,
    file_filter,
    format_choices,
    report_headline,
    report_text,
    run_import,
)
from ..common import file_chooser


class _PathList(QListWidget):
    """The files and folders to import; takes drops from the file manager."""

    paths_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def sizeHint(self) -> QSize:
        # A few rows; the dialog's stretch gives it more while there is no report to show.
        return QSize(super().sizeHint().width(), 130)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: ANN001 - QDragMoveEvent
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.paths_dropped.emit(paths)


class ImportDialog(JobReportDialog):
    """Import files into ``project``; emits ``imported(report)`` when files were read."""

    imported = Signal(object)  # ImportReport (after success or cancel; files done are kept)

    def __init__(self, project: Project, settings: Settings | None = None, parent: QWidget | None = None,
                 *, annotator: str | None = None, paths: Iterable[str | Path] = ()):
        super().__init__(parent)
        self.project_path = Path(project.path)
        self._read_only = project.read_only
        self.settings = settings if settings is not None else Settings()
        self.annotator = annotator
        self.job: Job | None = None
        self.report: ImportReport | None = None
        self.setWindowTitle(f"Import Files into {self.project_path.name}")
        self.setObjectName("importDialog")
        self._build()
        self._restore_choices()
        self.add_paths(paths)
        self._update_buttons()

    # ---------------------------------------------------------------- building
    def _build(self) -> None:
        style = self.style()
        self.path_list = _PathList()
        self.path_list.setObjectName("importPaths")
        self.path_list.setMinimumHeight(110)
        self.path_list.paths_dropped.connect(self.add_paths)
        self.path_list.itemSelectionChanged.connect(self._update_buttons)
        self.add_files_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), "Add &Files…")
        self.add_folder_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DirIcon), "Add F&older…")
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setToolTip("Take the selected entries off the list (Delete)")
        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        remove_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.path_list)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.activated.connect(self.remove_selected)
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            button.setAutoDefault(False)

        buttons = QVBoxLayout()
        buttons.addWidget(self.add_files_button)
        buttons.addWidget(self.add_folder_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        paths_row = QHBoxLayout()
        paths_row.addWidget(self.path_list, 1)
        paths_row.addLayout(buttons)
        paths_hint = _plain("Folders are read with everything in them; drop files here from your file manager.")
        paths_hint.setWordWrap(True)
        paths_hint.setEnabled(False)
        paths_box = QGroupBox("Files and folders to import")
        paths_layout = QVBoxLayout(paths_box)
        paths_layout.addLayout(paths_row)
        paths_layout.addWidget(paths_hint)

        self.format_combo = QComboBox()
        self.format_combo.setObjectName("importFormat")
        for name, text in format_choices():
            self.format_combo.addItem(text, name)
        self.format_combo.currentIndexChanged.connect(self._update_buttons)
        self.text_column = QLineEdit()
        self.text_column.setObjectName("importTextColumn")
        self.text_column.setToolTip("CSV/TSV: the column that holds the article text; Label Studio: the data key")
        self.title_column = QLineEdit()
        self.title_column.setObjectName("importTitleColumn")
        self.title_column.setPlaceholderText("title, if there is such a column")
        self.title_column.setToolTip("CSV/TSV: the column that holds the title (optional)")
        self.title_from = QComboBox()
        self.title_from.setObjectName("importTitleFrom")
        for value, text in (("auto", "the first line, when it reads as a headline; else the file name"),
                            ("first-line", "the first line"), ("filename", "the file name")):
            self.title_from.addItem(text, value)
        self.title_from.setToolTip("Plain text files: where a document's title comes from (the file name stays "
                                   "its source; the text is imported whole either way)")
        self.skip_invalid = QCheckBox("&Skip invalid records and import the rest of their file")
        self.skip_invalid.setToolTip("Without this, a file with any invalid record is refused whole")
        self.add_labels = QCheckBox("Add &unknown labels and attributes to the project's scheme")
        self.add_labels.setToolTip("Without this, a record using a label or attribute the project lacks is invalid")
        self.utf16_check = QCheckBox("Offsets count UTF-16 u&nits (doccano, Label Studio, INCEpTION: "
                                     "an emoji counts 2)")
        self.utf16_check.setObjectName("importUtf16")
        self.label_map = QLineEdit()
        self.label_map.setObjectName("importLabelMap")
        self.label_map.setPlaceholderText("e.g. 12=PER,13=LOC, or a file")
        self.label_map.setToolTip("doccano 1.x: names for its label ids (its label export, a JSON object, or "
                                  "ID=LABEL lines)")
        options_box = QGroupBox("Options")
        form = QFormLayout(options_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_plain("For&mat:", self.format_combo), self.format_combo)
        form.addRow(_plain("&Text column:", self.text_column), self.text_column)
        form.addRow(_plain("Tit&le column:", self.title_column), self.title_column)
        form.addRow(_plain("Title of a te&xt file:", self.title_from), self.title_from)
        form.addRow(_plain("Label ma&p:", self.label_map), self.label_map)
        form.addRow(self.utf16_check)
        form.addRow(self.skip_invalid)
        form.addRow(self.add_labels)

        report_view = QPlainTextEdit()
        report_view.setReadOnly(True)
        report_view.setMinimumHeight(200)
        report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        report_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.import_button = self._build_frame("import", paths_box, options_box, report_view, "&Import",
                                               "importButton")

        self.setTabOrder(self.path_list, self.add_files_button)
        self.setTabOrder(self.add_files_button, self.add_folder_button)
        self.setTabOrder(self.add_folder_button, self.remove_button)
        self.setTabOrder(self.remove_button, self.format_combo)
        self.setTabOrder(self.format_combo, self.text_column)
        self.setTabOrder(self.text_column, self.title_column)
        self.setTabOrder(self.title_column, self.title_from)
        self.setTabOrder(self.title_from, self.label_map)
        self.setTabOrder(self.label_map, self.utf16_check)
        self.setTabOrder(self.utf16_check, self.skip_invalid)
        self.setTabOrder(self.skip_invalid, self.add_labels)
        self.setTabOrder(self.add_labels, self.report_view)
        self.setTabOrder(self.report_view, self.copy_button)
        self.setTabOrder(self.copy_button, self.import_button)
        self.setTabOrder(self.import_button, self.close_button)
        self.setMinimumWidth(640)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), 720), hint.height())

    def _restore_choices(self) -> None:
        index = self.format_combo.findData(self.settings.value("import/format"))
        self.format_combo.setCurrentIndex(max(index, 0))
        self.text_column.setText(self.settings.value("import/text_column") or "text")
        self.skip_invalid.setChecked(self.settings.value("import/skip_invalid"))
        self.add_labels.setChecked(self.settings.value("import/add_labels"))

    def _save_choices(self) -> None:
        self.settings.set_value("import/format", self.format_combo.currentData())
        self.settings.set_value("import/text_column", self.text_column.text().strip() or "text")
        self.settings.set_value("import/skip_invalid", self.skip_invalid.isChecked())
        self.settings.set_value("import/add_labels", self.add_labels.isChecked())

    # ------------------------------------------------------------------ paths
    @property
    def paths(self) -> list[str]:
        return [self.path_list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.path_list.count())]

    def add_paths(self, paths: Iterable[str | Path]) -> None:
        known = set(self.paths)
        style = self.style()
        for raw in paths:
            path = str(Path(raw))
            if path in known:
                continue
            known.add(path)
            is_dir = Path(path).is_dir()
            icon = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon if is_dir else QStyle.StandardPixmap.SP_FileIcon)
            item = QListWidgetItem(icon, path_text(path) + ("/" if is_dir and not path.endswith("/") else ""))
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(QtGui.Qt.convertFromPlainText(path_text(path)))  # a name is not HTML
            self.path_list.addItem(item)
        self._update_buttons()

    def remove_selected(self) -> None:
        if self.is_running:
            return
        for item in self.path_list.selectedItems():
            self.path_list.takeItem(self.path_list.row(item))
        self._update_buttons()

    def _start_folder(self) -> str:
        folder = self.settings.value("import/folder")
        return folder if folder and Path(folder).is_dir() else str(self.project_path.parent)

    def choose_files(self) -> None:
        files = file_chooser.open_files(self, "Choose Files to Import", self._start_folder(), file_filter())
        if files:
            self.settings.set_value("import/folder", str(Path(files[0]).parent))
            self.add_paths(files)

    def choose_folder(self) -> None:
        folder = file_chooser.folder(self, "Choose a Folder to Import", self._start_folder())
        if folder:
            self.settings.set_value("import/folder", folder)
            self.add_paths([folder])

    # ------------------------------------------------------------------ running
    def options(self) -> ImportOptions:
        """The chosen options; raises InputError for a label map that cannot be read."""
        fmt = self.format_combo.currentData()
        title = self.title_column.text().strip() or None
        labels = parse_label_map(self.label_map.text().strip()) if self.label_map.text().strip() \
            and fmt in LABEL_MAP_FORMATS else ()
        offsets = "utf16" if self.utf16_check.isChecked() and fmt in UTF16_FORMATS else "codepoints"
        read = ReadOptions(text_column=self.text_column.text().strip() or "text", title_column=title,
                           delimiter="\t" if fmt == "tsv" else None, offsets=offsets, label_map=labels,
                           title_from=self.title_from.currentData())
        return ImportOptions(format=fmt, read=read, skip_invalid=self.skip_invalid.isChecked(),
                             add_labels=self.add_labels.isChecked(), annotator=self.annotator)

    def start(self) -> None:
        """Start importing the listed paths (the Import button)."""
        if self.is_running or not self.paths or self._read_only:
            return
        self._save_choices()
        try:
            options = self.options()
        except InputError as exc:
            self.summary_label.setText(f"Not started: {exc}")
            self.result_box.show()
            return
        paths, project_path = self.paths, self.project_path
        self.report = None
        self._run_job(lambda ctx: run_import(project_path, paths, options, ctx), "Reading the file list…")

    def cancel(self) -> None:
        """Ask the running import to stop; the files already imported stay."""
        self._cancel_saying("Cancelling: the file in progress is being rolled back…")

    def _show_progress(self, value: tuple[int, int, str, int]) -> None:
        done, total, current, records = value
        if total <= 1:
            self.progress_bar.setRange(0, 0)
        else:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
        if self.job is not None and self.job.is_cancel_requested:
            return
        name = Path(current).name
        if records:
            self.progress_label.setText(f"File {min(done + 1, total)} of {total}: {name}, {records:,} records read")
        else:
            self.progress_label.setText(f"{done} of {total} files done (last: {name})")

    def _succeeded(self, report: ImportReport) -> None:
        self._show_report(report, cancelled=False)

    def _cancelled(self, report: ImportReport | None) -> None:
        self._show_report(report or ImportReport(), cancelled=True)

    def _show_report(self, report: ImportReport, cancelled: bool) -> None:
        self.report = report
        self.summary_label.setText(report_headline(report, cancelled))
        self.report_view.setPlainText(report_text(report, cancelled))
        self._show_result()
        self.imported.emit(report)

    def _failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, ImportStopped):  # the project could not take a file: those before it landed
            self._show_report(error.report, cancelled=False)
            self.summary_label.setText(f"The import stopped at {Path(error.stopped_at).name}: {error.cause}")
            return
        if isinstance(error, (ProjectError, InputError)):
            text = str(error)
        else:  # a bug: keep everything a bug report needs
            text = f"{type(error).__name__}: {error}\n\n{trace}"
        self.summary_label.setText("The import failed; nothing was imported.")
        self.report_view.setPlainText(text)
        self._show_result()

    def _update_buttons(self) -> None:
        running = self.is_running
        for widget in (self.path_list, self.add_files_button, self.add_folder_button, self.format_combo,
                       self.skip_invalid, self.add_labels):
            widget.setEnabled(not running)
        fmt = self.format_combo.currentData()
        table = fmt in TABLE_FORMATS
        self.text_column.setEnabled(not running and fmt in TEXT_KEY_FORMATS)
        self.title_column.setEnabled(not running and table)
        self.utf16_check.setEnabled(not running and fmt in UTF16_FORMATS)
        self.label_map.setEnabled(not running and fmt in LABEL_MAP_FORMATS)
        self.remove_button.setEnabled(not running and bool(self.path_list.selectedItems()))
        self.import_button.setEnabled(not running and bool(self.paths) and not self._read_only)
        self.close_button.setEnabled(not (running and self.job is not None and self.job.is_cancel_requested))
        if running:
            self.close_button.setText("&Cancel Import")

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_view.toPlainText())
