"""Qt models of an agreement result: the pair matrix coloured by its figure, the tidy tables
(pairs, per label, claims, attributes) and the disagreements list.

Thin adapters over ``workflows.agreement_report`` (``pair_matrix``, ``tables``) and
``workflows.disagreements``: nothing is computed here but colours and text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ...workflows.agreement import AgreementResult
from ...workflows.agreement_report import Cell, Table, pair_matrix
from ...workflows.disagreements import KIND_TITLES, DisagreementRow
from ..common.bidi import shown_name
from ..common.plain_text import tooltip
from ..common.themes import readable_text

_Index = QModelIndex | QPersistentModelIndex
Display, ToolTip, Align = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole
Background, Foreground = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)
UNDEFINED = "—"

# Viridis (perceptually uniform, read alike by colour-blind readers and in print): the value
# 0 is dark purple, 1 yellow. Cells are filled opaque, so the scale reads the same on a light
# and a dark page; the figure's text is black or white, whichever contrasts more.
VIRIDIS = ("#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b",
           "#fde725")

# (layer, attribute, title) of the figures the matrix can show.
MATRIX_FIGURES = (
    ("entity", "exact_f1", "Entities: exact span F1"),
    ("entity", "relaxed_f1", "Entities: relaxed span F1"),
    ("entity", "kappa_tokens", "Entities: token Cohen's κ"),
    ("claim", "exact_f1", "Claims: exact content F1"),
    ("claim", "relaxed_f1", "Claims: relaxed content F1"),
    ("claim", "claimant_agreement", "Claims: claimant agreement"),
    ("claim", "cue_agreement", "Claims: cue agreement"),
)


def scale_color(value: float) -> QColor:
    """The colour of ``value`` (clamped to 0..1; a negative κ is as low as 0)."""
    value = min(1.0, max(0.0, value))
    position = value * (len(VIRIDIS) - 1)
    low = int(position)
    high = min(low + 1, len(VIRIDIS) - 1)
    a, b, t = QColor(VIRIDIS[low]), QColor(VIRIDIS[high]), position - low
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t, a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t)


def figure_text(value: float | None, digits: int = 3) -> str:
    return UNDEFINED if value is None else f"{value:.{digits}f}"


class PairMatrixModel(QAbstractTableModel):
    """Annotator × annotator: each cell the pair's figure over its n documents, coloured by it."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._names: tuple[str, ...] = ()
        self._cells: list[list[tuple[float | None, int] | None]] = []
        self._pairs: dict[tuple[str, str], object] = {}
        self.figure = MATRIX_FIGURES[0]

    def set_result(self, result: AgreementResult | None, figure: tuple[str, str, str] | None = None) -> None:
        self.beginResetModel()
        if figure is not None:
            self.figure = figure
        layer, attribute, _title = self.figure
        if result is None:
            self._names, self._cells, self._pairs = (), [], {}
        else:
            self._names, self._cells = pair_matrix(result, attribute, layer)
            pairs = result.figures.entity_pairs if layer == "entity" else result.figures.claim_pairs
            self._pairs = {(p.a, p.b): p for p in pairs} | {(p.b, p.a): p for p in pairs}
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._names)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._names)

    def cell(self, row: int, column: int) -> tuple[float | None, int] | None:
        return self._cells[row][column]

    def data(self, index: _Index, role: int = Display) -> object:
        if not index.isValid() or index.parent().isValid():
            return None
        cell = self._cells[index.row()][index.column()]
        if role == Align:
            return CENTER
        if cell is None:  # the diagonal: an annotator with themself
            return UNDEFINED if role == Display else None
        value, documents = cell
        if role == Display:
            return f"{figure_text(value)}\n{documents:,} doc{'s' if documents != 1 else ''}"
        if role == Background and value is not None:
            return scale_color(value)
        if role == Foreground and value is not None:
            return readable_text(scale_color(value), QColor("#ffffff"))
        if role == ToolTip:
            return tooltip(self._describe(index.row(), index.column(), value, documents))
        return None

    def _describe(self, row: int, column: int, value: float | None, documents: int) -> str:
        a, b = self._names[row], self._names[column]
        pair = self._pairs.get((a, b))
        title = self.figure[2]
        text = f"{shown_name(a)} / {shown_name(b)}: {title.split(': ', 1)[-1]} {figure_text(value)} " \
               f"over {documents:,} documents both marked done"
        if pair is not None:
            text += f"; {getattr(pair, 'count_a'):,} and {getattr(pair, 'count_b'):,} " \
                    f"{'spans' if self.figure[0] == 'entity' else 'claims'}"
        return text + ("" if value is not None else "\n— : undefined (nothing to compare)")

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Display) -> object:
        if role == Display and 0 <= section < len(self._names):
            return shown_name(self._names[section])
        return None


class TidyTableModel(QAbstractTableModel):
    """One tidy table (agreement_report.Table): figures right-aligned, undefined as —."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.table = Table("", (), ())

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.table.header)

    def data(self, index: _Index, role: int = Display) -> object:
        if not index.isValid() or index.parent().isValid():
            return None
        value: Cell = self.table.rows[index.row()][index.column()]
        if role == Display:
            if value is None:
                return UNDEFINED
            if isinstance(value, float):
                return figure_text(value)
            return f"{value:,}" if isinstance(value, int) else shown_name(str(value))
        if role == Align and (value is None or isinstance(value, (int, float))):
            return RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Display) -> object:
        if role == Display and orientation == Qt.Orientation.Horizontal and section < len(self.table.header):
            return self.table.header[section].replace("_", " ")
        return None


DISAGREEMENT_COLUMNS = ("Document", "Annotators", "Kind", "What differs", "Text")


class DisagreementModel(QAbstractTableModel):
    """Each unit where two annotators differ: document, pair, kind, what differs, the text."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[DisagreementRow] = []

    def set_rows(self, rows: Sequence[DisagreementRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(DISAGREEMENT_COLUMNS)

    def data(self, index: _Index, role: int = Display) -> object:
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.rows[index.row()]
        if role == Display:
            return shown_name(" ".join(self._cells(row)[index.column()].split()))
        if role == ToolTip:
            return tooltip(shown_name("\n".join(f"{title}: {text}" for title, text
                                                in zip(DISAGREEMENT_COLUMNS, self._cells(row)))))
        if role == Foreground and index.column() == 2:
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None

    @staticmethod
    def _cells(row: DisagreementRow) -> tuple[str, str, str, str, str]:
        texts = [t for t in (row.text_a, row.text_b) if t is not None]
        text = " / ".join(dict.fromkeys(texts)) if texts else ""
        return (row.document or f"document {row.doc_id}", f"{row.a} / {row.b}", f"{row.layer} · {KIND_TITLES[row.kind]}",
                row.description, text)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Display) -> object:
        if role == Display and orientation == Qt.Orientation.Horizontal and section < len(DISAGREEMENT_COLUMNS):
            return DISAGREEMENT_COLUMNS[section]
        return None
