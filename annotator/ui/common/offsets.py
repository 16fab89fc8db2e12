"""The one place where stored offsets meet Qt's text positions.

Stored offsets count Python code points in the stored text. A QTextDocument made with
``setPlainText`` counts UTF-16 code units in its own copy of the text, and that copy differs
(measured on PySide6 6.11, tests/ui/test_offsets.py keeps the measurements honest):

- a character above U+FFFF (emoji, flags, CJK extension B) takes two positions;
- ``\\r\\n`` becomes one paragraph separator: the ``\\r`` takes no position at all;
- a lone ``\\r``, ``\\n``, U+2029, U+FDD0 and U+FDD1 become a paragraph separator, one position
  each; U+2028 stays a line break inside the paragraph, one position; ``\\x0b``, ``\\x0c``,
  ``\\x85`` and everything else stay as they are, one position each;
- PySide's str-to-QString conversion reads a *leading* U+FEFF as a byte-order mark and drops
  it, and a leading U+FFFE as a byte-swapped one (the whole text turns to garbage): ``qt_string``
  puts a real BOM in front for the conversion to eat.

``OffsetMap`` maps both ways in O(log n) through the code points where the two counts drift
apart (astral characters and the ``\\r`` of ``\\r\\n``), found once with a regular expression.
A Qt position between the two halves of a surrogate pair, or a code-point offset between
``\\r`` and ``\\n``, has no exact counterpart; the conversions say which way they round.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from PySide6.QtGui import QTextDocument

# Characters whose width differs between the two counts: +1 (astral) or -1 (CR of CRLF).
_DRIFT_RE = re.compile("[\U00010000-\U0010ffff]|\r(?=\n)")
_BOMS = ("\ufeff", "\ufffe")
# What starts a new QTextDocument block (measured): CRLF counts once.
_BLOCK_BREAK_RE = re.compile("\r\n|[\r\n\u2029\ufdd0\ufdd1]")


def qt_string(text: str) -> str:
    """``text`` as it must be handed to Qt so that Qt holds exactly ``text``."""
    return "\ufeff" + text if text.startswith(_BOMS) else text


def set_document_text(document: QTextDocument, text: str) -> None:
    document.setPlainText(qt_string(text))


def block_starts(text: str, offsets: OffsetMap) -> list[int]:
    """Qt position of every block of the document ``setPlainText`` makes of ``text``.

    Known before Qt lays anything out, so span buckets are ready while the text goes in.
    """
    return [0, *(offsets.to_qt(match.end()) for match in _BLOCK_BREAK_RE.finditer(text))]


class OffsetMap:
    """Code-point offsets of ``text`` <-> positions in a QTextDocument showing ``text``."""

    __slots__ = ("length", "qt_length", "_cps", "_keys", "_cum", "_astral")

    def __init__(self, text: str):
        self.length = len(text)
        cps: list[int] = []  # code-point index of each drifting character
        keys: list[int] = []  # the first Qt position at which that character's drift applies
        cum: list[int] = []  # total drift up to and including that character
        astral: list[bool] = []
        drift = 0
        for match in _DRIFT_RE.finditer(text):
            cp = match.start()
            qt = cp + drift
            if match.group() == "\r":
                drift -= 1
                keys.append(qt + 1)  # Qt position q is the CRLF itself, i.e. before the \r
                astral.append(False)
            else:
                drift += 1
                keys.append(qt + 2)  # q + 1 is the middle of the surrogate pair
                astral.append(True)
            cps.append(cp)
            cum.append(drift)
        self._cps, self._keys, self._cum, self._astral = cps, keys, cum, astral
        self.qt_length = self.length + drift

    @property
    def identity(self) -> bool:
        """True when both counts agree everywhere (plain BMP text without CRLF)."""
        return not self._cps

    def to_qt(self, offset: int) -> int:
        """The Qt position of code-point ``offset`` (0..len(text)).

        The offset between ``\\r`` and ``\\n`` maps to the paragraph separator's position, as
        does the offset before the ``\\r``.
        """
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} is outside the text (0-{self.length})")
        k = bisect_left(self._cps, offset)
        return offset + (self._cum[k - 1] if k else 0)

    def from_qt(self, position: int, *, round_up: bool = False) -> int:
        """The code-point offset of Qt ``position`` (0..qt_length).

        A position inside a surrogate pair rounds down to the character's start (or up to its
        end with ``round_up``); the paragraph separator of a CRLF maps to before the ``\\r``.
        """
        if not 0 <= position <= self.qt_length:
            raise ValueError(f"position {position} is outside the document (0-{self.qt_length})")
        k = bisect_right(self._keys, position)
        offset = position - (self._cum[k - 1] if k else 0)
        if k < len(self._keys) and self._astral[k] and self._keys[k] == position + 1:
            # Inside the pair of the k-th character: ``offset`` is already its end.
            return offset if round_up else offset - 1
        return offset

    def to_qt_range(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def from_qt_range(self, start: int, end: int) -> tuple[int, int]:
        """A Qt selection as code points, widened to whole characters."""
        if start > end:
            start, end = end, start
        return self.from_qt(start), self.from_qt(end, round_up=True)
