"""Tokens for the writers that need them (Prodigy ``tokens``, CoNLL rows): spaCy's tokenizer of
the project's language, as code-point columns (``core.export.Tokens``: starts, ends, whether a
space follows; read as (start, end, ws) triples).

The same tokenizer the window snaps selections to and the spaCy export uses
(annotator.nlp.tokens), so a span that is whole tokens in one is whole tokens in all.
White-space tokens ("\\n\\n") are kept: Prodigy lists them; the CoNLL writer skips them.

The writers take any sequence of (start, end, ws) triples in ``ExportDocument.tokens``; a
document that brings its own tokenization can hand it over instead of these (``Tokens.of``
makes the fast columnar form of it).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.export import Tokens
from .chunked import batch_token_starts, token_ends, token_triples, token_triples_many, tokens_of_columns
from .tokens import tokenizer


def export_tokens(text: str, language: str) -> Tokens:
    return token_triples(text, language)  # the tokenizer alone (no max_length limit), in pieces, as arrays


def export_tokens_many(texts: Sequence[str], language: str) -> list[Tokens]:
    """``export_tokens`` of each text (a batch's numpy work done once)."""
    return token_triples_many(texts, language)


def export_token_starts(texts: Sequence[str], language: str) -> tuple:
    """``export_tokens_many`` as the batch's columns without the ends (what a tokenizing worker
    sends back); ``token_ends`` and ``tokens_of_columns`` make each text's ``Tokens`` of them."""
    return batch_token_starts(texts, language)


__all__ = ["effective_language", "export_token_starts", "export_tokens", "export_tokens_many", "token_ends",
           "tokens_of_columns"]


def effective_language(language: str) -> str:
    """The language spaCy actually tokenizes with (``xx`` when it lacks the project's)."""
    return tokenizer(language).vocab.lang
