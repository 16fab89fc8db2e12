"""Helpers the writers share: JSON text, notes naming a span, offsets in the units asked for."""

from __future__ import annotations

import json
from collections.abc import Iterable

import orjson

from ..core.export import ExportDocument, utf16_offsets
from ..core.model import Span
from ..core.textutil import quoted

# ensure_ascii=False: the text is written as it is (UTF-8 file), not as \u escapes; one
# encoder for every record (json.dumps with arguments builds a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False)
dumps = _ENCODER.encode
# Without the blanks after "," and ":": what Prodigy's own files look like (srsly/ujson), and a
# sixth smaller where most values are short (tokens).
compact_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_ASCII_DUMPS = json.JSONEncoder(separators=(",", ":")).encode


def compact_bytes(value: object) -> bytes:
    """``compact_dumps(value)`` as UTF-8 bytes, written by orjson (several times faster).

    The same text for everything an export holds (strings escape exactly alike, the keys keep
    their order) but floats, which orjson writes in a shorter but equal form (``1e-7`` for
    ``1e-07``). What orjson refuses goes through ``json``: an integer past 64 bits, nesting
    deeper than 255, a key that is not a string (``json`` turns it into one) and a lone
    surrogate, which UTF-8 cannot hold: that value is written with ASCII escapes
    (``"\\ud800"``), which every JSON reader turns back into the same string.
    """
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        pass
    text = compact_dumps(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _ASCII_DUMPS(value).encode("ascii")


NOTE_TEXT_LIMIT = 40


def where(doc: ExportDocument) -> str:
    title = doc.document.title
    return f"document {doc.id}" + (f" ({title})" if title else "")


def span_note(doc: ExportDocument, span: Span, what: str) -> str:
    text = span.text if len(span.text) <= NOTE_TEXT_LIMIT else span.text[:NOTE_TEXT_LIMIT - 1] + "…"
    return f"{where(doc)}: span {span.start}-{span.end} {span.label} {quoted(text)}: {what}"


def offset_map(doc: ExportDocument, utf16: bool, extra: Iterable[int] = ()) -> dict[int, int] | None:
    """Code point -> UTF-16 unit for every span edge, or None when code points are wanted."""
    if not utf16:
        return None
    edges = [edge for span in doc.spans for edge in (span.start, span.end)]
    return utf16_offsets(doc.text, [*edges, *extra])


def plain_meta(doc: ExportDocument) -> dict:
    """The document's meta as the user gave it, without the keys we keep for Prodigy."""
    return {k: v for k, v in doc.document.meta.items() if k != "_prodigy"}
