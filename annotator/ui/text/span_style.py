"""How each label's spans look: colours that stay readable on the current theme, and tags.

A span shows its label name in a small tag above its first word, in the row every line keeps
free above it (text_layout.SpacedLayout.above): tags never take room in the line, so adding a
span never moves a word.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette

from ..common.bidi import shown_name
from ...core.model import Label
from ..common.themes import is_dark, label_colors, readable_text

TAG_SCALE = 0.62  # tag text size, relative to the article's
TAG_PAD = 4.0  # inside the tag, left and right
TAG_SPACING = 2.0  # between two tags side by side in a line's tag row
TAG_MAX_CHARS = 18  # longer label names are elided in tags (the tooltip has the full name)
FALLBACK_COLOR = "#999999"


@dataclass(frozen=True)
class LabelStyle:
    name: str
    kind: str
    background: QColor  # the span's fill
    text: QColor  # the article text on that fill
    border: QColor  # edges, claim underline, tag fill
    tag_text: QColor  # the label name on the tag
    tag: str  # the label name as shown (maybe elided)
    tag_width: float  # the tag itself


class SpanStyles:
    """Styles of a project's labels for one font and palette; rebuilt when either changes."""

    def __init__(self, labels: list[Label], font: QFont, palette: QPalette):
        self.dark = is_dark(palette)
        self.page = palette.color(QPalette.ColorRole.Base)
        self.text = palette.color(QPalette.ColorRole.Text)
        self.tag_font = tag_font(font)
        self.tag_metrics = QFontMetricsF(self.tag_font)
        self._labels = {label.name: label for label in labels}
        self._styles: dict[str, LabelStyle] = {}

    def style(self, name: str) -> LabelStyle:
        found = self._styles.get(name)
        if found is None:
            label = self._labels.get(name) or Label(name, color=FALLBACK_COLOR)
            found = self._styles[name] = self._make(label)
        return found

    def kind(self, name: str) -> str:
        label = self._labels.get(name)
        return label.kind if label is not None else "entity"

    def _make(self, label: Label) -> LabelStyle:
        background, text, border = label_colors(label.color, self.dark, self.page)
        # The page's own text colour where it reads well on the fill: then no format is needed.
        text = readable_text(background, self.text)
        tag_text = readable_text(border, QColor("#ffffff") if self.dark else QColor("#000000"))
        name = shown_name(label.name)
        shown = name if len(name) <= TAG_MAX_CHARS else name[: TAG_MAX_CHARS - 1] + "…"
        shown = self.tag_metrics.elidedText(shown, Qt.TextElideMode.ElideRight, 12 * self.tag_metrics.height())
        width = self.tag_metrics.horizontalAdvance(shown) + 2 * TAG_PAD
        return LabelStyle(label.name, label.kind, background, text, border, tag_text, shown, width)


def tag_font(font: QFont) -> QFont:
    """The tags' font for an article in ``font``: smaller, semi-bold, a little spaced."""
    tag = QFont(font)
    size = font.pointSizeF()
    if size > 0:
        tag.setPointSizeF(max(6.5, size * TAG_SCALE))
    tag.setWeight(QFont.Weight.DemiBold)
    tag.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 104)
    return tag


def tag_height(font: QFont) -> float:
    """How tall a tag is for an article in ``font`` (the tag row above each line holds one)."""
    return QFontMetricsF(tag_font(font)).height() + 1.0
