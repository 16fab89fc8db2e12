"""Plain text: a file is one document, stored exactly as it is (only a BOM dropped)."""

from __future__ import annotations

from pathlib import Path

from ..core.records import DocumentRecord
from ..core.textutil import find_lone_surrogate, path_text
from .decoding import read_text
from .registry import Reader, ReadOptions, RecordStream, register


def read_plain_text(path: Path, options: ReadOptions) -> RecordStream:
    # An undecodable file raises InputError (a whole-file fault), as the registry promises:
    # yielded as a record problem, skip_invalid reported the file as imported with nothing in it.
    text = read_text(path)
    assert find_lone_surrogate(text) is None  # strict UTF-8 decoding cannot produce one
    # path_text: a non-UTF-8 file name must not carry lone surrogates into the store.
    yield DocumentRecord(text=text, line=1, title=path_text(path.stem), source=path_text(path))


register(Reader("text", "plain text: one file is one document", (".txt", ".text"), read_plain_text), "txt")
