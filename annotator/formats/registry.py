"""The registry of file formats: a name, how to recognise a file, and a reader.

Each reader is a generator ``read(path, options)`` yielding ``DocumentRecord`` for good
records and ``Problem`` for bad ones (never raising for a bad record, so the caller can
refuse the file or skip the record). A whole-file fault raises ``InputError``.
Formats with writers come with the export work; they register here the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.problems import InputError, Problem
from ..core.records import DocumentRecord

RecordStream = Iterator[DocumentRecord | Problem]


@dataclass(frozen=True)
class ReadOptions:
    text_column: str = "text"
    title_column: str | None = None  # None: use a column named "title" when there is one
    delimiter: str | None = None  # None: tab for .tsv/.tab, comma otherwise


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, ReadOptions], RecordStream]


READERS: dict[str, Reader] = {}
ALIASES: dict[str, str] = {}


def register(reader: Reader, *aliases: str) -> Reader:
    READERS[reader.name] = reader
    for alias in aliases:
        ALIASES[alias] = reader.name
    return reader


def reader_for(name: str) -> Reader:
    _load_builtin()
    name = ALIASES.get(name, name)
    if name not in READERS:
        known = ", ".join(sorted([*READERS, *ALIASES, "auto"]))
        raise InputError([Problem("<options>", None, "--format", f"unknown format {name!r}; known: {known}")])
    return READERS[name]


def guess_format(path: Path) -> str | None:
    """The format a file's name says it is, or None when it does not say."""
    _load_builtin()
    suffix = path.suffix.lower()
    for reader in READERS.values():
        if suffix in reader.suffixes:
            return reader.name
    return None


def format_names() -> list[str]:
    _load_builtin()
    return ["auto", *READERS, *ALIASES]


def _load_builtin() -> None:
    # Imported here so that the registry module has no import cycle with the readers.
    from . import csv_table, prodigy, plain_text  # noqa: F401
