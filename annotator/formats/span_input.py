"""Reading spans from other tools' files: offsets in the unit asked for, every check named.

JavaScript tools (doccano, Label Studio) count string offsets in UTF-16 units, so an emoji
counts 2 there and 1 here. We never guess: with ``--offsets utf16`` the file's offsets are
converted (an offset inside a surrogate pair is refused); without it they are taken as code
points, and when the file gives a span's text that does not match, or an offset runs past
the end of a text with astral characters, the message says what to try.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.problems import InputError, Problem
from ..core.records import SpanRecord, check_span_offsets, is_int
from ..core.textutil import quoted
from .decoding import iter_lines
from .fields import check_label

UTF16_HINT = ("if the file came from a JavaScript tool (doccano, Label Studio) its offsets may be UTF-16 "
              "units: import with --offsets utf16")


def has_astral(text: str) -> bool:
    return any(ord(ch) > 0xFFFF for ch in text) if not text.isascii() else False


class Offsets:
    """The file's offsets -> code points (identity unless ``utf16`` and the text needs it)."""

    def __init__(self, text: str, utf16: bool) -> None:
        self.text = text
        self.utf16 = utf16 and has_astral(text)
        self._map: list[int] | None = None

    def __call__(self, offset: int) -> int | None:
        if not self.utf16:
            return offset
        if self._map is None:
            mapping = []  # UTF-16 unit index -> code point index, -1 inside a pair
            for index, ch in enumerate(self.text):
                mapping.append(index)
                if ord(ch) > 0xFFFF:
                    mapping.append(-1)
            mapping.append(len(self.text))
            self._map = mapping
        if not 0 <= offset < len(self._map):
            return None
        found = self._map[offset]
        return None if found < 0 else found


def read_span(
    file: str, line: int, fld: str, start: Any, end: Any, label: Any, text: str, offsets: Offsets,
    *, given: Any = None, state: str = "accepted", annotator: str | None = None,
) -> SpanRecord | Problem:
    """One span from raw values; the first problem, named by field, or the record."""
    for name, value in (("start", start), ("end", end)):
        if not is_int(value):
            return Problem(file, line, f"{fld}.{name}", f"offset must be an integer, got {quoted(value)}")
    if offsets.utf16:
        converted = offsets(start), offsets(end)
        for name, raw, value in (("start", start, converted[0]), ("end", end, converted[1])):
            if value is None:
                return Problem(file, line, f"{fld}.{name}",
                               f"UTF-16 offset {raw} is past the end of the text or inside a surrogate pair")
        start, end = converted
    problem = check_span_offsets(file, line, fld, start, end, len(text))
    if problem is not None:
        if problem.field == f"{fld}.end" and "out of range" in problem.message and has_astral(text):
            problem = Problem(file, line, problem.field, f"{problem.message}; {UTF16_HINT}")
        return problem
    if (problem := check_label(file, line, f"{fld}.label", label)) is not None:
        return problem
    if given is not None:
        if not isinstance(given, str):
            return Problem(file, line, f"{fld}.text", f"must be a string, got {quoted(given)}")
        if given != text[start:end]:
            hint = f"; {UTF16_HINT}" if has_astral(text) and not offsets.utf16 else ""
            return Problem(file, line, f"{fld}.text", f"span text {quoted(given)} does not match the document at "
                           f"{start}-{end} ({quoted(text[start:end])}){hint}")
    return SpanRecord(start, end, label, fld, annotator, state)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError(f"number {literal[:40]} is too large")
    return value


# strict=False: a raw \r or tab inside a JSON string is part of the text (lines split on \n only).
DECODER = json.JSONDecoder(strict=False, parse_constant=_refuse_constant, parse_float=_parse_float)


def loads(text: str, file: str, line: int) -> tuple[Any, Problem | None]:
    try:
        return DECODER.decode(text), None
    except json.JSONDecodeError as exc:
        return None, Problem(file, exc.lineno + line - 1, None, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except ValueError as exc:
        return None, Problem(file, line, None, f"invalid JSON: {exc}")
    except RecursionError:
        return None, Problem(file, line, None, "invalid JSON: nested too deeply")


def json_lines(path: Path, file: str) -> Iterator[tuple[int, Any] | Problem]:
    """(line number, parsed object) per non-blank line of a JSONL file, or a Problem."""
    first = True
    for item in iter_lines(path):
        if isinstance(item, Problem):
            yield item
            continue
        number, line = item
        if not line or line.isspace():
            continue
        data, problem = loads(line, file, number)
        if problem is not None and first:
            spread_json_check(path, file, number, line)
        first = False
        yield problem if problem is not None else (number, data)


SPREAD_JSON_LIMIT = 64 * 1024 * 1024  # parse a whole file to be sure only when it is this small


def spread_json_check(path: Path, file: str, number: int, line: str) -> None:
    """The first line of a "JSON Lines" file is not JSON: is the file one pretty-printed JSON
    document? Then say so once (InputError), instead of one "invalid JSON" per line."""
    head = line.strip()
    whole: Any = None
    if path.stat().st_size <= SPREAD_JSON_LIMIT:
        try:
            whole = DECODER.decode(path.read_bytes().decode("utf-8-sig"))
        except (ValueError, RecursionError):
            whole = None
    if whole is None and head not in ("[", "{", "[{") and not (head.startswith("{") and head.endswith(",")):
        return
    hint = (" If it is a JSON list of records, import a doccano JSON export with --format doccano, a Label Studio "
            "export with --format labelstudio." if isinstance(whole, list) or head.startswith("[") else "")
    raise InputError([Problem(file, number, None, "this looks like one JSON document spread over lines, not JSON "
                              f"Lines (one JSON object per line).{hint}")])


def line_starts(text: str) -> list[int]:
    """Character offset where each physical line (split on \\n) starts, for line numbers in a
    whole-file JSON document."""
    return [0, *(match.end() for match in re.finditer("\n", text))]
