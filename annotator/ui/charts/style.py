"""Colours of a chart, taken from the widget's palette so charts follow the light and dark themes.

Series colours are the Okabe–Ito palette (told apart with the common colour-vision
deficiencies), in a lighter variant on dark pages; the heat map uses viridis, whose
lightness rises evenly, so a printed grey copy still reads in order.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette

from ..common.themes import is_dark

LIGHT_SERIES = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#8c6d1f", "#555555")
DARK_SERIES = ("#56b4e9", "#e69f00", "#2fbf8f", "#e08dbf", "#ff8a4c", "#9fd8ff", "#d8b54a", "#bbbbbb")
HEATMAP = "viridis"


@dataclass(frozen=True)
class ChartStyle:
    background: QColor
    foreground: QColor
    muted: QColor  # grid lines, the dashed "project size"
    series: tuple[str, ...]
    dark: bool

    @classmethod
    def from_palette(cls, palette: QPalette) -> ChartStyle:
        dark = is_dark(palette)
        role = QPalette.ColorRole
        muted = QColor(palette.color(role.Text))
        muted.setAlphaF(0.45)
        return cls(QColor(palette.color(role.Base)), QColor(palette.color(role.Text)), muted,
                   DARK_SERIES if dark else LIGHT_SERIES, dark)

    def color(self, index: int) -> QColor:
        return QColor(self.series[index % len(self.series)])

    @staticmethod
    def heat(value: float) -> QColor:
        """The heat map's colour of a value in 0..1."""
        return pg.colormap.get(HEATMAP).map(min(max(value, 0.0), 1.0), mode="qcolor")

    @staticmethod
    def ink_on(color: QColor) -> QColor:
        """Black or white, whichever reads on ``color``: by relative luminance (WCAG), not HSL
        lightness, which calls viridis' yellow-greens dark and put white on them."""

        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        luminance = 0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF()) + 0.0722 * linear(color.blueF())
        # Black's contrast beats white's above about 0.18.
        return QColor("#000000") if luminance > 0.18 else QColor("#ffffff")
