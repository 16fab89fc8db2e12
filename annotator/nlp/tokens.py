"""Token boundaries of a text, as code-point (start, end) pairs, from spaCy's tokenizer.

The annotation window snaps selections to these tokens, so a span starts and ends where
spaCy's ``doc.char_span`` will find it at export. spaCy is imported on first use (it takes
seconds), and only the tokenizer of a blank pipeline of the project's language is built.

Long texts are tokenized in chunks cut after a space or line break: spaCy's tokenizer first
splits on white space, so the chunks give the same tokens, and a caller in a worker thread
can stop between chunks (and the GUI thread gets the interpreter back between them).
White-space tokens (``"\\n\\n"``, ``"\\r\\n"``, a second space) are left out: nobody tags them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

CHUNK_CHARS = 20_000
FALLBACK_LANGUAGE = "xx"  # spaCy's multi-language tokenizer, for a language it does not know

_lock = threading.Lock()
_tokenizers: dict[str, Any] = {}


class Cancelled(Exception):
    pass


def tokenizer(language: str) -> Any:
    """spaCy's tokenizer for ``language`` (blank pipeline), built once per language.

    A language spaCy lacks, or one whose tokenizer needs an extra package (Japanese needs
    SudachiPy), falls back to the multi-language tokenizer rather than failing.
    """
    with _lock:
        found = _tokenizers.get(language)
        if found is not None:
            return found
        import spacy

        try:
            nlp = spacy.blank(language)
        except (ImportError, KeyError, ValueError, OSError):
            nlp = spacy.blank(FALLBACK_LANGUAGE)
        _tokenizers[language] = nlp.tokenizer
        return nlp.tokenizer


def is_loaded(language: str) -> bool:
    return language in _tokenizers


def token_spans(text: str, language: str, *, should_stop: Callable[[], bool] | None = None,
                chunk_chars: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """The (start, end) code-point offsets of every non-space token of ``text``.

    Raises ``Cancelled`` when ``should_stop`` returns True between chunks.
    """
    tokenize = tokenizer(language)
    spans: list[tuple[int, int]] = []
    for base, chunk in _chunks(text, chunk_chars):
        if should_stop is not None and should_stop():
            raise Cancelled
        spans.extend((base + t.idx, base + t.idx + len(t.text)) for t in tokenize(chunk) if not t.is_space)
    return spans


def _chunks(text: str, size: int):
    start = 0
    while len(text) - start > size:
        cut = max(text.rfind("\n", start, start + size), text.rfind(" ", start, start + size))
        if cut <= start:  # one enormous "word": cut it anyway, at the next white space
            match = re.compile(r"\s").search(text, start + size)
            cut = match.start() if match else len(text) - 1
        yield start, text[start:cut + 1]
        start = cut + 1
    if start < len(text) or not text:
        yield start, text[start:]
