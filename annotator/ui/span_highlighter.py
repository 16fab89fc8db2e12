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
        for shown in spans:  # outer spans first, so inner fills' text colour wins
            style = styles.style(shown.span.label)
            if shown.layer == ENTITY_LAYER and not shown.suggested and style.text != styles.text:
                a, b = max(shown.qs - start, 0), min(shown.qe - start, length)
                if a < b:
                    fmt = QTextCharFormat()
                    fmt.setForeground(style.text)
                    self.setFormat(a, b - a, fmt)
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
                first, last = end, layout.nextCursorPosition(end)
            else:
                first, last = layout.previousCursorPosition(end), end
            fmt = QTextCharFormat(self.format(first))
            # Another span's room may already be on this character (one ending, one starting).
            before = fmt.fontLetterSpacing() if fmt.hasProperty(QTextCharFormat.Property.FontLetterSpacing) else 0.0
            fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            fmt.setFontLetterSpacing(before + width)
            self.setFormat(first, last - first, fmt)

    def redraw_blocks(self, blocks: set[int]) -> None:
        document = self.document()
        for number in sorted(blocks):
            block: QTextBlock = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)
