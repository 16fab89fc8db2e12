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
from typing import Any

from ..core.export import Token
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


def tokenize(text: str, language: str, size: int = PIECE_CHARS) -> Any:
    """The ``Doc`` spaCy's tokenizer makes of ``text`` (no ``max_length`` limit)."""
    tok = tokenizer(language)
    bounds = cuts(text, size) if _cuttable(tok) else []
    if not bounds:
        return tok(text)
    import numpy
    from spacy.attrs import NORM
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    norms = []
    for start, end in zip([0, *bounds], [*bounds, len(text)]):
        piece = tok(text[start:end])
        words.extend(t.text for t in piece)
        spaces.extend(bool(t.whitespace_) for t in piece)
        norms.append(piece.to_array([NORM]))
    # The tokenizer sets only ORTH (the words), spaces and NORM (exceptions such as n't -> not).
    doc = Doc(tok.vocab, words=words, spaces=spaces)
    doc.from_array([NORM], numpy.concatenate(norms).reshape(-1, 1))
    return doc


def token_triples(text: str, language: str, size: int = PIECE_CHARS) -> tuple[Token, ...]:
    """(start, end, space follows) of every token, white-space tokens included.

    Read with ``to_array`` rather than token by token: making a Token object per token cost
    as much as tokenizing.
    """
    from spacy.attrs import IDX, LENGTH, SPACY

    tok = tokenizer(language)
    bounds = cuts(text, size) if _cuttable(tok) else []
    found: list[Token] = []
    for start, end in zip([0, *bounds], [*bounds, len(text)]):
        columns = tok(text[start:end]).to_array([IDX, LENGTH, SPACY])
        if not len(columns):
            continue
        starts = columns[:, 0].astype("int64") + start
        found.extend(zip(starts.tolist(), (starts + columns[:, 1].astype("int64")).tolist(),
                         columns[:, 2].astype(bool).tolist()))
    return tuple(found)


def word_bounds(text: str, language: str, size: int = PIECE_CHARS) -> tuple[list[int], list[int]]:
    """Starts and ends of the tokens the window snaps to (``tokens.token_spans``: white-space
    tokens left out), as two lists in text order: what agreement counts token by token."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    tok = tokenizer(language)
    bounds = cuts(text, size) if _cuttable(tok) else []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in zip([0, *bounds], [*bounds, len(text)]):
        columns = tok(text[start:end]).to_array([IDX, LENGTH, IS_SPACE])
        if not len(columns):
            continue
        words = columns[columns[:, 2] == 0]
        first = words[:, 0].astype("int64") + start
        starts.extend(first.tolist())
        ends.extend((first + words[:, 1].astype("int64")).tolist())
    return starts, ends
