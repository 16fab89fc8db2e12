"""Prodigy's ``tokens`` list ({text, start, end, id, ws} per token) as compact JSON, UTF-8 bytes.

Byte for byte what ``json.dumps(tokens, ensure_ascii=False, separators=(",", ":"))`` writes,
encoded as UTF-8 (tests/formats/test_prodigy_writer.py), but formatted from the token columns
(``core.export.Tokens``) of a whole batch of documents at once, without a Python object per
token. Why: 10,000 news articles have 7.3 million tokens; a dict per token is more work than
the tokenizer (orjson over such dicts: 2.6 s), and so was an int per offset and a lookup per
piece (the previous version: 1.2 s of formatting and 1.5 s of turning arrays into lists).

How: a token is three byte strings, each made once per process and picked for every token by
numpy's indexing of an object array (one C loop per column, not a Python call per token):

- its text, JSON-escaped and UTF-8 encoded, looked up by the token's key (``Tokens.keys``:
  spaCy's ORTH hash, the same exactly when the text is; without keys, the text itself), so the
  document is not sliced per token either;
- ``","start":S,"end":E`` for a start S and a length E - S below ``WIDE``, by S * WIDE + length;
- ``,"id":N,"ws":false},{"text":"`` (or ``true``), by 2 * N + ws: the end of one token and
  the start of the next.

The three columns are interleaved, and each document's line is one ``bytes.join`` of its slice.
Numbers past the tables (starts past 32,768 characters, a token of ``WIDE`` characters or
more, ids past 131,072) are formatted one by one. A token holding a lone surrogate (which UTF-8 cannot hold) is
written with JSON's ``\\u`` escape: a JSON reader gets the same string back.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from ..core.export import Token, Tokens
from .token_texts import TextTable

_OPEN = b'[{"text":"'
_LAST = (b',"id":%d,"ws":false}]', b',"id":%d,"ws":true}]')


class _Pieces:
    """The byte strings token lists repeat, made once per process (a worker has its own)."""

    LIMIT = 1 << 17  # token ids up to 131,072 in the table: more than any news article has
    # Starts up to 32,768 characters (a longer article's tail is formatted one by one): the
    # table holds WIDE pieces per offset, about 35 MB at most.
    OFFSETS = 1 << 15
    WIDE = 16  # tokens this long or longer (rare: URLs) are formatted one by one

    def __init__(self) -> None:
        import numpy

        self.numpy = numpy
        self.spans = numpy.empty(0, dtype=object)  # S * WIDE + length -> b'","start":S,"end":E'
        self.ids = numpy.empty(0, dtype=object)  # 2 * id + ws -> b',"id":N,"ws":false},{"text":"'
        self.texts = TextTable(numpy)  # token key -> number -> the inside of its JSON string

    def grow(self, offsets: int, tokens: int) -> None:
        """Make the tables cover starts below ``offsets`` and ids below ``tokens`` (to LIMIT),
        at least doubling what they hold, so a growing corpus rebuilds them a few times only."""
        numpy = self.numpy
        have = len(self.spans) // self.WIDE
        if offsets > have and have < self.OFFSETS:
            more = range(have, min(max(offsets, 2 * have, 4096), self.OFFSETS))
            made = [b'","start":%d,"end":%d' % (s, s + n) for s in more for n in range(self.WIDE)]
            self.spans = numpy.concatenate([self.spans, numpy.array(made, dtype=object)])
        have = len(self.ids) // 2
        if tokens > have and have < self.LIMIT:
            more = range(have, min(max(tokens, 2 * have, 1024), self.LIMIT))
            made = [b',"id":%d,"ws":%s},{"text":"' % (i, ws) for i in more for ws in (b"false", b"true")]
            self.ids = numpy.concatenate([self.ids, numpy.array(made, dtype=object)])


_pieces: _Pieces | None = None


def pieces() -> _Pieces:
    global _pieces
    if _pieces is None:
        _pieces = _Pieces()
    return _pieces


def tokens_json(text: str, tokens: Sequence[Token], before: bytes = b"", after: bytes = b"") -> bytes:
    """The ``tokens`` list of one ``text`` as JSON bytes, with ``before`` and ``after`` around it."""
    return TokenBatch([text], [tokens]).lines([before], [after])[0]


class TokenBatch:
    """The tokens of a batch of documents as concatenated columns: formatted as JSON
    (``lines``) and searched for span edges (``span_bounds``) a whole batch at a time, so the
    cost of each numpy call is shared by a few hundred documents."""

    def __init__(self, texts: Sequence[str], tokens: Sequence[Sequence[Token]]) -> None:
        numpy = pieces().numpy
        self.texts = texts
        self.columns = [Tokens.of(t) for t in tokens]
        counts = numpy.array([len(c) for c in self.columns], dtype=numpy.int64)
        self.firsts = numpy.zeros(len(counts) + 1, dtype=numpy.int64)  # each document's first token
        numpy.cumsum(counts, out=self.firsts[1:])
        self.counts = counts
        self.total = int(self.firsts[-1])

        def joined(name: str, dtype: Any) -> Any:
            return numpy.concatenate([numpy.asarray(getattr(c, name), dtype=dtype) for c in self.columns]) \
                if self.total else numpy.zeros(0, dtype=dtype)

        self.starts, self.ends, self.spaces = joined("starts", numpy.int64), joined("ends", numpy.int64), \
            joined("spaces", bool)

    def span_bounds(self, sizes: Sequence[int], starts: Sequence[int], ends: Sequence[int]) -> list[tuple[int, int] | None]:
        """The first and last token (INCLUSIVE, Prodigy's ``token_end``) of every span, None for
        a span whose edges are not token edges: ``core.export.TokenIndex.bounds``, by two
        ``searchsorted`` for the whole batch. The spans come flat, in document order
        (``sizes``: how many each document has), and so do the results.

        Offsets are moved apart per document (each by the lengths of the texts before it,
        plus one), so the batch's starts and ends are each one sorted column."""
        numpy = pieces().numpy
        if not len(starts) or not self.total:
            return [None] * len(starts)
        shift = numpy.zeros(len(self.texts), dtype=numpy.int64)
        numpy.cumsum([len(text) + 1 for text in self.texts[:-1]], out=shift[1:])
        token_shift = numpy.repeat(shift, self.counts)
        owner = numpy.repeat(numpy.arange(len(sizes)), sizes)
        span_starts = numpy.array(starts, dtype=numpy.int64) + shift[owner]
        span_ends = numpy.array(ends, dtype=numpy.int64) + shift[owner]
        token_starts, token_ends = self.starts + token_shift, self.ends + token_shift
        first = numpy.searchsorted(token_starts, span_starts)
        last = numpy.searchsorted(token_ends, span_ends)
        beyond, top = self.firsts[owner + 1], self.total - 1
        good = (first < beyond) & (last < beyond) & (last >= first) \
            & (token_starts[numpy.minimum(first, top)] == span_starts) \
            & (token_ends[numpy.minimum(last, top)] == span_ends)
        lowest = self.firsts[owner]
        pairs = zip((first - lowest).tolist(), (last - lowest).tolist())
        return [pair if ok else None for pair, ok in zip(pairs, good.tolist())]

    def lines(self, befores: Sequence[bytes], afters: Sequence[bytes]) -> list[bytes]:
        """For each document, ``before + its tokens list as JSON + after``: one join per
        document makes its line (a document's tokens are tens of kilobytes; copied once)."""
        numpy = (table := pieces()).numpy
        total, starts, ends, spaces, firsts = self.total, self.starts, self.ends, self.spaces, self.firsts
        if not total:
            return [before + b"[]" + after for before, after in zip(befores, afters)]
        ids = numpy.arange(total, dtype=numpy.int64) - numpy.repeat(firsts[:-1], self.counts)  # within its document
        lengths = ends - starts
        table.grow(int(starts.max()) + 1, int(self.counts.max()))
        wide, limit = table.WIDE, len(table.spans) // table.WIDE
        cells = numpy.empty((total, 3), dtype=object)
        numbers = _text_numbers(table.texts, self.texts, self.columns, starts, ends, firsts)
        cells[:, 0] = table.texts.pieces[numbers]
        inside = (starts < limit) & (lengths < wide)
        cells[:, 1] = table.spans[numpy.where(inside, starts * wide + lengths, 0)]
        outside = numpy.flatnonzero(~inside)
        if len(outside):
            cells[outside, 1] = [b'","start":%d,"end":%d' % pair
                                 for pair in zip(starts[outside].tolist(), ends[outside].tolist())]
        linked = 2 * ids + spaces
        inside = linked < len(table.ids)
        cells[:, 2] = table.ids[numpy.where(inside, linked, 0)]
        outside = numpy.flatnonzero(~inside)
        if len(outside):
            cells[outside, 2] = [b',"id":%d,"ws":%s},{"text":"' % (i, b"true" if ws else b"false")
                                 for i, ws in zip(ids[outside].tolist(), spaces[outside].tolist())]
        flat = cells.ravel().tolist()
        lines = []
        bounds = (3 * firsts).tolist()
        for number, (before, after) in enumerate(zip(befores, afters)):
            first, last = bounds[number], bounds[number + 1]
            if first == last:
                lines.append(before + b"[]" + after)
                continue
            flat[first] = before + _OPEN + flat[first]
            flat[last - 1] = _LAST[bool(spaces[last // 3 - 1])] % ((last - first) // 3 - 1) + after
            lines.append(b"".join(flat[first:last]))
        return lines


def _text_numbers(table: TextTable, texts: Sequence[str], columns: list[Tokens], starts: Any, ends: Any,
                  firsts: Any) -> Any:
    """The number of every token's text in ``table``, in batch order."""
    numpy = table.numpy
    owners = firsts.tolist()

    def text_at(at: int) -> str:  # the text of the batch's token ``at``, for a key not seen yet
        document = bisect_right(owners, at) - 1
        return texts[document][int(starts[at]):int(ends[at])]

    if all(column.keys is not None for column in columns):
        keys = numpy.concatenate([numpy.asarray(column.keys, dtype=numpy.uint64) for column in columns])
        return table.numbers(keys, text_at)
    numbers = []
    for number, (text, column) in enumerate(zip(texts, columns)):
        if column.keys is not None:
            numbers.append(table.numbers(numpy.asarray(column.keys, dtype=numpy.uint64),
                                         lambda at, base=owners[number]: text_at(base + at)))
        else:  # no tokenizer keys (a document's own tokens): numbered by their texts
            first, last, _ = column.lists()
            numbers.append(numpy.array(table.text_numbers(list(map(text.__getitem__, map(slice, first, last)))),
                                       dtype=numpy.int64))
    return numpy.concatenate(numbers)
