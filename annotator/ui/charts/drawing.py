"""Drawing a ``core.dashboard.Chart`` into a pyqtgraph plot, one function per kind.

Each function returns a ``Drawn``: the plot items it made (tests read the plotted values back
from them) and the hover targets (what the numbers on hover say, in data coordinates).
Names from the project (labels, annotators, claimants) reach pyqtgraph's HTML labels only
escaped, with bidi controls written out.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from ...core.dashboard import GROUPED, HBARS, HEATMAP, LINES, STACKED, Chart
from ..common.bidi import shown_name
from .style import ChartStyle

MAX_TICKS = 12  # category labels on an axis before they are thinned out
NAME_WIDTH = 280  # pixels: longer category names (claimants) are elided on the axis, whole on hover
BAR = 0.8  # the share of a category's room its bars take
TOP_ROOM = 1.04  # a fixed range (F1 up to 1) gets this much more above it, so a bar at 1 is not cut
DATE_TICKS = 8  # ISO dates on a time axis, at most (each about 70 pixels wide)
DAY = 86400.0


@dataclass
class Drawn:
    """What was drawn: items by series name, and hover targets ((x0, y0, x1, y1), text)."""

    bars: dict[str, pg.BarGraphItem] = field(default_factory=dict)
    lines: dict[str, pg.PlotDataItem] = field(default_factory=dict)
    cells: list[tuple[QGraphicsRectItem, pg.TextItem]] = field(default_factory=list)
    targets: list[tuple[tuple[float, float, float, float], str]] = field(default_factory=list)
    column: Callable[[float], str | None] | None = None  # lines: the readout of the nearest x

    def hover(self, x: float, y: float) -> str | None:
        for (x0, y0, x1, y1), text in self.targets:
            if x0 <= x <= x1 and y0 <= y <= y1:
                return text
        return self.column(x) if self.column is not None else None


def number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}" if abs(value) <= 1 else f"{value:,.1f}"


class NumberAxis(pg.AxisItem):
    """Counts written with thousands separators (100,000, not 100000); fractions as they are.
    No SI prefix: a time axis in POSIX seconds would be titled "(x1e+09)"."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):  # noqa: ANN001,N802 - pyqtgraph's signature
        if spacing >= 1:
            return [f"{v * scale:,.0f}" for v in values]
        return super().tickStrings(values, scale, spacing)


def label(text: str) -> str:
    """A name for pyqtgraph's HTML labels (legend): shown as written, never as markup."""
    return html.escape(shown_name(text))


def draw(plot: pg.PlotItem, legend: pg.LegendItem, chart: Chart, style: ChartStyle) -> Drawn:
    plot.clear()
    legend.clear()
    drawn = {STACKED: _vertical_bars, GROUPED: _vertical_bars, HBARS: _horizontal_bars, LINES: _lines,
             HEATMAP: _heatmap}[chart.kind](plot, legend, chart, style)
    plot.setLabel("bottom", chart.x_title if chart.kind != HEATMAP else "")
    plot.setLabel("left", chart.y_title if chart.kind != HEATMAP else "")
    legend.setVisible(len(chart.series) > 1 and chart.kind != HEATMAP)
    return drawn


