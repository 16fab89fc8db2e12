"""Analysis > Agreement…: the figures of docs/agreement.md for chosen annotators and labels,
and the list of disagreements to walk through.

The computation runs off the GUI thread (a Job with a read-only Project of its own): the
figures first (each in-scope document tokenized once), then the disagreements; the progress
bar follows both and Cancel stops between documents. The results: a matrix of the pairs
coloured by the chosen figure (each cell with its n), the pairs, per label and claims tables,
and the disagreements; activating one asks the window to open its document with the two
annotators' layers side by side (``open_unit``). Each table copies as CSV or as a LaTeX table.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...store import Project, ProjectError
from ...store.agreement_reader import AgreementReader
from ...workflows.agreement import AgreementCancelled, AgreementError, AgreementOptions, AgreementResult, \
    compute_agreement
from ...workflows.agreement_report import Table, tables, to_csv, to_latex
from ...workflows.disagreements import DisagreementRow, disagreement_table, find_disagreements
from ..common.bidi import shown_name
from ..common.plain_text import plain_label
from ..jobs.job_dialog import JobDialog
from ..jobs.worker import Job, JobCancelled, JobContext
from .agreement_models import MATRIX_FIGURES, DisagreementModel, PairMatrixModel, TidyTableModel, figure_text
from .scale_legend import ScaleLegend

DISAGREEMENT_LIMIT = 5000  # listed; a big project can have hundreds of thousands


@dataclass(frozen=True)
class AgreementRun:
    result: AgreementResult
    disagreements: list[DisagreementRow]
    more: bool  # more disagreements than listed


def run_agreement(path: Path, options: AgreementOptions, limit: int, ctx: JobContext) -> AgreementRun:
    """The job: figures, then disagreements, with a read-only Project of the thread's own."""
    with Project.open(path, check=False, read_only=True) as project:
        try:
            result = compute_agreement(project, options, should_stop=ctx.is_cancelled,
                                       progress=lambda d, t: ctx.progress(d, 2 * t, f"figures: {d:,} of {t:,} documents"))
            rows = find_disagreements(project, options, limit=limit + 1, should_stop=ctx.is_cancelled,
                                      progress=lambda d, t: ctx.progress(t + d, 2 * t,
                                                                         f"disagreements: {d:,} of {t:,} documents"))
        except AgreementCancelled:
            raise JobCancelled(None) from None
    return AgreementRun(result, rows[:limit], len(rows) > limit)


def _table_view(name: str, model) -> QTableView:  # noqa: ANN001 - any table model
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


def fit_columns(view: QTableView, widest: int = 320) -> None:
    """Columns as wide as their contents (figures are never cut), none wider than ``widest``;
    the last takes what is left."""
    view.resizeColumnsToContents()
    for column in range(view.model().columnCount() - 1):
        view.setColumnWidth(column, min(widest, view.columnWidth(column) + 8))


