"""A whole-file JSON list read one element at a time, each with the line it starts on.

Shared by the readers of JSON-list exports (Label Studio's tasks, doccano's JSON records):
an element is decoded only when it is reached, so an error names the line of the element it
is in, and anything after the list (a second list pasted on, a stray fragment) is refused
rather than ignored.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from ..core.problems import InputError, Problem
from .span_input import DECODER


def elements(file: str, text: str, starts: list[int], noun: str, refusal: str) -> Iterator[tuple[int, Any]]:
    """Each element of the top-level JSON list with the character offset where it starts.

    A file of objects one after another (a single object, or JSON Lines) yields each object.
    ``noun`` names the elements in errors ("tasks"); ``refusal`` is the error for a file
    that starts with neither ``[`` nor ``{``. ``starts``: ``span_input.line_starts(text)``.
    """
    index = _skip(text, 0)
    if index >= len(text) or text[index] not in "[{":
        raise InputError([Problem(file, 1, None, refusal)])
    if text[index] == "{":
        # Every object is read: taking only the first silently dropped the rest of a JSONL file.
        while index < len(text):
            value, end = _decode(file, text, index, starts)
            yield index, value
            index = _skip(text, end)
            if index < len(text) and text[index] != "{":
                _trailing(file, text, index, starts, noun)
        return
    index = _skip(text, index + 1)
    if index < len(text) and text[index] == "]":
        _trailing(file, text, _skip(text, index + 1), starts, noun)
        return
    while True:
        value, end = _decode(file, text, index, starts)
        yield index, value
        index = _skip(text, end)
        if index < len(text) and text[index] == ",":
            index = _skip(text, index + 1)
            continue
        if index < len(text) and text[index] == "]":
            _trailing(file, text, _skip(text, index + 1), starts, noun)
            return
        line = bisect_right(starts, index)
        raise InputError([Problem(file, line, None, f"invalid JSON: expected ',' or ']' between {noun}")])


def first_element(head: str) -> Any:
    """The first element of the JSON list (or the first object) a file's head starts with,
    or None when the head holds no complete one (for guessing a format from the head)."""
    index = _skip(head, 0)
    if head.startswith("[", index):
        index = _skip(head, index + 1)
    try:
        return DECODER.raw_decode(head, index)[0]
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return None


def _trailing(file: str, text: str, index: int, starts: list[int], noun: str) -> None:
    """Anything after the elements would be ignored: refuse it."""
    if index < len(text):
        raise InputError([Problem(file, bisect_right(starts, index), None,
                                  f"invalid JSON: more after the end of the {noun} (expected the end of the file)")])


def _decode(file: str, text: str, index: int, starts: list[int]) -> tuple[Any, int]:
    try:
        return DECODER.raw_decode(text, index)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(file, exc.lineno, None, f"invalid JSON: {exc.msg} (column {exc.colno})")]) from exc
    except (ValueError, RecursionError) as exc:
        line = bisect_right(starts, index)
        raise InputError([Problem(file, line, None, f"invalid JSON: {exc}")]) from exc


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index
