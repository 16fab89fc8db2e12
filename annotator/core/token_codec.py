"""The token boundaries a file gave us, packed small enough to keep for every document.

A document imported from CoNLL, Prodigy (with ``tokens``) or WebAnno TSV keeps its own
tokenization, so an export writes the same tokens back instead of spaCy's. Stored per
document as one BLOB: for each token, the gap since the previous token's end and its length,
as little-endian unsigned 32-bit integers, zlib-compressed. Gaps and lengths are small
numbers that repeat, so a 1,000-token article takes about 1.5 KB; packing and unpacking run
in C (array, zlib), not one Python step per token.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from collections.abc import Sequence
from itertools import accumulate

Bounds = tuple[tuple[int, int], ...]


def check_tokens(tokens: Sequence[tuple[int, int]], text_length: int) -> str | None:
    """Why these (start, end) pairs are not a tokenization of a text of this length, or None.

    Tokens are non-empty, in text order and never overlap; white space between them is
    allowed (CoNLL and WebAnno list no white-space tokens).
    """
    end = 0
    for i, (start, stop) in enumerate(tokens):
        if start < end:
            return f"token {i} ({start}-{stop}) starts before the previous token ends ({end})"
        if stop <= start:
            return f"token {i} ({start}-{stop}) is empty"
        end = stop
    if end > text_length:
        return f"the last token ends at {end}, past the end of the text ({text_length} characters)"
    return None


def pack_tokens(tokens: Sequence[tuple[int, int]]) -> bytes:
    numbers = array("I")
    previous = 0
    for start, end in tokens:
        numbers.append(start - previous)
        numbers.append(end - start)
        previous = end
    if sys.byteorder == "big":
        numbers.byteswap()
    return zlib.compress(numbers.tobytes(), 6)


def unpack_tokens(blob: bytes) -> Bounds:
    numbers = array("I")
    numbers.frombytes(zlib.decompress(blob))
    if sys.byteorder == "big":
        numbers.byteswap()
    # Every token's start and end is a running sum of gaps and lengths, in that order.
    edges = list(accumulate(numbers))
    return tuple(zip(edges[0::2], edges[1::2]))
