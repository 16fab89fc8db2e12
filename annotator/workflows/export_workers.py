"""What the export's worker processes run for the formats other than spaCy's: tokenize a batch
(Prodigy's tokens) and encode it with a registered writer. Plain data in, plain data out.

The workers are spawned (not forked: the window runs exports from a thread, and forking a
threaded process can deadlock), so everything here is importable by name and every argument
pickles. spaCy loads lazily, when a batch asks for tokens. The spaCy export's own worker
functions (``write_shard``, ``warm_up``) are nlp.docbin's, used from there.
"""

from __future__ import annotations

import dataclasses

from ..core.export import ExportDocument, tokens_from_bounds
from ..formats.registry import Encoded, WriteOptions, piece_bytes, writer_for

Packed = tuple[list[tuple[str, bytes]], list[str]]  # (file, UTF-8 bytes) pieces and notes of one document


def with_tokens(docs: list[ExportDocument], language: str) -> list[ExportDocument]:
    """Every document with its tokens: the ones it was imported with (CoNLL, Prodigy, WebAnno
    keep their own tokenization), else spaCy's tokenizer of the project's language."""
    from ..nlp.export_tokens import export_tokens_many

    spacy_tokens = iter(export_tokens_many([doc.text for doc in docs if doc.own_tokens is None], language))
    return [dataclasses.replace(doc, tokens=tokens_from_bounds(doc.text, doc.own_tokens) if doc.own_tokens is not None
                                else next(spacy_tokens)) for doc in docs]


def encode_batch(writer_name: str, docs: list[ExportDocument], options: WriteOptions,
                 language: str | None) -> list[Packed]:
    """Tokenize (when ``language`` is given: spaCy's tokens of the whole batch at once) and
    encode one batch with a registered writer (its ``encode_many`` when it has one).

    The pieces come back as UTF-8 bytes (Prodigy's writer makes bytes itself): encoding half a
    gigabyte of Prodigy JSON was the main process's largest cost when it wrote text.
    """
    writer = writer_for(writer_name)
    if language is not None:
        docs = with_tokens(docs, language)
    encoded: list[Encoded] = writer.encode_many(docs, options) if writer.encode_many is not None \
        else [writer.encode(doc, options) for doc in docs]
    return [([(name, piece_bytes(text)) for name, text in one.pieces], one.notes) for one in encoded]