class AgreementDialog(JobDialog):
    open_unit = Signal(object)  # DisagreementRow: show its document with the two layers

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Agreement — {shown_name(Path(project.path).name)}")
        self.setObjectName("agreementDialog")
        self.path = Path(project.path)
        self.run_result: AgreementRun | None = None
        self._build(project)
        self._update_buttons()

    # ---------------------------------------------------------------- building
    def _build(self, project: Project) -> None:
        try:
            layers = [layer for layer in project.layers() if layer.annotator is not None]
            # The same annotators the command compares by default: also those who tagged
            # nothing in the documents they marked done (AgreementReader.default_annotators).
            untagged = AgreementReader.done_without_layer(project, {layer.annotator.id for layer in layers})
            labels = [lab for lab in project.labels() if lab.kind in ("entity", "claim")]
        except (ProjectError, sqlite3.Error):
            layers, untagged, labels = [], [], []
        self.annotator_list = self._checklist("agreementAnnotators", [
            *((layer.ref, f"{shown_name(layer.ref)}  ({layer.spans:,} spans in {layer.documents:,} documents)")
              for layer in layers),
            *((annotator.ref, f"{shown_name(annotator.ref)}  (nothing tagged; {done:,} documents done)")
              for annotator, done in untagged)])
        self.label_list = self._checklist("agreementLabels", [
            (lab.name, f"{shown_name(lab.name)}  ({lab.kind})") for lab in labels])
        self.compute_button = QPushButton("&Compute")
        self.compute_button.setObjectName("agreementCompute")
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(self.start)
        self.choice_box = QGroupBox("Compare")
        choices = QHBoxLayout(self.choice_box)
        for title, widget in (("&Annotators (with a layer or documents done):", self.annotator_list),
                              ("&Labels (entity and claim):", self.label_list)):
            column = QVBoxLayout()
            column.addWidget(plain_label(title, widget))
            column.addWidget(widget)
            choices.addLayout(column, 1)
        button_column = QVBoxLayout()
        button_column.addStretch(1)
        button_column.addWidget(self.compute_button)
        choices.addLayout(button_column)

        self.progress_label = plain_label(name="agreementProgress")
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.summary_label = plain_label(name="agreementSummary", wrap=True)

        self.figure_combo = QComboBox()
        self.figure_combo.setObjectName("agreementFigure")
        for figure in MATRIX_FIGURES:
            self.figure_combo.addItem(figure[2], figure)
        self.figure_combo.currentIndexChanged.connect(self._figure_changed)
        self.matrix_model = PairMatrixModel(self)
        self.matrix_view = _table_view("agreementMatrix", self.matrix_model)
        self.matrix_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.matrix_view.setAlternatingRowColors(False)
        self.matrix_view.verticalHeader().show()
        self.matrix_view.horizontalHeader().setStretchLastSection(False)
        self.matrix_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.legend = ScaleLegend()
        self.pairs_model, self.labels_model = TidyTableModel(self), TidyTableModel(self)
        self.claims_model, self.attributes_model = TidyTableModel(self), TidyTableModel(self)
        self.disagreement_model = DisagreementModel(self)
        self.disagreement_view = _table_view("disagreements", self.disagreement_model)
        self.disagreement_view.activated.connect(self._activated)
        self.disagreement_view.doubleClicked.connect(self._activated)
        pairs_page = QWidget()
        pairs = QVBoxLayout(pairs_page)
        figure_row = QHBoxLayout()
        figure_row.addWidget(plain_label("&Matrix of:", self.figure_combo))
        figure_row.addWidget(self.figure_combo)
        figure_row.addStretch(1)
        figure_row.addWidget(self.legend)
        pairs.addLayout(figure_row)
        pairs.addWidget(self.matrix_view)
        self.tidy_views = [_table_view(name, model) for name, model in (
            ("agreementPairs", self.pairs_model), ("agreementLabelTable", self.labels_model),
            ("agreementClaims", self.claims_model), ("agreementAttributes", self.attributes_model))]
        pairs.addWidget(self.tidy_views[0], 1)
        claims_page = QWidget()
        claims = QVBoxLayout(claims_page)
        claims.setContentsMargins(0, 0, 0, 0)
        claims.addWidget(self.tidy_views[2], 1)
        claims.addWidget(plain_label("Claim attributes (over the matched claims where both gave a value):"))
        claims.addWidget(self.tidy_views[3], 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("agreementTabs")
        self.tabs.addTab(pairs_page, "&Pairs")
        self.tabs.addTab(self.tidy_views[1], "Per la&bel")
        self.tabs.addTab(claims_page, "Clai&ms")
        self.tabs.addTab(self.disagreement_view, "&Disagreements")

        self.buttons = QDialogButtonBox()
        self.csv_button = QPushButton("Copy as C&SV")
        self.latex_button = QPushButton("Copy as La&TeX")
        for button, handler in ((self.csv_button, self.copy_csv), (self.latex_button, self.copy_latex)):
            button.setAutoDefault(False)
            button.clicked.connect(handler)
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("agreementClose")
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.choice_box)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        for widget in (self.progress_label, self.progress_bar):
            widget.hide()
        self.tabs.setEnabled(False)
        self.resize(900, 720)

    def _checklist(self, name: str, entries: list[tuple[str, str]]) -> QListWidget:
        widget = QListWidget()
        widget.setObjectName(name)
        widget.setMaximumHeight(120)
        for key, text in entries:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            widget.addItem(item)
        widget.itemChanged.connect(self._update_buttons)
        return widget

    # ------------------------------------------------------------------ choices
    @staticmethod
    def _checked(widget: QListWidget) -> list[str]:
        return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, widget: QListWidget, keys: list[str]) -> None:
        for i in range(widget.count()):
            item = widget.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in keys
                               else Qt.CheckState.Unchecked)

    def options(self) -> AgreementOptions:
        labels = self._checked(self.label_list)
        everything = len(labels) == self.label_list.count()
        return AgreementOptions(tuple(self._checked(self.annotator_list)), None if everything else tuple(labels))

    def _update_buttons(self, *_args: object) -> None:
        running = self.is_running
        self.choice_box.setEnabled(not running)
        enough = len(self._checked(self.annotator_list)) >= 2 and bool(self._checked(self.label_list))
        self.compute_button.setEnabled(not running and enough)
        has = self.run_result is not None
        self.csv_button.setEnabled(has and not running)
        self.latex_button.setEnabled(has and not running)
        cancelling = running and self.job is not None and self.job.is_cancel_requested
        self.close_button.setEnabled(not cancelling)
        self.close_button.setText("&Cancel" if running else "&Close")
        if not enough and not running and self.run_result is None:
            self.summary_label.setText("Choose at least two annotators and one label." if self.annotator_list.count()
                                       >= 2 else "Agreement needs the layers of at least two annotators; this "
                                       "project has fewer (merge their files first: File > Team).")

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        if self.is_running or not self.compute_button.isEnabled():
            return
        path, options = self.path, self.options()
        self.job = Job(lambda ctx: run_agreement(path, options, DISAGREEMENT_LIMIT, ctx), self)
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self._succeeded)
        self.job.cancelled.connect(self._cancelled)
        self.job.failed.connect(self._failed)
        self.job.finished.connect(self._finished)
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText("Reading the layers and loading the tokenizer…")
        self.progress_label.show()
        self.progress_bar.show()
        self.job.start()
        self._update_buttons()

    def cancel(self) -> None:
        if self.is_running and self.job is not None:
            self.job.cancel()
            self.progress_label.setText("Cancelling…")
            self._update_buttons()

    def _progress(self, value: tuple[int, int, str]) -> None:
        done, total, message = value
        self.progress_bar.setRange(0, max(1, total))
        self.progress_bar.setValue(done)
        if self.job is not None and not self.job.is_cancel_requested:
            self.progress_label.setText(message[:1].upper() + message[1:])

    def _succeeded(self, run: AgreementRun) -> None:
        self.run_result = run
        result = run.result
        f = result.figures
        parts = [f"{len(f.annotators)} annotators, {f.documents:,} documents that at least two of them marked done."]
        if result.entity_labels:
            parts.append(f"Entities: mean exact F1 {figure_text(f.entity_mean['exact_f1'])}, relaxed "
                         f"{figure_text(f.entity_mean['relaxed_f1'])}, token κ {figure_text(f.entity_mean['kappa_tokens'])}"
                         f" ({len(f.entity_pairs)} pair{'s' if len(f.entity_pairs) != 1 else ''});"
                         f" Krippendorff's α {figure_text(result.alpha_tokens)} over "
                         f"{f.tokens:,} tokens.")
        if result.claim_labels and any(p.count_a or p.count_b for p in f.claim_pairs):
            parts.append(f"Claims: mean relaxed F1 {figure_text(f.claim_mean['relaxed_f1'])}.")
        elif result.claim_labels:
            parts.append("No claims to compare.")
        listed = f"{len(run.disagreements):,}{'+' if run.more else ''}"
        parts.append(f"{listed} disagreements{f' (the first {len(run.disagreements):,} listed)' if run.more else ''}.")
        self.summary_label.setText(" ".join(parts))
        found = tables(result)
        self._show_matrix()
        for model, name in ((self.pairs_model, "pairs"), (self.labels_model, "labels"), (self.claims_model, "claims"),
                            (self.attributes_model, "attributes")):
            model.set_table(found[name])
        self.disagreement_model.set_rows(run.disagreements)
        for view in (*self.tidy_views, self.disagreement_view):
            fit_columns(view)
        self.tabs.setTabText(3, f"&Disagreements ({listed})")
        self.tabs.setEnabled(True)

    def _cancelled(self, _partial: object) -> None:
        self.summary_label.setText("Cancelled; the figures shown (if any) are from the run before.")

    def _failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, (AgreementError, ProjectError, sqlite3.Error, OSError)):
            self.summary_label.setText(f"Cannot compute agreement: {error}")
        else:
            self.summary_label.setText(f"Computing agreement failed: {type(error).__name__}: {error}\n\n{trace}")

    def _finished(self) -> None:
        self.progress_bar.hide()
        self.progress_label.hide()
        self._update_buttons()

    def _figure_changed(self, _index: int) -> None:
        if self.run_result is not None:
            self._show_matrix()

    def _show_matrix(self) -> None:
        """The matrix as tall as its rows (the pairs table below takes the rest of the page)."""
        assert self.run_result is not None
        self.matrix_model.set_result(self.run_result.result, self.figure_combo.currentData())
        view = self.matrix_view
        view.resizeRowsToContents()
        rows = sum(view.rowHeight(r) for r in range(self.matrix_model.rowCount()))
        view.setFixedHeight(min(360, view.horizontalHeader().height() + rows + 2 * view.frameWidth() + 2))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_unit.emit(self.disagreement_model.rows[index.row()])

    # ------------------------------------------------------------------ copying
    def current_tables(self) -> list[tuple[Table, str]]:
        """The tables of the tab on screen, each with a caption."""
        run = self.run_result
        if run is None:
            return []
        found = tables(run.result)
        names = ", ".join(run.result.annotators)
        page = self.tabs.currentIndex()
        if page == 3:
            return [(disagreement_table(run.disagreements), f"Disagreements between {names}")]
        chosen = {0: ["pairs"], 1: ["labels"], 2: ["claims", "attributes"]}[page]
        captions = {"pairs": "Span agreement per pair of annotators", "labels": "Span agreement per label and pair",
                    "claims": "Claim agreement per pair of annotators", "attributes": "Claim attribute agreement"}
        return [(found[name], f"{captions[name]} ({names})") for name in chosen]

    def copy_csv(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(to_csv(table) for table, _caption in self.current_tables()))

    def copy_latex(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(to_latex(table, caption=caption)
                                                      for table, caption in self.current_tables()))
