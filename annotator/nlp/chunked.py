"""spaCy's tokenization of a whole text, computed in pieces: the same tokens, several times faster.

Why: spaCy's tokenizer caches the tokens of each white-space-delimited chunk, but stops
caching for the rest of a text once a special case (a tokenizer exception such as "—" or
"don't") has occurred in it (spaCy issue #1250: the flag is per text, not per chunk). News
articles have such a case in their first lines, so almost every chunk of a long article goes
through the prefix/suffix/infix regexes again: on the benchmark corpus tokenizing was 5-8x
slower than it is with the cache. Tokenizing the text in pieces of about a thousand
characters resets that flag at each piece.

Why it gives exactly the tokens of the whole text: spaCy tokenizes each white-space-delimited
chunk on its own, and a single space only marks the token before it (``whitespace_``), so
cutting right after a single space splits the token sequence at that point and nothing
else. What could differ is the special-case matcher, which runs over the whole text: a match
across the cut. We cut only between two words of ASCII letters: no tokenizer rule splits a
run of letters, so no special-case pattern (the tokens of a string without white space) has
two letter-only tokens next to each other, and no match can cross the cut. Tokenizers that
are not spaCy's rule-based ``Tokenizer`` (Chinese, Japanese segmenters), and rule sets with
a key holding such a "word word" (rules may contain spaces: Spanish "EE. UU."), are never
cut. tests/nlp/test_chunked_tokens.py checks the equivalence on random text built from every
kind of token, tokenizer exceptions included.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..core.export import Tokens
from .tokens import tokenizer

PIECE_CHARS = 1000
# A single space between two whole words of ASCII letters; the cut goes after the space.
_SAFE_SPACE = re.compile(r"(?<!\S)[A-Za-z]+ (?=[A-Za-z]+(?:\s|$))")
_can_cut: dict[int, bool] = {}


def _cuttable(tok: Any) -> bool:
    key = id(tok)
    if key not in _can_cut:
        from spacy.tokenizer import Tokenizer

        # A rule key such as Spanish "EE. UU." holds a space: one holding our kind of cut
        # ("word word") could match across it, so such a language is never cut.
        _can_cut[key] = type(tok) is Tokenizer and not any(_SAFE_SPACE.search(rule) for rule in (tok.rules or {}))
    return _can_cut[key]


def cuts(text: str, size: int = PIECE_CHARS) -> list[int]:
    """Where to cut ``text``: after a safe single space, each piece at least ``size`` characters."""
    found = []
    position = 0
    length = len(text)
    while length - position > size:
        match = _SAFE_SPACE.search(text, position + size)
        if match is None:
            break
        position = match.end()
        found.append(position)
    return found


def pieces(text: str, tok: Any, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """The (start, end) of the pieces ``text`` is tokenized in (one piece when it is not cut)."""
    bounds = cuts(text, size) if _cuttable(tok) else []
    return list(zip([0, *bounds], [*bounds, len(text)]))


def token_columns(text: str, tok: Any, where: list[tuple[int, int]], ids: list[int]) -> Any:
    """spaCy's tokenization of ``text`` in the pieces ``where`` as one array: a row per token,
    a column per attribute of ``ids`` (``_column_ids``: ORTH and NORM hashes, whether a space
    follows, start offset, length in code points; or the first ``len(ids)`` of them).

    Arrays straight from each piece's ``Doc.to_array``, offsets shifted by the piece's start:
    no Token object is ever made (making one per token cost more than tokenizing).
    """
    import numpy
    from spacy.attrs import IDX

    shift = ids.index(IDX)
    arrays = []
    for start, end in where:
        columns = tok(text[start:end]).to_array(ids)
        if start:
            columns[:, shift] += start
        arrays.append(columns)
    if not arrays:
        return numpy.zeros((0, len(ids)), dtype="uint64")
    return arrays[0] if len(arrays) == 1 else numpy.concatenate(arrays)


def tokenize(text: str, language: str, size: int = PIECE_CHARS) -> Any:
    """The ``Doc`` spaCy's tokenizer makes of ``text`` (no ``max_length`` limit).

    Built from the pieces' arrays: ``Doc(words=ORTH hashes, spaces=...)`` finds each lexeme by
    its hash (the tokenizer made them all), and NORM, the one other attribute a tokenizer sets
    (exceptions such as n't -> not), is copied over with ``from_array``.
    """
    tok = tokenizer(language)
    where = pieces(text, tok, size)
    if len(where) == 1:
        return tok(text)
    from spacy.attrs import NORM
    from spacy.tokens import Doc

    columns = token_columns(text, tok, where, _column_ids())
    doc = Doc(tok.vocab, words=columns[:, _ORTH].tolist(), spaces=columns[:, _SPACY].astype(bool).tolist())
    doc.from_array([NORM], columns[:, _NORM:_NORM + 1])
    return doc


def token_triples(text: str, language: str, size: int = PIECE_CHARS) -> Tokens:
    """(start, end, space follows) of every token, white-space tokens included, as columns;
    with each token's ORTH hash as its key (the same hash exactly when the same text)."""
    return token_triples_many([text], language, size)[0]


def token_triples_many(texts: Sequence[str], language: str, size: int = PIECE_CHARS) -> list[Tokens]:
    """``token_triples`` of each text, the numpy work done once for them all.

    The columns stay numpy arrays (``Tokens`` takes them as they are; each text's are views
    of the batch's, ``batch_token_columns``): turning 7 million offsets into Python ints was a
    second of a big Prodigy export.
    """
    return tokens_of_columns(*batch_token_columns(texts, language, size))


def batch_token_columns(texts: Sequence[str], language: str, size: int = PIECE_CHARS) -> tuple:
    """The tokens of a batch of texts as four numpy columns for them all (starts, ends, whether
    a space follows, ORTH hash) and each text's first row (one more at the end).

    Ends are not asked of spaCy (``to_array`` costs per attribute): ``token_ends`` works them
    out from the starts (``batch_token_starts``)."""
    starts, spaces, keys, bounds = batch_token_starts(texts, language, size)
    return starts, token_ends(starts, spaces, bounds, [len(text) for text in texts]), spaces, keys, bounds


def batch_token_starts(texts: Sequence[str], language: str, size: int = PIECE_CHARS) -> tuple:
    """``batch_token_columns`` without the ends: what a tokenizing worker sends back, three
    arrays for the batch instead of three per text."""
    import numpy
    from spacy.attrs import IDX, ORTH, SPACY

    tok = tokenizer(language)
    arrays, shifts, counts, lasts = [], [], [], []
    total = 0
    for text in texts:
        for start, end in pieces(text, tok, size):
            arrays.append(tok(text[start:end]).to_array([IDX, SPACY, ORTH]))
            shifts.append(start)
            counts.append(len(arrays[-1]))
            total += counts[-1]
        lasts.append(total)
    bounds = [0, *lasts]
    if not arrays:  # no texts, or only empty ones
        empty = numpy.zeros(0, dtype="int64")
        return empty, empty.astype(bool), empty.astype("uint64"), bounds
    columns = numpy.concatenate(arrays)
    starts = columns[:, 0].astype("int64") + numpy.repeat(numpy.array(shifts, dtype="int64"), counts)
    return starts, columns[:, 1].astype(bool), numpy.ascontiguousarray(columns[:, 2]), bounds


def token_ends(starts: Any, spaces: Any, bounds: list[int], lengths: Sequence[int]) -> Any:
    """The end of every token of ``batch_token_columns``' columns, from the starts: a token
    ends where the next one starts, less its space, and a text's last one at the text's end
    (``lengths``), less its space (so a worker need not send the ends)."""
    import numpy

    ends = numpy.empty(len(starts), dtype="int64")
    ends[:-1] = starts[1:]
    filled = [(last, length) for length, first, last in zip(lengths, bounds, bounds[1:]) if last > first]
    ends[numpy.array([last - 1 for last, _ in filled], dtype="int64")] = [length for _, length in filled]
    ends -= spaces
    return ends


def tokens_of_columns(starts: Any, ends: Any, spaces: Any, keys: Any, bounds: list[int]) -> list[Tokens]:
    """Each text's ``Tokens`` as views of a batch's columns (``batch_token_columns``)."""
    return [Tokens(starts[first:last], ends[first:last], spaces[first:last], keys[first:last])
            for first, last in zip(bounds, bounds[1:])]


def word_bounds(text: str, language: str, size: int = PIECE_CHARS) -> tuple[list[int], list[int]]:
    """Starts and ends of the tokens the window snaps to (``tokens.token_spans``: white-space
    tokens left out), as two lists in text order: what agreement counts token by token."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    tok = tokenizer(language)
    columns = token_columns(text, tok, pieces(text, tok, size), [IDX, LENGTH, IS_SPACE])
    words = columns[columns[:, 2] == 0]
    starts = words[:, 0].astype("int64")
    return starts.tolist(), (starts + words[:, 1].astype("int64")).tolist()


def _column_ids() -> list[int]:
    from spacy.attrs import IDX, NORM, ORTH, SPACY

    return [ORTH, NORM, SPACY, IDX]  # in the order of the indices below


_ORTH, _NORM, _SPACY, _IDX = range(4)
