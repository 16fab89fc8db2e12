"""Model > Suggestion Source…: a trained model, an installed pipeline, a pipeline folder, pattern
files, or claim cues alone; plus claim suggestions on top. Listing installed pipelines and
checking a pattern file run as Jobs (they load spaCy)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..common import file_chooser
from ..common.plain_text import plain_label as _plain
from ...core.problems import InputError
from ...store import Project
from ...workflows.suggesting import SourceSpec, installed_pipelines
from ..jobs.worker import Job


PATTERN_FILTER = "Pattern files (*.jsonl *.json);;All files (*)"


def note_label(text: str) -> QLabel:
    label = _plain(text)
    label.setWordWrap(True)
    label.setEnabled(False)  # the style's muted text colour, readable in light and dark
    return label


class SourceDialog(QDialog):
    """Model > Suggestion Source: a trained model, an installed pipeline, a pipeline folder,
    pattern files, or claim cues alone; plus claim suggestions on top."""

    def __init__(self, project: Project, current: SourceSpec | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Suggestion Source")
        self.setObjectName("sourceDialog")
        self.spec: SourceSpec | None = None
        self.kinds = project.label_kinds()
        self.language = project.language
        self.models = project.models()
        self.list_job: Job | None = None  # listing installed pipelines
        self.job: Job | None = None  # checking pattern files
        self._build()
        self._show(current)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.list_job is None:
            self._list_installed()  # once shown: a dialog that is never shown starts no thread

    def _build(self) -> None:
        self.group = QButtonGroup(self)
        self.trained_radio = QRadioButton("A model &trained in this project")
        self.installed_radio = QRadioButton("An &installed spaCy pipeline")
        self.folder_radio = QRadioButton("A pipeline &folder")
        self.patterns_radio = QRadioButton("&Pattern files (spaCy EntityRuler / Prodigy JSONL)")
        self.cues_radio = QRadioButton("Claim cues o&nly (no entities)")
        for i, radio in enumerate((self.trained_radio, self.installed_radio, self.folder_radio, self.patterns_radio,
                                   self.cues_radio)):
            self.group.addButton(radio, i)
        self.trained_combo = QComboBox()
        self.trained_combo.setObjectName("trainedModels")
        for model in self.models:
            f = model.scores.get("totals", {}).get("ents_f")
            score = f" — entities F {f * 100:.0f}" if isinstance(f, (int, float)) else ""
            self.trained_combo.addItem(f"{model.name} ({model.created_at[:10]}, {model.documents} documents{score})",
                                       model.name)
        self.installed_combo = QComboBox()
        self.installed_combo.setObjectName("installedPipelines")
        self.installed_combo.addItem("looking for installed pipelines…")
        self.installed_combo.setEnabled(False)
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("pipelineFolder")
        self.folder_edit.setPlaceholderText("a folder with config.cfg and meta.json (e.g. …/model-best)")
        self.folder_button = QPushButton("&Browse…")
        self.folder_button.clicked.connect(self._browse_folder)
        self.patterns_edit = QLineEdit()
        self.patterns_edit.setObjectName("patternFiles")
        self.patterns_edit.setPlaceholderText("one or more .jsonl files, separated by ;")
        self.patterns_button = QPushButton("Cho&ose…")
        self.patterns_button.clicked.connect(self._browse_patterns)
        self.claims_check = QCheckBox("Also propose &claims: content, cue and claimant, from reporting cues "
                                      "(said, told, according to, …)")
        self.claims_check.setObjectName("claimsCheck")

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.addWidget(self.trained_radio, 0, 0)
        grid.addWidget(self.trained_combo, 0, 1, 1, 2)
        grid.addWidget(self.installed_radio, 1, 0)
        grid.addWidget(self.installed_combo, 1, 1, 1, 2)
        grid.addWidget(self.folder_radio, 2, 0)
        grid.addWidget(self.folder_edit, 2, 1)
        grid.addWidget(self.folder_button, 2, 2)
        grid.addWidget(self.patterns_radio, 3, 0)
        grid.addWidget(self.patterns_edit, 3, 1)
        grid.addWidget(self.patterns_button, 3, 2)
        grid.addWidget(self.cues_radio, 4, 0, 1, 3)
        box = QGroupBox("Suggestions come from")
        box.setLayout(grid)

        self.problems = QPlainTextEdit()
        self.problems.setObjectName("sourceProblems")
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(110)
        self.problems.hide()
        self.status = note_label("")
        self.status.setObjectName("sourceStatus")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Use This Source")
        self.buttons.accepted.connect(self._check_and_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(self.claims_check)
        layout.addWidget(note_label("Suggestions are drawn dashed and are not gold until accepted. They never change "
                               "a span you tagged, and a suggestion you rejected is not proposed again."))
        layout.addWidget(self.problems)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.group.idToggled.connect(self._toggled)
        self.setMinimumWidth(720)

    def sizeHint(self) -> QSize:
        return QSize(760, 340)

    def _toggled(self, _id: int, _on: bool) -> None:
        self._update()

    def _show(self, current: SourceSpec | None) -> None:
        radio = self.cues_radio
        if current is not None:
            self.claims_check.setChecked(current.claims or current.kind == "cues")
            if current.kind == "model":
                index = self.trained_combo.findData(current.ref if current.ref else current.name)
                if index < 0:
                    index = self.trained_combo.findData(current.name)
                if index >= 0:
                    self.trained_combo.setCurrentIndex(index)
                    radio = self.trained_radio
                elif Path(current.ref).exists():
                    self.folder_edit.setText(current.ref)
                    radio = self.folder_radio
                else:
                    self._wanted_installed = current.ref
                    radio = self.installed_radio
            elif current.kind == "patterns":
                self.patterns_edit.setText("; ".join(current.files))
                radio = self.patterns_radio
        elif self.models:
            radio = self.trained_radio
            self.claims_check.setChecked(True)
        else:
            self.claims_check.setChecked(True)
        if not self.models:
            self.trained_radio.setEnabled(False)
            self.trained_combo.addItem("no model trained yet (Model > Train…)")
        radio.setChecked(True)
        self._update()

    def _list_installed(self) -> None:
        # spaCy takes a second or two to import: the dialog is up before that.
        self.list_job = Job(lambda _ctx: installed_pipelines(), self)
        # Bound methods, never lambdas that hold ``self``: a job's slots are freed when the job is
        # deleted, and the last reference to the dialog must not go with them (the dialog would
        # then be destroyed inside the destruction of its own child, freeing it twice).
        self.list_job.succeeded.connect(self._installed_listed)
        self.list_job.failed.connect(self._installed_failed)
        self.list_job.start()

    def _installed_failed(self, _error: BaseException, _trace: str) -> None:
        self._installed_listed([])

    def _installed_listed(self, names: list) -> None:
        self.installed_combo.clear()
        if names:
            self.installed_combo.addItems(names)
            self.installed_combo.setEnabled(True)
            wanted = getattr(self, "_wanted_installed", None)
            if wanted in names:
                self.installed_combo.setCurrentText(wanted)
        else:
            self.installed_combo.addItem("none installed (python -m spacy download en_core_web_sm)")
            self.installed_combo.setEnabled(False)
            if self.installed_radio.isChecked():
                self.trained_radio.setChecked(True) if self.models else self.cues_radio.setChecked(True)
        self.installed_radio.setEnabled(bool(names))
        self._update()

    def _browse_folder(self) -> None:
        folder = file_chooser.folder(self, "Pipeline Folder", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)
            self.folder_radio.setChecked(True)

    def _browse_patterns(self) -> None:
        files = file_chooser.open_files(self, "Pattern Files", "", PATTERN_FILTER)
        if files:
            self.patterns_edit.setText("; ".join(files))
            self.patterns_radio.setChecked(True)

    def _update(self) -> None:
        cues = self.cues_radio.isChecked()
        self.claims_check.setEnabled(not cues)
        if cues:
            self.claims_check.setChecked(True)

    def chosen(self) -> SourceSpec | None:
        claims = self.claims_check.isChecked()
        if self.trained_radio.isChecked() and self.trained_combo.currentData():
            name = self.trained_combo.currentData()
            return SourceSpec("model", name, name, claims)
        if self.installed_radio.isChecked() and self.installed_combo.isEnabled():
            name = self.installed_combo.currentText()
            return SourceSpec("model", name, name, claims)
        if self.folder_radio.isChecked() and self.folder_edit.text().strip():
            return SourceSpec("model", self.folder_edit.text().strip(), claims=claims)
        if self.patterns_radio.isChecked():
            files = tuple(f.strip() for f in self.patterns_edit.text().split(";") if f.strip())
            if files:
                return SourceSpec("patterns", files[0], claims=claims, refs=files)
        if self.cues_radio.isChecked():
            return SourceSpec("cues", claims=True)
        return None

    def _check_and_accept(self) -> None:
        """Pattern files and folders are checked before the dialog closes: their problems
        (file, line, field) are shown here, where they can be fixed."""
        spec = self.chosen()
        if spec is None:
            self._problem("Choose a source first.")
            return
        if spec.kind == "model" and self.folder_radio.isChecked():
            folder = Path(spec.ref)
            if not ((folder / "config.cfg").is_file() or (folder / "model-best" / "config.cfg").is_file()):
                self._problem(f"{folder}: not a spaCy pipeline folder (it has no config.cfg and meta.json).")
                return
        if spec.kind != "patterns":
            self.spec = spec
            self.accept()
            return
        kinds = self.kinds
        self.ok_button.setEnabled(False)
        self.status.setText("Checking the pattern files…")
        job = Job(lambda _ctx: _check_patterns(spec, kinds), self)
        self._checking = spec
        job.succeeded.connect(self._patterns_ok)
        job.failed.connect(self._patterns_bad)
        self.job = job
        job.start()

    def _patterns_ok(self, count: int) -> None:
        self.status.setText(f"{count} patterns read.")
        self.spec = self._checking
        self.accept()

    def _patterns_bad(self, error: BaseException, _trace: str = "") -> None:
        self.ok_button.setEnabled(True)
        self.status.setText("")
        if isinstance(error, InputError):
            self._problem("The pattern files were refused; fix these lines and try again:\n"
                          + "\n".join(str(p) for p in error.problems[:50]))
        else:
            self._problem(str(error))

    def _problem(self, text: str) -> None:
        self.problems.setPlainText(text)
        self.problems.show()

    def done(self, result: int) -> None:
        for job in (self.list_job, self.job):
            if job is not None and job.is_running:
                job.cancel_and_wait()  # a job outliving its dialog would be deleted with it, unfinished
        super().done(result)


def _check_patterns(spec: SourceSpec, kinds: dict[str, str]) -> int:
    from ...workflows.suggesting import read_pattern_files

    return read_pattern_files(spec.files, kinds)
