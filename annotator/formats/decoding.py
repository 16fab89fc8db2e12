"""Bytes to text, exactly: strict UTF-8, one leading BOM dropped, nothing else changed.

Errors name the byte offset and the physical line, because that is what a user can find
in an editor.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..core.problems import InputError, Problem
from ..core.textutil import path_text, strip_bom

SNIFF_BYTES = 8192


def looks_binary(head: bytes) -> bool:
    """A NUL byte never occurs in UTF-8 text files people label; it does in every binary."""
    return b"\x00" in head


def _utf8_problem(path: Path, data: bytes, base_offset: int, exc: UnicodeDecodeError, base_line: int) -> Problem:
    offset = base_offset + exc.start
    line = base_line + data.count(b"\n", 0, exc.start)
    bad = data[exc.start : exc.start + 4].hex(" ")
    return Problem(path_text(path), line, None, f"invalid UTF-8 at byte offset {offset} (bytes {bad}); "
                   "save the file as UTF-8 and import it again")


def _binary_problem(path: Path, data: bytes, base_offset: int, base_line: int) -> Problem:
    """Where the first NUL byte is, so the user can see why the file counts as binary."""
    index = data.index(b"\x00")
    if base_offset == 0 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return Problem(path_text(path), None, None, "this file is UTF-16, not UTF-8; save it as UTF-8")
    line = base_line + data.count(b"\n", 0, index)
    return Problem(path_text(path), line, None,
                   f"NUL byte at byte offset {base_offset + index}: this is a binary file, not UTF-8 text")


def read_text(path: Path) -> str:
    """A whole file as a str (used for one-document files); raises InputError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(path_text(path), None, None, f"cannot read file: {exc.strerror}")]) from exc
    # The whole file, not only the first SNIFF_BYTES: a NUL after 8 KB was stored as text.
    if looks_binary(data):
        raise InputError([_binary_problem(path, data, 0, 1)])
    try:
        return strip_bom(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError([_utf8_problem(path, data, 0, exc, 1)]) from exc


def check_utf8_stream(path: Path) -> None:
    """Validate a file as UTF-8 text in constant memory; raises InputError at the first fault."""
    for item in iter_lines(path):
        if isinstance(item, Problem):
            raise InputError([item])


def iter_lines(path: Path) -> Iterator[tuple[int, str] | Problem]:
    """Physical lines split on ``\\n`` only (a U+2028 inside a JSON string is not a break).

    Yields (1-based line number, decoded line without its ``\\n``) or a Problem for a line
    that is not UTF-8. A binary file raises InputError before anything is yielded.
    """
    offset = 0
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError([Problem(path_text(path), None, None, f"cannot read file: {exc.strerror}")]) from exc
    with handle:
        head = handle.read(SNIFF_BYTES)
        if looks_binary(head):
            raise InputError([_binary_problem(path, head, 0, 1)])
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):  # binary iteration splits on b"\n" only
            if looks_binary(raw):  # a NUL past the sniffed head: refuse that line, never store it
                yield _binary_problem(path, raw, offset, number)
                offset += len(raw)
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield _utf8_problem(path, raw, offset, exc, number)
                offset += len(raw)
                continue
            offset += len(raw)
            if number == 1:
                line = strip_bom(line)
            yield number, line[:-1] if line.endswith("\n") else line
