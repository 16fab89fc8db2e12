"""What the export's worker processes run (plain data in, plain data out), and the export's
one door into annotator.nlp.

The workers are spawned (not forked: the window runs exports from a thread, and forking a
threaded process can deadlock), so everything here is importable by name and every argument
pickles. Each worker loads spaCy once (``warm_up``) and keeps its tokenizer.

Every other export module reaches spaCy through this one, so the layer contract (only nlp
imports spaCy) names a single sanctioned path; none of these modules loads spaCy at import.
"""

from __future__ import annotations

import dataclasses

from ..core.export import ExportDocument, tokens_from_bounds
from ..formats.registry import Encoded, WriteOptions, writer_for
from ..nlp.docbin import DocBinSettings, ShardResult, merge_shards, warm_up, write_shard
from ..nlp.export_tokens import effective_language, export_tokens
from ..nlp.spacy_config import ConfigPlan, training_config

__all__ = ["ConfigPlan", "DocBinSettings", "Packed", "ShardResult", "effective_language", "encode_batch",
           "merge_shards", "training_config", "warm_up", "with_tokens", "write_shard"]


def with_tokens(docs: list[ExportDocument], language: str) -> list[ExportDocument]:
    """Every document with its tokens: the ones it was imported with (CoNLL, Prodigy, WebAnno
    keep their own tokenization), else spaCy's tokenizer of the project's language."""
    return [dataclasses.replace(doc, tokens=tokens_from_bounds(doc.text, doc.own_tokens) if doc.own_tokens is not None
                                else export_tokens(doc.text, language)) for doc in docs]


Packed = tuple[list[tuple[str, bytes]], list[str]]  # (file, UTF-8 bytes) pieces and notes of one document


def encode_batch(writer_name: str, docs: list[ExportDocument], options: WriteOptions,
                 language: str | None) -> list[Packed]:
    """Tokenize (when ``language`` is given) and encode one batch with a registered writer.

    The pieces come back as UTF-8 bytes: encoding half a gigabyte of Prodigy JSON was the
    main process's largest cost when it wrote text; here the workers share it.
    """
    writer = writer_for(writer_name)
    if language is not None:
        docs = with_tokens(docs, language)
    packed = []
    for doc in docs:
        encoded: Encoded = writer.encode(doc, options)
        packed.append(([(name, text.encode("utf-8")) for name, text in encoded.pieces], encoded.notes))
    return packed
