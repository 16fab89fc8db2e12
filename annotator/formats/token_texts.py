"""The distinct texts of a corpus's tokens, numbered, each kept formatted once (JSON-escaped,
UTF-8): what the Prodigy writer looks every token's text up in (formats.prodigy_tokens).

Why a table of numbers rather than a dict: a big export has 7 million tokens and a few
hundred thousand distinct texts at most; looking each token up in a dict means a Python int
per token (turning the keys into ints and the lookups were 0.5 s of a 10,000-article
export). Here a batch's keys (spaCy's ORTH hashes, the same exactly when the texts are) are
numbered by a few numpy calls: each key has a slot (its low bits) in an open table, a token
whose slot holds its key takes the slot's number, and only the rest (texts not seen yet, and
the few keys whose slot another key took, kept in a dict) are looked at one distinct key at a
time. Tokens without keys (a document's own tokens, as imported) are numbered by their text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any


def content(text: str) -> bytes:
    """``text`` as the inside of a JSON string (between the quotes), UTF-8."""
    try:
        return encode_basestring(text)[1:-1].encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: UTF-8 cannot hold it, a \\u escape can
        return encode_basestring_ascii(text)[1:-1].encode("ascii")


class TextTable:
    """Token key -> number -> formatted text, for the life of a process (a worker has its own)."""

    LIMIT = 1 << 18  # distinct texts kept; past it the table starts again (bounded memory)

    def __init__(self, numpy: Any) -> None:
        self.numpy = numpy
        self.clear()

    def clear(self) -> None:
        numpy = self.numpy
        self.bits = 12
        self.slot_keys = numpy.zeros(1 << self.bits, dtype=numpy.uint64)
        self.slot_numbers = numpy.full(1 << self.bits, -1, dtype=numpy.int64)
        self.keys: list[Any] = []  # number -> key (to place them again when the slots grow)
        self.others: dict[Any, int] = {}  # key -> number, for keys not in their slot (and texts)
        self.made: list[bytes] = []  # number -> the inside of its JSON string
        self.pieces = numpy.empty(0, dtype=object)  # ``made`` as an array, for numpy's indexing

    def numbers(self, keys: Any, text_at: Callable[[int], str]) -> Any:
        """The number of each key of the uint64 array ``keys``; ``text_at(i)`` is the text of
        the i-th token, asked only of a key not seen before."""
        numpy = self.numpy
        if len(self.made) > self.LIMIT:
            self.clear()
        slots = (keys & numpy.uint64((1 << self.bits) - 1)).astype(numpy.intp)
        numbers = self.slot_numbers[slots]
        missed = numpy.flatnonzero((numbers < 0) | (self.slot_keys[slots] != keys))
        if len(missed):
            distinct, first, inverse = numpy.unique(keys[missed], return_index=True, return_inverse=True)
            found = [self._number(key, text_at, at) for key, at in zip(distinct.tolist(), missed[first].tolist())]
            numbers[missed] = numpy.array(found, dtype=numpy.int64)[inverse]
            self._grown()
        return numbers

    def text_numbers(self, texts: Sequence[str]) -> list[int]:
        """The numbers of tokens given by their texts (tokens without keys)."""
        found = [self._number(texts[at], texts.__getitem__, at) for at in range(len(texts))]
        self._grown()
        return found

    def _number(self, key: Any, text_at: Callable[[int], str], at: int) -> int:
        number = self.others.get(key)
        if number is not None:
            return number
        number = len(self.made)
        self.made.append(content(text_at(at)))
        self.keys.append(key)
        if isinstance(key, int) and self.slot_numbers[slot := key & ((1 << self.bits) - 1)] < 0:
            self.slot_keys[slot], self.slot_numbers[slot] = key, number
        else:
            self.others[key] = number
        return number

    def _grown(self) -> None:
        """Bring ``pieces`` up to date; widen the slots when more than a quarter are taken
        (fewer keys then miss their slot)."""
        numpy = self.numpy
        if len(self.pieces) < len(self.made):
            self.pieces = numpy.concatenate([self.pieces, numpy.array(self.made[len(self.pieces):], dtype=object)])
        if 4 * len(self.made) <= len(self.slot_keys):
            return
        while 4 * len(self.made) > (1 << self.bits):
            self.bits += 2
        numbered = [(key, number) for number, key in enumerate(self.keys) if isinstance(key, int)]
        keys = numpy.array([key for key, _ in numbered], dtype=numpy.uint64)
        numbers = numpy.array([number for _, number in numbered], dtype=numpy.int64)
        slots = (keys & numpy.uint64((1 << self.bits) - 1)).astype(numpy.intp)
        _, first = numpy.unique(slots, return_index=True)  # the first key of each slot keeps it
        self.slot_keys = numpy.zeros(1 << self.bits, dtype=numpy.uint64)
        self.slot_numbers = numpy.full(1 << self.bits, -1, dtype=numpy.int64)
        self.slot_keys[slots[first]], self.slot_numbers[slots[first]] = keys[first], numbers[first]
        placed = set(numbers[first].tolist())
        self.others = {key: number for number, key in enumerate(self.keys)
                       if not isinstance(key, int) or number not in placed}
