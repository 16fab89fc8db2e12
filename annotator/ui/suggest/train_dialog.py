"""Model > Train… and Model > Models…: training with live epochs, and the per-label scores.

Training runs ``spacy train`` in a subprocess, watched from a ``Job`` (workflows.training);
the dialog shows a row and a plot point per epoch as they come, and Cancel stops the
subprocess (the project and the models folder stay as they were).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..common import file_chooser
from ..jobs.job_dialog import JobDialog
from ..common.layer_choice import LayerCombo
from ..common.plain_text import plain_label as _plain
from ...store import Project, ProjectError
from ...workflows.training import (
    TrainCancelled,
    TrainError,
    TrainProgress,
    TrainResult,
    TrainSettings,
    default_name,
    train_project,
)
from ..jobs.worker import Job, JobCancelled, JobContext
from .models_dialog import ScorePlot, fill_label_scores, note_label, score_table, table_item


def run_training(path: Path, settings: TrainSettings, name: str, ctx: JobContext,
                 annotator: str | None = None) -> TrainResult:
    """In a worker thread with a Project of its own; the subprocess does the training."""
    with Project.open(path, check=False) as project:
        try:
            return train_project(project, settings, name=name, progress=ctx.progress, cancelled=ctx.is_cancelled,
                                 annotator=annotator)
        except TrainCancelled as exc:
            raise JobCancelled from exc


class TrainDialog(JobDialog):
    use_model = Signal(str)  # a trained model's name, to suggest with

    def __init__(self, project: Project, parent: QWidget | None = None, *, annotator: str | None = None):
        """``annotator``: who edits in the window (their layer is offered first when there are several)."""
        super().__init__(parent)
        self.setWindowTitle("Train a Model")
        self.setObjectName("trainDialog")
        self.path = Path(project.path)
        self.job: Job | None = None
        self.result: TrainResult | None = None
        try:
            stats = project.stats()
            self.models = project.models()
            self.done_count = project.document_count("done")
        except sqlite3.Error:
            stats, self.models, self.done_count = {"spans": {}}, [], 0
        self.entities = sum(c["accepted"] for c in stats["spans"].values() if c["kind"] == "entity")
        self.claims = sum(c["accepted"] for c in stats["spans"].values() if c["kind"] == "claim")
        # Several annotators' layers: training takes one (a training set never mixes annotators).
        self.layer_combo = LayerCombo(project, annotator)
        self.layer_combo.setObjectName("trainLayer")
        self.layer_combo.allow_every(False)
        self.layer_done: dict[str, int] = {}
        if self.layer_combo.several:
            try:
                self.layer_done = {self.layer_combo.itemData(i): project.document_count(
                    "done", annotator=self.layer_combo.itemData(i)) for i in range(1, self.layer_combo.count())}
            except (ProjectError, sqlite3.Error):
                self.layer_done = {}
        self._build()
        self._update()

    # ---------------------------------------------------------------- building
    def _build(self) -> None:
        self.name_edit = QLineEdit(default_name(TrainSettings()))
        self.name_edit.setObjectName("modelName")
        self.ner_check = QCheckBox("&Entities (ner)")
        self.ner_check.setChecked(True)
        self.spancat_check = QCheckBox("C&laims (spancat)")
        self.spancat_check.setChecked(False)
        self.spancat_check.setEnabled(self.claims > 0)
        components = QHBoxLayout()
        components.addWidget(self.ner_check)
        components.addWidget(self.spancat_check)
        components.addStretch(1)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setObjectName("epochs")
        self.epochs_spin.setRange(1, 500)
        self.epochs_spin.setValue(10)
        self.patience_spin = QSpinBox()
        self.patience_spin.setObjectName("patience")
        self.patience_spin.setRange(0, 100)
        self.patience_spin.setValue(3)
        self.patience_spin.setSpecialValueText("never stop early")
        self.patience_spin.setSuffix(" epochs without a better score")
        self.dev_spin = QDoubleSpinBox()
        self.dev_spin.setObjectName("devShare")
        self.dev_spin.setRange(5, 50)
        self.dev_spin.setDecimals(0)
        self.dev_spin.setSuffix(" % of the done documents")
        self.dev_spin.setValue(20)
        self.base_combo = QComboBox()
        self.base_combo.setObjectName("basePipeline")
        self.base_combo.addItem("start from scratch", None)
        for model in self.models:
            self.base_combo.addItem(f"model {model.name}", model.path)
        self.base_button = QPushButton("&Folder…")
        self.base_button.clicked.connect(self._choose_base)
        base_row = QHBoxLayout()
        base_row.addWidget(self.base_combo, 1)
        base_row.addWidget(self.base_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_plain("&Name:", self.name_edit), self.name_edit)
        form.addRow(_plain("Components:"), components)
        form.addRow(_plain("E&pochs:", self.epochs_spin), self.epochs_spin)
        form.addRow(_plain("Pat&ience:", self.patience_spin), self.patience_spin)
        form.addRow(_plain("&Held out to score:", self.dev_spin), self.dev_spin)
        form.addRow(_plain("&Base pipeline:", self.base_combo), base_row)
        if self.layer_combo.several:
            form.addRow(_plain("Annotator's la&yer:", self.layer_combo), self.layer_combo)
        self.data_label = note_label("")
        self.data_label.setObjectName("trainData")
        self.layer_combo.currentIndexChanged.connect(self._layer_changed)
        self._describe_data()
        self.settings_box = QGroupBox("Settings")
        box_layout = QVBoxLayout(self.settings_box)
        box_layout.addLayout(form)
        box_layout.addWidget(self.data_label)

        self.stage_label = _plain(name="trainStage")
        self.progress = QProgressBar()
        self.progress.setObjectName("trainProgress")
        self.progress.setTextVisible(False)
        self.epoch_table = score_table(["Epoch", "Loss", "P %", "R %", "F %", "Score %"], "epochTable", stretch=None)
        self.plot = ScorePlot()
        self.log_view = QPlainTextEdit()
        self.log_view.setObjectName("trainLog")
        self.log_view.setReadOnly(True)
        self.log_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log_view.setMaximumBlockCount(500)
        self.scores_table = score_table(["Label", "Of", "Precision %", "Recall %", "F %"], "labelScores")
        self.scores_title = _plain("Scores of the best epoch, per label, on the held-out documents",
                                   name="labelScoresTitle")
        self.run_box = QGroupBox("Training")
        run_layout = QVBoxLayout(self.run_box)
        run_layout.addWidget(self.stage_label)
        run_layout.addWidget(self.progress)
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.epoch_table)
        upper.addWidget(self.plot)
        upper.setSizes([340, 480])
        run_layout.addWidget(upper, 3)
        run_layout.addWidget(self.scores_title)
        run_layout.addWidget(self.scores_table, 2)
        run_layout.addWidget(self.log_view, 1)
        self.scores_title.hide()
        self.scores_table.hide()
        self.run_box.hide()

        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("&Train", QDialogButtonBox.ButtonRole.ActionRole)
        self.start_button.setObjectName("trainStart")
        self.start_button.setDefault(True)
        self.use_button = self.buttons.addButton("&Use for Suggestions", QDialogButtonBox.ButtonRole.ActionRole)
        self.use_button.setObjectName("trainUse")
        self.use_button.hide()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("trainClose")
        self.start_button.clicked.connect(self.start)
        self.use_button.clicked.connect(self._use)
        self.close_button.clicked.connect(self.reject)
        for check in (self.ner_check, self.spancat_check):
            check.toggled.connect(self._update)
        layout = QVBoxLayout(self)
        self.settings_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(self.settings_box)
        layout.addWidget(self.run_box, 1)
        layout.addStretch(0)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)

    def sizeHint(self) -> QSize:
        return QSize(820, 420)

    def _choose_base(self) -> None:
        folder = file_chooser.folder(self, "Base Pipeline Folder", str(self.path.parent))
        if folder:
            self.base_combo.addItem(f"folder {folder}", folder)
            self.base_combo.setCurrentIndex(self.base_combo.count() - 1)

    def settings(self) -> TrainSettings:
        components = tuple(name for name, check in (("ner", self.ner_check), ("spancat", self.spancat_check))
                           if check.isChecked())
        return TrainSettings(components=components, epochs=self.epochs_spin.value(),
                             patience=self.patience_spin.value(), dev=self.dev_spin.value() / 100,
                             base=self.base_combo.currentData())

    def _layer_changed(self, *_args: object) -> None:
        self._describe_data()
        self._update()

    def _describe_data(self) -> None:
        """What training takes: the chosen layer's done documents (or, with one layer, all)."""
        layer = self.layer_combo.choice() if self.layer_combo.several else None
        if layer is None:
            self.data_label.setText(f"Trains on the {self.done_count:,} documents marked done: {self.entities:,} "
                                    f"tagged entities, {self.claims:,} claims (suggestions that were not accepted "
                                    "do not count).")
        else:
            self.data_label.setText(f"Trains on the layer chosen above, {self.layer_combo.currentText()}: the "
                                    f"{self.layer_done.get(layer, 0):,} documents this annotator marked done. Other "
                                    "annotators' work is left out: one training set never mixes annotators.")

    def _done_documents(self) -> int:
        layer = self.layer_combo.choice() if self.layer_combo.several else None
        return self.done_count if layer is None else self.layer_done.get(layer, 0)

    def _update(self) -> None:
        running = self.is_running
        chosen = self.ner_check.isChecked() or self.spancat_check.isChecked()
        self.start_button.setEnabled(not running and chosen and self._done_documents() >= 2)
        self.settings_box.setEnabled(not running)

    # ---------------------------------------------------------------- running
    def start(self) -> None:
        if self.is_running:
            return
        settings, name, path = self.settings(), self.name_edit.text().strip() or None, self.path
        self.result = None
        self.epoch_table.setRowCount(0)
        self.plot.set_rows([], settings.epochs)
        self.log_view.clear()
        self.scores_table.hide()
        self.scores_title.hide()
        self.use_button.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.stage_label.setText("Exporting the done documents…")
        self.run_box.show()
        self.resize(max(self.width(), 900), max(self.height(), 720))
        layer = self.layer_combo.choice() if self.layer_combo.several else None
        self.job = Job(lambda ctx: run_training(path, settings, name, ctx, layer), self)
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self._trained)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._stopped)  # bound methods only: see SourceDialog._list_installed
        self.job.finished.connect(self._finished)
        self.close_button.setText("&Cancel Training")
        self.job.start()
        self._update()

    def _progress(self, state: TrainProgress) -> None:
        if self.job is not None and self.job.is_cancel_requested:
            return
        self.show_epochs(state.epochs, state.planned_epochs)
        if state.stage == "train" and state.epochs:
            last = state.epochs[-1]
            self.stage_label.setText(f"Epoch {last.epoch} of {state.planned_epochs}: score {last.score * 100:.1f} %")
            self.progress.setRange(0, state.planned_epochs)
            self.progress.setValue(last.epoch)
        else:
            self.stage_label.setText(state.message[:1].upper() + state.message[1:] + "…")
        if state.log_tail:
            self.log_view.setPlainText("\n".join(state.log_tail))
            self.log_view.verticalScrollBar().setValue(self.log_view.verticalScrollBar().maximum())

    def show_epochs(self, rows: Sequence, planned: int) -> None:
        table = self.epoch_table
        table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            scores = dict(row.main_scores())
            prefix = "ents" if "ents_f" in scores else "spans_claims"
            cells = [table_item(str(row.epoch), True), table_item(f"{sum(row.losses.values()):.1f}", True),
                     table_item(f"{scores.get(f'{prefix}_p', 0) * 100:.1f}", True),
                     table_item(f"{scores.get(f'{prefix}_r', 0) * 100:.1f}", True),
                     table_item(f"{scores.get(f'{prefix}_f', 0) * 100:.1f}", True), table_item(f"{row.score * 100:.1f}", True)]
            for column, cell in enumerate(cells):
                table.setItem(i, column, cell)
        if rows:
            table.scrollToBottom()
        self.plot.set_rows(rows, planned)

    def _trained(self, result: TrainResult) -> None:
        self.result = result
        self.show_epochs(result.epochs, self.plot.planned)
        best = max(result.epochs, key=lambda r: r.score, default=None)
        self.stage_label.setText(f"Trained {result.model.name} in {result.seconds:.0f} s on "
                                 f"{result.documents.get('train', 0)} documents"
                                 + (f"; best epoch {best.epoch} (score {best.score * 100:.1f} %)" if best else "")
                                 + f", scored on {result.documents.get('dev', 0)} held-out documents.")
        fill_label_scores(self.scores_table, result.model)
        self.scores_title.show()
        self.scores_table.show()
        self.use_button.show()
        self.use_button.setDefault(True)

    def _failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, (TrainError, ProjectError)):
            text = str(error)
        else:
            text = f"{type(error).__name__}: {error}\n\n{trace}"
        self.stage_label.setText("Training failed; nothing was recorded.")
        self.log_view.appendPlainText("\n" + text)

    def _stopped(self, _partial: object = None) -> None:
        self.stage_label.setText("Training cancelled; nothing was recorded and its folder was removed.")

    def _finished(self) -> None:
        self.progress.hide()
        self.close_button.setText("Close")
        self.close_button.setEnabled(True)
        if self.result is None:
            self.name_edit.setText(default_name(self.settings()))
        self._update()

    def _use(self) -> None:
        if self.result is not None:
            self.use_model.emit(self.result.model.name)
            self.accept()

    def cancel(self) -> None:
        if self.is_running and self.job is not None:
            self.job.cancel()
            self.stage_label.setText("Stopping the training…")
            self.close_button.setEnabled(False)


__all__ = ["TrainCancelled", "TrainDialog", "run_training"]
