"""Prodigy's ``tokens`` list ({text, start, end, id, ws} per token) as compact JSON, UTF-8 bytes.

Byte for byte what ``json.dumps(tokens, ensure_ascii=False, separators=(",", ":"))`` writes,
encoded as UTF-8 (tests/formats/test_prodigy_writer.py), but formatted from the token columns
(``core.export.Tokens``) without a dict per token. Why: 10,000 news articles have 7.3 million
tokens; a dict per token is more work than the tokenizer (orjson over such dicts: 2.6 s;
the previous hand-formatted str, then encoded: 3.6 s; this: well under a second).

How: every piece a token list repeats is made once per process and the pieces are joined as
bytes (joining str pieces of mixed width and then encoding the result was half the cost):

- each distinct token text, JSON-escaped and UTF-8 encoded, looked up by the token's key
  (``Tokens.keys``: spaCy's ORTH hash, the same exactly when the text is; without keys, the
  text itself), so the document is not sliced per token either;
- ``","start":N``, ``,"end":N`` and ``,"id":N,"ws":`` for numbers up to ``LIMIT``.

A token holding a lone surrogate (which UTF-8 cannot hold) is written with JSON's ``\\u``
escape: a JSON reader gets the same string back.
"""

from __future__ import annotations

from collections.abc import Sequence
from json.encoder import encode_basestring, encode_basestring_ascii

from ..core.export import Token, Tokens

_OPEN = b'[{"text":"'
_NEXT_AFTER_FALSE, _NEXT_AFTER_TRUE = b'false},{"text":"', b'true},{"text":"'  # ws, then the next token
_CLOSE = (b"false}]", b"true}]")


class _Texts(dict):
    """Token key -> the inside of its JSON string; a key not in it yet is made from the
    document being formatted (``self.document``), so the lookup of every token is one C call."""

    document: tuple[str, list, list[int], list[int]] = ("", [], [], [])

    def __missing__(self, key: object) -> bytes:
        text, keys, starts, ends = self.document
        first = keys.index(key)
        made = self[key] = content(text[starts[first]:ends[first]])
        return made


class _Pieces:
    """The byte strings token lists repeat, made once per process (a worker has its own)."""

    LIMIT = 1 << 17  # offsets and ids up to 131,072: a few MB, enough for any news article
    TEXTS = 1 << 18  # distinct token texts kept; past it the cache starts again (bounded memory)

    def __init__(self) -> None:
        self.starts: list[bytes] = []  # offset -> b'","start":N'
        self.ends: list[bytes] = []  # offset -> b',"end":N'
        self.ids: list[bytes] = []  # token id -> b',"id":N,"ws":'
        self.texts = _Texts()

    def numbers(self, offsets: int, tokens: int) -> bool:
        """Make the pieces for offsets up to ``offsets`` and ``tokens`` ids; False past LIMIT."""
        if offsets > self.LIMIT or tokens > self.LIMIT:
            return False
        have = len(self.starts)
        if offsets >= have:
            more = range(have, min(max(offsets + 1, 2 * have), self.LIMIT + 1))
            self.starts.extend(b'","start":%d' % i for i in more)
            self.ends.extend(b',"end":%d' % i for i in more)
        have = len(self.ids)
        if tokens > have:
            self.ids.extend(b',"id":%d,"ws":' % i for i in range(have, min(max(tokens, 2 * have), self.LIMIT)))
        return True


PIECES = _Pieces()


def content(text: str) -> bytes:
    """``text`` as the inside of a JSON string (between the quotes), UTF-8."""
    try:
        return encode_basestring(text)[1:-1].encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: UTF-8 cannot hold it, a \\u escape can
        return encode_basestring_ascii(text)[1:-1].encode("ascii")


def tokens_json(text: str, tokens: Sequence[Token], before: bytes = b"", after: bytes = b"") -> bytes:
    """The ``tokens`` list of ``text`` as JSON bytes, with ``before`` and ``after`` around it
    (the caller's line: joining once copies the half-gigabyte of an export once)."""
    columns = Tokens.of(tokens)
    starts, ends, spaces = columns.starts, columns.ends, columns.spaces
    count = len(starts)
    if not count:
        return before + b"[]" + after
    keys: list = columns.keys if columns.keys is not None else list(map(text.__getitem__, map(slice, starts, ends)))
    cache = PIECES.texts
    if len(cache) > PIECES.TEXTS:
        cache.clear()
    parts: list[bytes] = [b""] * (5 * count)
    cache.document = (text, keys, starts, ends)
    try:
        parts[0::5] = map(cache.__getitem__, keys)
    finally:
        cache.document = _Texts.document  # the text is not kept alive
    if PIECES.numbers(ends[-1], count):
        parts[1::5] = map(PIECES.starts.__getitem__, starts)
        parts[2::5] = map(PIECES.ends.__getitem__, ends)
        parts[3::5] = PIECES.ids[:count]
    else:  # offsets past the cache (a text of over 130,000 characters)
        parts[1::5] = [b'","start":%d' % start for start in starts]
        parts[2::5] = [b',"end":%d' % end for end in ends]
        parts[3::5] = [b',"id":%d,"ws":' % i for i in range(count)]
    parts[4::5] = [_NEXT_AFTER_TRUE if space else _NEXT_AFTER_FALSE for space in spaces]
    parts[0] = before + _OPEN + parts[0]
    parts[-1] = _CLOSE[bool(spaces[-1])] + after
    return b"".join(parts)
