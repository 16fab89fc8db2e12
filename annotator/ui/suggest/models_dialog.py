"""Model > Models…: the models trained in this project with their per-label precision, recall
and F, and the table and plot helpers the training dialog shares."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..common.plain_text import plain_label as _plain
from ...core.suggestions import TrainedModel
from ...store import Project, ProjectError


def note_label(text: str) -> QLabel:
    label = _plain(text)
    label.setWordWrap(True)
    label.setEnabled(False)
    return label


def table_item(text: str, number: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def score_table(columns: Sequence[str], name: str, stretch: int | None = 0) -> QTableWidget:
    """A read-only table; the ``stretch`` column (a name, not a number) takes the spare width,
    so numbers stay next to each other instead of drifting to the far edge."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill_label_scores(table: QTableWidget, model: TrainedModel | None) -> None:
    """Precision, recall and F (in %) per label, then each component's totals."""
    rows = []
    if model is not None:
        rows = [(component, label, p, r, f) for component, label, p, r, f in model.per_label()]
        totals = model.scores.get("totals", {})
        for prefix, component in (("ents", "ner"), ("spans_claims", "spancat")):
            if f"{prefix}_f" in totals and any(row[0] == component for row in rows):
                rows.append((component, "all labels", totals.get(f"{prefix}_p", 0.0), totals.get(f"{prefix}_r", 0.0),
                             totals.get(f"{prefix}_f", 0.0)))
    table.setRowCount(len(rows))
    for i, (component, label, p, r, f) in enumerate(rows):
        what = {"ner": "entities", "spancat": "claims"}.get(component, component)
        cells = [table_item(label), table_item(what), table_item(f"{p * 100:.1f}", True), table_item(f"{r * 100:.1f}", True),
                 table_item(f"{f * 100:.1f}", True)]
        if label == "all labels":
            for cell in cells:
                font = cell.font()
                font.setBold(True)
                cell.setFont(font)
        for column, cell in enumerate(cells):
            table.setItem(i, column, cell)


