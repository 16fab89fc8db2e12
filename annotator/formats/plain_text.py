"""Plain text: a file is one document, stored exactly as it is (only a BOM dropped)."""

from __future__ import annotations

from pathlib import Path

from ..core.problems import InputError
from ..core.records import DocumentRecord
from ..core.textutil import find_lone_surrogate
from .decoding import read_text
from .registry import Reader, ReadOptions, RecordStream, register


def read_plain_text(path: Path, options: ReadOptions) -> RecordStream:
    try:
        text = read_text(path)
    except InputError as exc:
        yield from exc.problems
        return
    assert find_lone_surrogate(text) is None  # strict UTF-8 decoding cannot produce one
    yield DocumentRecord(text=text, line=1, title=path.stem, source=str(path))


register(Reader("text", "plain text: one file is one document", (".txt", ".text"), read_plain_text), "txt")
