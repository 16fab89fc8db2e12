"""Plain text: a file is one document, stored exactly as it is (only a BOM dropped).

Its title: the first non-empty line when it reads as a headline (shorter than ``TITLE_MAX``
characters and followed by a blank line or more text), else the file's name, which is often a
hash or a number (``ReadOptions.title_from``: "auto"; "first-line" takes the first non-empty
line whatever it is; "filename" the name). The file's path is always the ``source``; the text
keeps its first line: titles are metadata, never cut out of what was imported.
"""

from __future__ import annotations

from pathlib import Path

from ..core.problems import InputError, Problem
from ..core.records import DocumentRecord
from ..core.textutil import find_lone_surrogate, path_text
from .decoding import read_text
from .registry import Reader, ReadOptions, RecordStream, register

TITLE_MAX = 200  # characters: a longer first line is a paragraph, not a headline
TITLE_CHOICES = ("auto", "first-line", "filename")


def first_line_title(text: str, *, headline_only: bool = True) -> str | None:
    """The first non-empty line, white space trimmed at its ends; with ``headline_only``, only
    when it is short and more text follows it (a one-line file has no headline of its own)."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.strip():
            title = " ".join(line.split())
            if not headline_only:
                return title
            rest = any(other.strip() for other in lines[number + 1:])
            return title if len(title) < TITLE_MAX and rest else None
    return None


def read_plain_text(path: Path, options: ReadOptions) -> RecordStream:
    if options.title_from not in TITLE_CHOICES:
        raise InputError([Problem(path_text(path), None, "title_from",
                                  f"{options.title_from!r} is not one of {', '.join(TITLE_CHOICES)}")])
    # An undecodable file raises InputError (a whole-file fault), as the registry promises:
    # yielded as a record problem, skip_invalid reported the file as imported with nothing in it.
    text = read_text(path)
    assert find_lone_surrogate(text) is None  # strict UTF-8 decoding cannot produce one
    title = None
    if options.title_from != "filename":
        title = first_line_title(text, headline_only=options.title_from == "auto")
    # path_text: a non-UTF-8 file name must not carry lone surrogates into the store.
    yield DocumentRecord(text=text, line=1, title=title or path_text(path.stem), source=path_text(path))


register(Reader("text", "plain text: one file is one document", (".txt", ".text"), read_plain_text), "txt")
