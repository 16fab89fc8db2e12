"""One chart: its title, a note, the plot and its legend, with Save as PNG, Save as SVG and
Copy Data as CSV.

The *figure* (title, note, plot, legend) is what the files hold; the buttons are not in it.
Colours come from the widget's palette and the chart is drawn again when the palette changes
(the View > Theme menu), so it follows light and dark without being told. Numbers show on
hover (a tooltip; ``hover_text`` keeps the last one).
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QByteArray, QBuffer, QEvent, QIODevice, QPoint, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication, QPainter, QPalette, QTextOption
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMenu, QToolButton, QToolTip, QVBoxLayout, QWidget

from ...core.dashboard import HBARS, HEATMAP, Chart
from ..common.plain_text import plain_label
from .drawing import Drawn, NumberAxis, draw
from .style import ChartStyle

# A chart as a file: the size it is drawn at for the report and for Save.
FIGURE_SIZE = QSize(880, 460)
EMPTY_TEXT_WIDTH = 520  # pixels: why a chart is empty, wrapped in the middle of it

pg.setConfigOptions(antialias=True)


class ChartView(QWidget):
    saved = Signal(str)  # a file written (path)
    failed = Signal(str)  # why a file could not be written

    def __init__(self, chart: Chart, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = chart
        self.setObjectName(f"chart.{chart.key}")
        self.drawn = Drawn()
        self.hover_text: str | None = None
        self.empty_text: pg.TextItem | None = None
        self._drawing = False

        self.figure = QFrame(self)
        self.figure.setObjectName("figure")
        self.figure.setAutoFillBackground(True)
        self.figure.setBackgroundRole(QPalette.ColorRole.Base)  # the files have one background, the plot's
        self.title = plain_label(name="chartTitle", wrap=True)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.note = plain_label(name="chartNote", wrap=True)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumHeight(240)
        self.plot = self.graphics.addPlot(row=0, col=0, axisItems={"left": NumberAxis("left"),
                                                                   "bottom": NumberAxis("bottom")})
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.legend = pg.LegendItem(colCount=4, frame=False)
        self.graphics.addItem(self.legend, row=1, col=0)
        self.graphics.scene().sigMouseMoved.connect(self._mouse_moved)
        figure_layout = QVBoxLayout(self.figure)
        figure_layout.setContentsMargins(10, 8, 10, 6)
        figure_layout.setSpacing(2)
        figure_layout.addWidget(self.title)
        figure_layout.addWidget(self.note)
        figure_layout.addWidget(self.graphics, 1)

        self.png_button = self._button("Save PNG…", "Save this chart as a PNG picture", self.ask_png)
        self.svg_button = self._button("Save SVG…", "Save this chart as an SVG drawing (scales without blur)",
                                       self.ask_svg)
        self.csv_button = self._button("Copy Data", "Copy the numbers of this chart as CSV (paste into a "
                                                    "spreadsheet)", self.copy_csv)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(10, 0, 10, 4)
        buttons.addStretch(1)
        for button in (self.csv_button, self.png_button, self.svg_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.figure, 1)
        layout.addLayout(buttons)
        self.set_chart(chart)

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # ------------------------------------------------------------------ drawing
    def set_chart(self, chart: Chart) -> None:
        self.chart = chart
        self.redraw()

    def redraw(self) -> None:
        if self._drawing:
            return
        self._drawing = True
        try:
            style = ChartStyle.from_palette(self.palette())
            self.graphics.setBackground(style.background)
            self.figure.setStyleSheet("")
            for side in ("bottom", "left"):
                axis = self.plot.getAxis(side)
                axis.setPen(style.muted)
                axis.setTextPen(style.foreground)
            self.plot.getViewBox().invertY(False)
            self.plot.showGrid(x=self.chart.kind == HBARS, y=self.chart.kind not in (HBARS, HEATMAP), alpha=0.18)
            self.legend.setLabelTextColor(style.foreground)
            self.drawn = draw(self.plot, self.legend, self.chart, style)
            self.title.setText(self.chart.title)
            self._show_empty(style)
            self.set_note(self.chart.note)
            self.setToolTip("")
        finally:
            self._drawing = False

    def _show_empty(self, style: ChartStyle) -> None:
        """Nothing to draw: no axes counting 0.1 to 1.0 of nothing, but why, where the bars would be."""
        empty = self.chart.empty
        for side in ("left", "bottom"):
            self.plot.showAxis(side, not empty)
        self.empty_text = None
        if not empty:
            return
        self.plot.showGrid(x=False, y=False)
        self.legend.setVisible(False)
        self.plot.getViewBox().invertY(False)
        self.drawn.targets, self.drawn.column = [], None
        self.empty_text = pg.TextItem(color=style.foreground, anchor=(0.5, 0.5))
        self.empty_text.setTextWidth(EMPTY_TEXT_WIDTH)
        self.empty_text.textItem.document().setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignCenter))
        self.plot.addItem(self.empty_text)
        self.empty_text.setPos(0.5, 0.5)
        self.plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)

    def set_note(self, text: str) -> None:
        """What the chart says beside its numbers: under the title, or in the middle of an empty plot."""
        if self.empty_text is not None:
            self.empty_text.setPlainText(text or "Nothing to show.")
            self.note.setVisible(False)
        else:
            self.note.setText(text)
            self.note.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.redraw()
        super().changeEvent(event)

    # ------------------------------------------------------------------ hover
    def hover_at(self, x: float, y: float) -> str | None:
        """What the tooltip says over data coordinates (x, y)."""
        return self.drawn.hover(x, y)

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        box = self.plot.getViewBox()
        if not box.sceneBoundingRect().contains(scene_pos):
            self.hover_text = None
            QToolTip.hideText()
            return
        point = box.mapSceneToView(scene_pos)
        self.hover_text = self.hover_at(point.x(), point.y())
        view_pos = self.graphics.mapFromScene(scene_pos)
        where = self.graphics.viewport().mapToGlobal(view_pos)
        if self.hover_text:
            QToolTip.showText(where, self.hover_text, self.graphics)
        else:
            QToolTip.hideText()

    def contextMenuEvent(self, event) -> None:  # noqa: ANN001 - QContextMenuEvent
        menu = QMenu(self)
        for text, slot in (("Copy Data as CSV", self.copy_csv), ("Save as PNG…", self.ask_png),
                           ("Save as SVG…", self.ask_svg)):
            action = QAction(text, menu)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            menu.addAction(action)
        menu.exec(event.globalPos())
        menu.deleteLater()

    # ------------------------------------------------------------------ files
    def png_bytes(self, size: QSize = FIGURE_SIZE) -> bytes:
        """The figure as a PNG, drawn at ``size`` (the window's copy is not resized)."""
        image = self._render_figure(size).toImage()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())

    def save_png(self, path: str | Path, size: QSize = FIGURE_SIZE) -> None:
        Path(path).write_bytes(self.png_bytes(size))

    def save_svg(self, path: str | Path, size: QSize = FIGURE_SIZE) -> None:
        """The figure as SVG, drawn by Qt's SVG painter (pyqtgraph's own SVG exporter fails on
        the paths Qt 6 writes: pyqtgraph issue 3485)."""
        with _resized(self, size) as figure:
            generator = QSvgGenerator()
            generator.setFileName(str(path))
            generator.setSize(size)
            generator.setViewBox(QRect(0, 0, size.width(), size.height()))
            generator.setTitle(self.chart.title)
            generator.setDescription(self.chart.note)
            painter = QPainter(generator)
            try:
                figure.render(painter, QPoint(0, 0))
            finally:
                painter.end()
        if not Path(path).is_file() or Path(path).stat().st_size == 0:
            raise OSError(f"{path}: nothing was written")

    def _render_figure(self, size: QSize):
        with _resized(self, size) as figure:
            return figure.grab()

    def copy_csv(self) -> str:
        text = self.chart.csv()
        QGuiApplication.clipboard().setText(text)
        return text

    def ask_png(self) -> None:
        self._ask("Save Chart as PNG", "PNG pictures (*.png)", ".png", self.save_png)

    def ask_svg(self) -> None:
        self._ask("Save Chart as SVG", "SVG drawings (*.svg)", ".svg", self.save_svg)

    def _ask(self, caption: str, filters: str, suffix: str, write) -> None:
        from ..common import file_chooser

        name = file_chooser.save_file(self, caption, f"{self.chart.key}{suffix}", filters)
        if not name:
            return
        path = Path(name) if Path(name).suffix.lower() == suffix else Path(name + suffix)
        try:
            write(path)
        except OSError as exc:
            self.failed.emit(f"{path}: cannot write: {exc.strerror or exc}")
            return
        self.saved.emit(str(path))


