"""Character formats that change the layout: room for label tags, readable text on fills.

Everything else about spans (fills, borders, tags, underlines) is painted by span_painter,
which costs nothing for the parts of a long article that are not on screen. Formats set here
live in the block layouts only (QSyntaxHighlighter): the document text is never touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from PySide6.QtGui import QFont, QSyntaxHighlighter, QTextBlock, QTextCharFormat, QTextDocument

from .span_index import ENTITY_LAYER, SpanIndex, tag_end
from .span_style import SpanStyles


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, source: Callable[[], tuple[SpanIndex | None, SpanStyles | None]]):
        super().__init__(document)
        self._source = source
        self._rooms: dict[float, QTextCharFormat] = {}

    def highlightBlock(self, text: str) -> None:
        index, styles = self._source()
        if index is None or styles is None:
            return
        block = self.currentBlock()
        spans = index.in_block(block.blockNumber())
        if not spans:
            return
        start = block.position()
        length = block.length() - 1  # without the paragraph separator
        reserve: defaultdict[tuple[int, bool], float] = defaultdict(float)
        coloured = False
        for shown in spans:  # outer spans first, so inner fills' text colour wins
            style = styles.style(shown.span.label)
            if shown.layer == ENTITY_LAYER and not shown.suggested and style.text != styles.text:
                a, b = max(shown.qs - start, 0), min(shown.qe - start, length)
                if a < b:
                    fmt = QTextCharFormat()
                    fmt.setForeground(style.text)
                    self.setFormat(a, b - a, fmt)
                    coloured = True
            end = tag_end(shown, start, length)
            if end is not None:
                reserve[(end, shown.rtl)] += style.reserve
        layout = block.layout()
        if layout is None:
            return
        for (end, rtl), width in reserve.items():
            # Letter spacing widens a character's cell on its trailing side. Left to right, that
            # is the last character's right: the room follows the span. Right to left, it is the
            # cell's right too, i.e. before the span's last letter, so the room goes to the
            # character after the span instead (none at the paragraph's end: no room needed,
            # the line's free start takes the tag). Whole grapheme clusters get the format: a
            # format boundary inside one would tear a combining accent off its letter.
            if rtl:
                if end >= length:
                    continue
                first, last = end, _cluster_end(layout, text, end)
            else:
                first, last = _cluster_start(layout, text, end), end
            if coloured:
                fmt = QTextCharFormat(self.format(first))
                # Another span's room may already be on this character (one ending, one starting).
                before = fmt.fontLetterSpacing() if fmt.hasProperty(QTextCharFormat.Property.FontLetterSpacing) \
                    else 0.0
                fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
                fmt.setFontLetterSpacing(before + width)
            else:
                fmt = self._room(width)
            self.setFormat(first, last - first, fmt)

    def _room(self, width: float) -> QTextCharFormat:
        """One shared format per room width (most spans have nothing else on their last letter)."""
        fmt = self._rooms.get(width)
        if fmt is None:
            fmt = self._rooms[width] = QTextCharFormat()
            fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            fmt.setFontLetterSpacing(width)
        return fmt

    def redraw_blocks(self, blocks: set[int]) -> None:
        document = self.document()
        for number in sorted(blocks):
            block: QTextBlock = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)


def _simple(char: str) -> bool:
    # A character that is a whole grapheme cluster by itself in the common case.
    return char.isascii() or ("\u00c0" <= char <= "\u024f")


def _cluster_start(layout, text: str, end: int) -> int:  # noqa: ANN001 - QTextLayout
    if end - 1 < len(text) and _simple(text[end - 1]) and (end >= len(text) or _simple(text[end])):
        return end - 1
    return layout.previousCursorPosition(end)


def _cluster_end(layout, text: str, start: int) -> int:  # noqa: ANN001 - QTextLayout
    if start + 1 <= len(text) and _simple(text[start]) and (start + 1 >= len(text) or _simple(text[start + 1])):
        return start + 1
    return layout.nextCursorPosition(start)
