"""The colour scale of the agreement matrix, drawn as a small bar from 0 to 1."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QLinearGradient, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QWidget

from .agreement_models import VIRIDIS

BAR = 14


class ScaleLegend(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("agreementLegend")
        self.setToolTip("Cell colour: the figure from 0 (dark purple) to 1 (yellow); — is undefined")

    def sizeHint(self) -> QSize:
        return QSize(220, BAR + self.fontMetrics().height() + 4)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("0") + 6
        right = self.width() - metrics.horizontalAdvance("1") - 6
        top = (self.height() - BAR) / 2
        gradient = QLinearGradient(left, 0, right, 0)
        for i, color in enumerate(VIRIDIS):
            gradient.setColorAt(i / (len(VIRIDIS) - 1), color)
        bar = QRectF(left, top, max(1.0, right - left), BAR)
        painter.fillRect(bar, gradient)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(bar)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(QRectF(0, 0, left - 3, self.height()), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         "0")
        painter.drawText(QRectF(right + 3, 0, self.width() - right - 3, self.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "1")
        painter.end()