def _ticks(names: list[str]) -> list[list[tuple[float, str]]]:
    """Category labels, thinned out to as many as fit side by side (about 760 pixels, 7 a letter)."""
    longest = max((len(n) for n in names), default=1)
    limit = max(2, min(MAX_TICKS, 760 // (longest * 7 + 18)))
    step = max(1, math.ceil(len(names) / limit))
    return [[(i, shown_name(n)) for i, n in enumerate(names) if i % step == 0],
            [(i, "") for i in range(len(names))]]


def _brush(style: ChartStyle, index: int) -> QBrush:
    return QBrush(style.color(index))


def _vertical_bars(plot: pg.PlotItem, legend: pg.LegendItem, chart: Chart, style: ChartStyle) -> Drawn:
    drawn = Drawn()
    names = list(chart.categories)
    x = np.arange(len(names), dtype=float)
    bottom = np.zeros(len(names))
    grouped = chart.kind == GROUPED and len(chart.series) > 1
    width = BAR / len(chart.series) if grouped else BAR
    for i, series in enumerate(chart.series):
        values = np.array([v or 0.0 for v in series.values], dtype=float)
        centres = x - BAR / 2 + width * (i + 0.5) if grouped else x
        item = pg.BarGraphItem(x=centres, height=values, y0=bottom if not grouped else 0.0, width=width,
                               brush=_brush(style, i), pen=pg.mkPen(style.background, width=0.5))
        plot.addItem(item)
        legend.addItem(item, label(series.name))
        drawn.bars[series.name] = item
        for k, value in enumerate(series.values):
            base = 0.0 if grouped else bottom[k]
            top = base + (value or 0.0)
            who = f"{shown_name(series.name)}: " if len(chart.series) > 1 else ""
            drawn.targets.append(((centres[k] - width / 2, base, centres[k] + width / 2, max(top, base)),
                                  f"{shown_name(names[k])}\n{who}{number(value)}"))
        if not grouped:
            bottom = bottom + values
    tallest = max([*bottom, *(v or 0 for s in chart.series for v in s.values)], default=0) or 1
    plot.getAxis("bottom").setTicks(_ticks(names))
    plot.getAxis("left").setTicks(None)
    high = chart.value_range[1] * TOP_ROOM if chart.value_range else tallest * 1.08
    plot.setRange(xRange=(-0.6, max(len(names) - 0.4, 0.6)), yRange=(0, high), padding=0)
    return drawn


def _horizontal_bars(plot: pg.PlotItem, legend: pg.LegendItem, chart: Chart, style: ChartStyle) -> Drawn:
    drawn = Drawn()
    names = list(chart.categories)
    y = np.arange(len(names), dtype=float)
    left = np.zeros(len(names))
    for i, series in enumerate(chart.series):
        values = np.array([v or 0.0 for v in series.values], dtype=float)
        item = pg.BarGraphItem(x0=left, y=y, height=BAR, width=values, brush=_brush(style, i),
                               pen=pg.mkPen(style.background, width=0.5))
        plot.addItem(item)
        legend.addItem(item, label(series.name))
        drawn.bars[series.name] = item
        for k, value in enumerate(series.values):
            who = f"{shown_name(series.name)}: " if len(chart.series) > 1 else ""
            drawn.targets.append(((left[k], y[k] - BAR / 2, left[k] + (value or 0.0), y[k] + BAR / 2),
                                  f"{shown_name(names[k])}\n{who}{number(value)}"))
        left = left + values
    axis = plot.getAxis("left")
    metrics = QFontMetrics(axis.style.get("tickFont") or QFont())
    elided = [metrics.elidedText(shown_name(n), Qt.TextElideMode.ElideRight, NAME_WIDTH) for n in names]
    axis.setTicks([[(i, n) for i, n in enumerate(elided)], []])
    axis.setWidth(min(NAME_WIDTH, max((metrics.horizontalAdvance(n) for n in elided), default=40)) + 16)
    plot.getAxis("bottom").setTicks(None)
    plot.getViewBox().invertY(True)  # the first (largest) at the top, as a list reads
    widest = max(left, default=0) or 1
    plot.setRange(xRange=(0, widest * 1.05), yRange=(-0.6, max(len(names) - 0.4, 0.6)), padding=0)
    return drawn


def _seconds(text: str) -> float:
    """An ISO date or timestamp (UTC) as POSIX seconds, for pyqtgraph's date axis."""
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)).timestamp()


