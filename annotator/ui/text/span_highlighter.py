"""Character formats for text on span fills: the article's words stay readable on every label
colour (the text colour is the page's own wherever it reads well, so most blocks get none).

Everything else about spans (fills, borders, tags, underlines) is painted by span_painter,
which costs nothing for the parts of a long article that are not on screen. Formats set here
live in the block layouts only (QSyntaxHighlighter): the document text is never touched, and
they never change the layout (tags have a row of their own above each line).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QSyntaxHighlighter, QTextBlock, QTextCharFormat, QTextDocument

from .span_index import ENTITY_LAYER, SpanIndex
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
        for shown in spans:  # outer spans first, so inner fills' text colour wins
            style = styles.style(shown.span.label)
            if shown.layer == ENTITY_LAYER and not shown.suggested and style.text != styles.text:
                a, b = max(shown.qs - start, 0), min(shown.qe - start, length)
                if a < b:
                    fmt = QTextCharFormat()
                    fmt.setForeground(style.text)
                    self.setFormat(a, b - a, fmt)

    def redraw_blocks(self, blocks: set[int]) -> None:
        document = self.document()
        for number in sorted(blocks):
            block: QTextBlock = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)
