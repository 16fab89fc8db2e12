"""What the export runs for the formats other than spaCy's: a batch tokenized (Prodigy's
tokens, CoNLL rows) and encoded with a registered writer. Plain data in, plain data out.

With worker processes, a worker only tokenizes (``tokenize_texts``: the texts in, the token
columns back as numpy arrays) and this process encodes and writes while the worker tokenizes
the next batch. Why not encode in the workers too: the formatted tokens (470 MB of Prodigy
JSON for 10,000 articles) would come back through a pipe, and a worker per core would leave
the reading and writing process nothing to run on.

The workers are spawned (not forked: the window runs exports from a thread, and forking a
threaded process can deadlock), so everything here is importable by name and every argument
pickles. spaCy loads lazily, when a batch asks for tokens. The spaCy export's own worker
functions (``write_shard``, ``warm_up``) are nlp.docbin's, used from there.
"""

from __future__ import annotations

import dataclasses

from ..core.export import ExportDocument, Tokens, tokens_from_bounds
from ..formats.registry import Encoded, WriteOptions, piece_bytes, writer_for

Packed = tuple[list[tuple[str, bytes]], list[str]]  # (file, UTF-8 bytes) pieces and notes of one document


def texts_to_tokenize(docs: list[ExportDocument]) -> list[str]:
    """The texts of a batch that need spaCy's tokens (the others brought their own)."""
    return [doc.text for doc in docs if doc.own_tokens is None]


def tokenize_texts(texts: list[str], language: str) -> tuple:
    """spaCy's tokens of the texts as the batch's columns (a worker's whole part of a token
    export; ``nlp.export_tokens.export_token_starts``: three arrays to send back, not three per
    text). What crosses the pipe is cut to what ``tokens_of`` cannot work out again: starts
    as 32-bit numbers when they fit, and no ends (a third of the bytes; 180 MB for 10,000
    articles were a tenth of the export's own process's time)."""
    import numpy

    from ..nlp.export_tokens import export_token_starts

    starts, spaces, keys, bounds = export_token_starts(texts, language)
    if len(starts) and int(starts.max()) < 2**31:
        starts = starts.astype(numpy.int32)
    return starts, spaces, keys, bounds


def tokens_of(columns: tuple, texts: list[str]) -> list[Tokens]:
    """Each text's tokens from what ``tokenize_texts`` sent back for ``texts``."""
    import numpy

    from ..nlp.export_tokens import token_ends, tokens_of_columns  # no spaCy: arithmetic and slices

    starts, spaces, keys, bounds = columns
    starts = starts.astype(numpy.int64)
    return tokens_of_columns(starts, token_ends(starts, spaces, bounds, [len(text) for text in texts]), spaces, keys,
                             bounds)


def with_tokens(docs: list[ExportDocument], language: str,
                tokenized: list[Tokens] | None = None) -> list[ExportDocument]:
    """Every document with its tokens: the ones it was imported with (CoNLL, Prodigy, WebAnno
    keep their own tokenization), else spaCy's tokenizer of the project's language, or
    ``tokenized`` when a worker made them (``tokenize_texts`` of ``texts_to_tokenize(docs)``)."""
    if tokenized is None:
        from ..nlp.export_tokens import export_tokens_many

        tokenized = export_tokens_many(texts_to_tokenize(docs), language)
    spacy_tokens = iter(tokenized)
    return [dataclasses.replace(doc, tokens=tokens_from_bounds(doc.text, doc.own_tokens) if doc.own_tokens is not None
                                else next(spacy_tokens)) for doc in docs]


def encode_batch(writer_name: str, docs: list[ExportDocument], options: WriteOptions,
                 language: str | None, tokenized: list[Tokens] | None = None) -> list[Packed]:
    """Tokenize (when ``language`` is given: spaCy's tokens of the whole batch at once, or
    those a worker made, ``tokenized``) and encode one batch with a registered writer (its ``encode_many`` when it has one).

    The pieces come back as UTF-8 bytes (Prodigy's writer makes bytes itself): encoding half a
    gigabyte of Prodigy JSON was the main process's largest cost when it wrote text.
    """
    writer = writer_for(writer_name)
    if language is not None:
        docs = with_tokens(docs, language, tokenized)
    encoded: list[Encoded] = writer.encode_many(docs, options) if writer.encode_many is not None \
        else [writer.encode(doc, options) for doc in docs]
    return [([(name, piece_bytes(text)) for name, text in one.pieces], one.notes) for one in encoded]
