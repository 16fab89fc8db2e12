"""Formats whose reading needs spaCy, registered with the format registry from here.

Formats may not import nlp (the layer rule: only nlp imports spaCy, and formats and nlp are
independent), yet ``annotator import --format spacy`` and the Import dialog find every
reader in one registry. This module, a layer above both, puts the DocBin reader there; the
import workflow imports it, so anything that can import has it. spaCy itself loads only
when a DocBin is actually read.
"""

from __future__ import annotations

from pathlib import Path

from ..formats.registry import Reader, ReadOptions, RecordStream, format_names, register


def _read_docbin(path: Path, options: ReadOptions) -> RecordStream:
    from ..nlp.docbin_import import read_docbin

    yield from read_docbin(path)


format_names()  # the built-in formats first: the Import dialog lists them in registration order
register(Reader("spacy", "spaCy DocBin (.spacy): doc.text, ents, spans, cats, our user_data", (".spacy",),
                _read_docbin), "docbin")