class _resized:
    """Lay a chart out so that its figure has another size for one drawing, then put it back.
    A chart in a window's layout is drawn from a copy of its own: the layout would put the
    chart back to its place in the grid (a fixed height, a column's width) before it is drawn."""

    def __init__(self, chart: ChartView, size: QSize):
        self.size = size
        self.copy = None
        if chart.parentWidget() is not None:
            self.copy = ChartView(chart.chart)
            self.copy.setPalette(chart.palette())
            self.copy.redraw()
        self.view = self.copy or chart
        self.figure = self.view.figure
        self.before = self.view.size()

    def _lay_out(self, size: QSize) -> None:
        self.view.resize(size)
        self.view.layout().activate()
        QGuiApplication.processEvents()  # pyqtgraph lays its scene out on resize events

    def __enter__(self) -> QWidget:
        extra = self.view.height() - self.figure.height()
        self._lay_out(QSize(self.size.width(), self.size.height() + max(extra, 0)))
        if self.figure.size() != self.size:  # the buttons' row took another height
            extra = self.view.height() - self.figure.height()
            self._lay_out(QSize(self.size.width(), self.size.height() + extra))
        # pyqtgraph widens an axis for its tick labels while painting it: paint once, lay out
        # again, and the drawing that counts has room for "100,000".
        self.figure.grab()
        QGuiApplication.processEvents()
        return self.figure

    def __exit__(self, *_exc: object) -> None:
        if self.copy is not None:
            self.copy.deleteLater()
        else:
            self._lay_out(self.before)