def date_ticks(first: float, last: float) -> list[tuple[float, str]]:
    """Ticks for a time axis from ``first`` to ``last`` (POSIX seconds, UTC): ISO dates, every
    1, 2, 3, 7 or 14 days or on the first of every 1, 2, 3, 6 or 12 months, the finest step that
    gives at most ``DATE_TICKS`` (pyqtgraph's own date axis mixes month names and day numbers
    that run into each other: "26 Mar03")."""
    start = dt.datetime.fromtimestamp(first, dt.timezone.utc).date()
    end = dt.datetime.fromtimestamp(last, dt.timezone.utc).date()
    days = (end - start).days
    for step in (1, 2, 3, 7, 14):
        if days // step + 1 <= DATE_TICKS:
            marks = [start + dt.timedelta(days=i) for i in range(0, days + 1, step)]
            break
    else:
        months = (end.year - start.year) * 12 + end.month - start.month
        step = next((m for m in (1, 2, 3, 6) if months // m + 1 <= DATE_TICKS), 12 * math.ceil(months / 12 / DATE_TICKS))
        marks, year, month = [], start.year, start.month
        while (year, month) <= (end.year, end.month):
            if (month - 1) % min(step, 12) == 0 and (step <= 12 or year % (step // 12) == 0):
                day = dt.date(year, month, 1)
                if start <= day:
                    marks.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [(_seconds(day.isoformat()), day.isoformat()) for day in marks]


def _lines(plot: pg.PlotItem, legend: pg.LegendItem, chart: Chart, style: ChartStyle) -> Drawn:
    drawn = Drawn()
    x = np.array([_seconds(c) for c in chart.categories], dtype=float)
    points = chart.extra.get("points")  # models: one named point per category
    for i, series in enumerate(chart.series):
        y = np.array([np.nan if v is None else v for v in series.values], dtype=float)
        color = style.muted if series.style == "dashed" and i == 1 and not points else style.color(i)
        # Past the palette's eight colours a line repeats one: dotted, so two lines never look alike.
        dashes = Qt.PenStyle.DashLine if series.style == "dashed" else (
            Qt.PenStyle.DotLine if i >= len(style.series) else Qt.PenStyle.SolidLine)
        pen = pg.mkPen(color, width=2.5 if series.style == "solid" else 2, style=dashes)
        item = pg.PlotDataItem(x, y, pen=pen, connect="finite", name=label(series.name),
                               symbol="o" if points else None, symbolSize=7, symbolBrush=color, symbolPen=color)
        plot.addItem(item)
        legend.addItem(item, label(series.name))
        drawn.lines[series.name] = item

    def column(at: float) -> str | None:
        if not len(x):
            return None
        k = int(np.argmin(np.abs(x - at)))
        head = chart.categories[k] if not points else f"{shown_name(str(points[k]))} ({chart.categories[k][:10]})"
        lines = [f"{shown_name(s.name)}: {number(s.values[k])}" for s in chart.series if s.values[k] is not None]
        return "\n".join([head, *lines]) if lines else None

    drawn.column = column
    plot.getAxis("left").setTicks(None)
    if len(x):
        span = max(x[-1] - x[0], 86400.0)
        low = chart.value_range[0] if chart.value_range else 0.0
        finite = [v for s in chart.series for v in s.values if v is not None]
        high = chart.value_range[1] * TOP_ROOM if chart.value_range else (max(finite, default=1) or 1) * 1.05
        plot.setRange(xRange=(x[0] - span * 0.02, x[-1] + span * 0.02), yRange=(low, high), padding=0)
    plot.getAxis("bottom").setTicks([date_ticks(x[0], x[-1]) if len(x) else [], []])
    return drawn


def _heatmap(plot: pg.PlotItem, legend: pg.LegendItem, chart: Chart, style: ChartStyle) -> Drawn:
    drawn = Drawn()
    names = list(chart.categories)
    documents = chart.extra.get("documents") or ()
    for row, series in enumerate(chart.series):
        for col, value in enumerate(series.values):
            fill = QColor(style.muted) if value is None else style.heat(value)
            rect = QGraphicsRectItem(QRectF(col, row, 1, 1))
            rect.setBrush(QBrush(fill))
            rect.setPen(QPen(style.background, 0))
            plot.addItem(rect)
            text = "—" if value is None else f"{value:.2f}"
            item = pg.TextItem(text, color=style.ink_on(fill) if value is not None else style.foreground,
                               anchor=(0.5, 0.5))
            item.setPos(col + 0.5, row + 0.5)
            plot.addItem(item)
            drawn.cells.append((rect, item))
            n = documents[row][col] if row < len(documents) and col < len(documents[row]) else None
            about = "the same annotator" if row == col else (
                f"exact F1 {number(value)}" + (f" over {n:,} documents" if n is not None else ""))
            drawn.targets.append(((col, row, col + 1, row + 1),
                                  f"{shown_name(names[row])} / {shown_name(names[col])}\n{about}"))
    for side in ("bottom", "left"):
        plot.getAxis(side).setTicks([[(i + 0.5, shown_name(n)) for i, n in enumerate(names)], []])
    plot.getViewBox().invertY(True)
    plot.setRange(xRange=(0, max(len(names), 1)), yRange=(0, max(len(names), 1)), padding=0)
    return drawn