class ScorePlot(QWidget):
    """The evaluation score (and entity F, claim F) per epoch, 0-100 %."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scorePlot")
        self.series: dict[str, list[float]] = {}
        self.epochs: list[int] = []
        self.planned = 0
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_rows(self, rows: Sequence, planned: int) -> None:
        self.planned = planned
        self.epochs = [row.epoch for row in rows]
        series: dict[str, list[float]] = {"score": [row.score for row in rows]}
        for key, name in (("ents_f", "entities F"), ("spans_claims_f", "claims F")):
            if rows and all(key in row.scores for row in rows):
                series[name] = [row.scores[key] for row in rows]
        if len(series) == 2 and series["score"] == next(v for k, v in series.items() if k != "score"):
            series = {k: v for k, v in series.items() if k != "score"}  # the same line twice
        self.series = series
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 180)

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlpha(50)
        metrics = painter.fontMetrics()
        # The legend gets a line of its own above the plot: inside it, it would hide the 100 % line.
        left, right, top, bottom = metrics.horizontalAdvance("100 %") + 8, 12, metrics.height() + 14, \
            metrics.height() + 8
        plot = QRectF(left, top, max(10, self.width() - left - right), max(10, self.height() - top - bottom))
        painter.setPen(QPen(grid, 1))
        for value in (0, 25, 50, 75, 100):
            y = plot.bottom() - plot.height() * value / 100
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{value} %")
            painter.setPen(QPen(grid, 1))
        last = max(self.planned, max(self.epochs, default=0), 1)
        painter.setPen(text)
        for epoch in sorted({0, last, *(e for e in self.epochs if last <= 12 or e % max(1, last // 6) == 0)}):
            x = plot.left() + plot.width() * epoch / last
            painter.drawText(QRectF(x - 20, plot.bottom() + 4, 40, metrics.height()), Qt.AlignmentFlag.AlignHCenter,
                             str(epoch))
        if not self.epochs:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "a point per epoch appears here")
            return
        colours = [palette.color(QPalette.ColorRole.Highlight), QColor("#d9822b"), QColor("#3a9e5a")]
        legend_x = plot.left() + 8
        for (name, values), colour in zip(self.series.items(), colours):
            path = QPainterPath()
            points = [QPointF(plot.left() + plot.width() * e / last, plot.bottom() - plot.height() * min(1.0, v))
                      for e, v in zip(self.epochs, values)]
            path.moveTo(points[0])
            for point in points[1:]:
                path.lineTo(point)
            painter.setPen(QPen(colour, 2))
            painter.drawPath(path)
            painter.setBrush(colour)
            for point in points:
                painter.drawEllipse(point, 3, 3)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            legend_y = 4 + metrics.height() / 2
            painter.drawLine(QPointF(legend_x, legend_y), QPointF(legend_x + 16, legend_y))
            painter.setPen(text)
            painter.drawText(QPointF(legend_x + 20, legend_y + metrics.ascent() / 2 - 1), name)
            legend_x += 20 + metrics.horizontalAdvance(name) + 16


class ModelsDialog(QDialog):
    """Model > Models…: every model trained here, and the chosen one's scores per label."""

    use_model = Signal(str)

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.setObjectName("modelsDialog")
        self.project = project
        self.models_table = score_table(["Name", "Trained", "Components", "Documents", "Entities F %", "Claims F %"],
                                   "modelsTable")
        self.models_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.models_table.itemSelectionChanged.connect(self._selected)
        self.models_table.itemDoubleClicked.connect(self._double_clicked)
        self.scores_table = score_table(["Label", "Of", "Precision %", "Recall %", "F %"], "labelScores")
        self.detail = note_label("")
        self.detail.setObjectName("modelDetail")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.use_button = self.buttons.addButton("&Use for Suggestions", QDialogButtonBox.ButtonRole.ActionRole)
        self.use_button.setObjectName("modelsUse")
        self.remove_button = self.buttons.addButton("&Remove…", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.remove_button.setObjectName("modelsRemove")
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        self.use_button.clicked.connect(self._use)
        self.remove_button.clicked.connect(self._remove)
        layout = QVBoxLayout(self)
        layout.addWidget(self.models_table, 2)
        layout.addWidget(self.detail)
        layout.addWidget(_plain("Precision, recall and F per label on the documents held out from training:"))
        layout.addWidget(self.scores_table, 3)
        layout.addWidget(self.buttons)
        self.reload()

    def sizeHint(self) -> QSize:
        return QSize(760, 560)

    def reload(self) -> None:
        try:
            self.models = self.project.models()
        except sqlite3.Error:
            self.models = []
        table = self.models_table
        table.setRowCount(len(self.models))
        for i, model in enumerate(self.models):
            totals = model.scores.get("totals", {})
            ents = totals.get("ents_f")
            claims = totals.get("spans_claims_f")
            cells = [table_item(model.name), table_item(model.created_at[:16].replace("T", " ")),
                     table_item(", ".join(model.components)), table_item(f"{model.documents:,}", True),
                     table_item(f"{ents * 100:.1f}" if ents is not None else "—", True),
                     table_item(f"{claims * 100:.1f}" if claims is not None else "—", True)]
            for column, cell in enumerate(cells):
                table.setItem(i, column, cell)
        if self.models:
            table.selectRow(0)
        else:
            self.detail.setText("No model trained yet: Model > Train… trains one on the documents marked done.")
        self._selected()

    def current(self) -> TrainedModel | None:
        rows = self.models_table.selectionModel().selectedRows()
        return self.models[rows[0].row()] if rows and rows[0].row() < len(self.models) else None

    def _selected(self) -> None:
        model = self.current()
        fill_label_scores(self.scores_table, model)
        self.use_button.setEnabled(model is not None)
        self.remove_button.setEnabled(model is not None and not self.project.read_only)
        if model is not None:
            epochs = len(model.scores.get("epochs", []))
            documents = model.settings.get("documents", {})
            self.detail.setText(f"{model.path}\n{documents.get('train', '?')} training and {documents.get('dev', '?')} "
                                f"held-out documents, {max(0, epochs - 1)} epochs"
                                + (f", started from {model.base}" if model.base else ""))

    def _double_clicked(self, table_item: QTableWidgetItem) -> None:
        self._use()

    def _use(self) -> None:
        model = self.current()
        if model is not None:
            self.use_model.emit(model.name)
            self.accept()

    def _remove(self) -> None:
        model = self.current()
        if model is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Remove Model",
                          f"Remove {model.name} from this project? Its suggestions stay; its folder stays on "
                          f"disk ({Path(model.path).parent.parent}).", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        remove = box.addButton("&Remove", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Keep", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not remove:
            return
        try:
            self.project.remove_model(model.name)
        except (ProjectError, sqlite3.Error) as exc:
            self.detail.setText(str(exc))
            return
        self.reload()
