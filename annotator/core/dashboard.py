"""The dashboard's plain data: what a filter chooses, and each chart as numbers and a table.

Nothing here draws: ``ui/charts`` turns a ``Chart`` into pyqtgraph items and
``workflows/report_html`` into a page. A chart carries the same numbers twice, as series to
plot and as a tidy table (``header`` and ``rows``) for CSV and the report, so what a reader
copies is exactly what is drawn.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

# What a chart looks like; ui/charts has one way of drawing each.
STACKED = "stacked"  # vertical bars, series stacked per category
GROUPED = "grouped"  # vertical bars, series side by side per category
HBARS = "hbars"  # horizontal bars, series stacked: long category names (claimants) read left to right
LINES = "lines"  # lines over time: categories are ISO dates or timestamps
HEATMAP = "heatmap"  # a matrix: categories are rows and columns, series[i] is row i
KINDS = (STACKED, GROUPED, HBARS, LINES, HEATMAP)

Cell = str | int | float | None


@dataclass(frozen=True)
class DashboardFilter:
    """What the charts count. None everywhere: everything.

    ``annotators``: refs of the annotators whose work is counted; ``labels``: label names (the
    claim charts follow the claim labels among them, and all claims when none is a claim
    label); ``statuses``: only annotations in documents whose status (of the annotator who
    made them) is one of these; ``since``/``until``: ISO dates (YYYY-MM-DD, UTC, both
    included) of when a document was marked done, a span or claim made, a model trained.
    """

    annotators: tuple[str, ...] | None = None
    labels: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    since: str | None = None
    until: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == DashboardFilter()


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per category; None: nothing to draw there
    style: str = "solid"  # lines: "solid", "dashed" (a projection, a target)


@dataclass(frozen=True)
class Chart:
    key: str  # a file name stem: progress, cumulative, labels, attribute-stance, claimants, ...
    title: str  # says what the chart shows
    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    x_title: str = ""
    y_title: str = ""
    note: str = ""  # under the title: the projected finish, why the chart is empty, what is pending
    value_range: tuple[float, float] | None = None  # fixed y (or colour) range: F1 and friends are 0..1
    extra: dict[str, object] = field(default_factory=dict, compare=False)  # per-kind details (e.g. counts)

    @property
    def empty(self) -> bool:
        return not self.categories or not any(v for s in self.series for v in s.values if v is not None)

    def csv(self) -> str:
        """The chart's table as CSV (RFC 4180, LF line ends); missing numbers are empty cells."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(["" if cell is None else cell for cell in row] for row in self.rows)
        return out.getvalue()
