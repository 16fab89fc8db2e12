"""Charts drawn without a window, for ``annotator report``: PNG or SVG files of each chart, in
the light theme (a report is printed and mailed more often than it is read in the dark)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ...core.dashboard import Chart
from ..common.themes import theme_palette
from .chart_view import ChartView


def application() -> QApplication:
    """The running QApplication, or a new one (the caller chose the platform: offscreen without a display)."""
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication(["annotator-report"])


def _views(charts: Sequence[Chart], theme: str) -> list[ChartView]:
    application()
    views = []
    for chart in charts:
        view = ChartView(chart)
        view.setPalette(theme_palette(theme))
        view.redraw()
        views.append(view)
    return views


def render_png(charts: Sequence[Chart], theme: str = "light") -> dict[str, bytes]:
    """Each chart's key -> its PNG."""
    pictures = {}
    for view in _views(charts, theme):
        pictures[view.chart.key] = view.png_bytes()
        view.deleteLater()
    return pictures


def render_svg(charts: Sequence[Chart], theme: str = "light") -> dict[str, bytes]:
    """Each chart's key -> its SVG (written through a file: Qt's SVG painter writes files)."""
    drawings = {}
    with tempfile.TemporaryDirectory() as tmp:
        for view in _views(charts, theme):
            path = Path(tmp) / f"{view.chart.key}.svg"
            view.save_svg(path)
            drawings[view.chart.key] = path.read_bytes()
            view.deleteLater()
    return drawings
