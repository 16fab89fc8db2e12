"""One colour per annotator, the same wherever annotators are shown: the layers beside the
article, the assignment chips in the document list, the agreement dialog.

Okabe and Ito's eight colours, which colour-blind readers tell apart, in the order annotators
were named in the project (stable between runs); each is moved toward white (dark page) or
black (light page) until it stands out from the page by 3:1, as span borders are. The layer of
annotations nobody is named for is grey.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from PySide6.QtGui import QColor, QPalette

from .themes import is_dark, label_colors, readable_text

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#8C564B")
NOBODY = "#8a8a8a"


class AnnotatorColors:
    """Colours for a project's annotators (``refs`` in the project's order)."""

    def __init__(self, refs: Sequence[str]):
        self._index = {ref: i for i, ref in enumerate(refs)}

    def base(self, ref: str) -> str:
        """The annotator's colour before it is fitted to a page."""
        if not ref or ref not in self._index:
            return NOBODY if not ref else PALETTE[zlib.crc32(ref.encode()) % len(PALETTE)]
        return PALETTE[self._index[ref] % len(PALETTE)]

    def color(self, ref: str, palette: QPalette) -> QColor:
        """The colour to draw with on ``palette``'s page (edges, chips, markers)."""
        page = palette.color(QPalette.ColorRole.Base)
        return label_colors(self.base(ref), is_dark(palette), page)[2]

    def text_on(self, ref: str, palette: QPalette) -> QColor:
        """Text that reads on a chip of the annotator's colour."""
        return readable_text(self.color(ref, palette), QColor("#ffffff"))
