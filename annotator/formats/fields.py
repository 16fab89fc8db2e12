"""Field checks shared by the record-based readers; each returns Problems naming the field."""

from __future__ import annotations

import json
from typing import Any

from ..core.problems import Problem
from ..core.records import SpanRecord, check_span_offsets
from ..core.scheme import check_label_name
from ..core.textutil import find_lone_surrogate, quoted


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "a list", str: "a string", int: "an integer", float: "a number"}.get(
        type(value), type(value).__name__
    )


def surrogate_problem(file: str, line: int, fld: str, value: str) -> Problem | None:
    index = find_lone_surrogate(value)
    if index is None:
        return None
    return Problem(file, line, fld, f"contains a lone surrogate U+{ord(value[index]):04X} at character {index} "
                   "(not valid Unicode text)")


def find_surrogate(value: Any, fld: str) -> Problem | None:
    """The first lone surrogate anywhere in a decoded JSON value (keys too), by field path.

    Why: only text, labels and meta were checked; a "\\ud800" escape in ``title``,
    ``_annotator_id``, ``_input_hash`` or a key reached SQLite, whose UTF-8 encoding raised
    mid-import and rolled back every file of the import. Iterative, so nesting depth that
    ``json.loads`` accepted cannot overflow the stack here.
    """
    if _encodes_cleanly(value):
        return None
    stack: list[tuple[str, Any]] = [(fld, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            index = find_lone_surrogate(item)
            if index is not None:
                return Problem("", 0, where, f"contains a lone surrogate U+{ord(item[index]):04X} at character "
                               f"{index} (not valid Unicode text)")
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                if find_lone_surrogate(key) is not None:
                    return Problem("", 0, f"{where}[{quoted(key)}]" if where else quoted(key),
                                   "key contains a lone surrogate (not valid Unicode text)")
                children.append((f"{where}.{key}" if where else key, child))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(reversed([(f"{where}[{i}]", child) for i, child in enumerate(item)]))
    return None


def _encodes_cleanly(value: Any) -> bool:
    """True if no string in ``value`` (keys too) holds a surrogate, checked at C speed.

    ``json.dumps(ensure_ascii=False)`` copies every string as is, and strict UTF-8 encoding
    refuses any surrogate code point: exactly what ``find_lone_surrogate`` looks for. The
    walk in ``find_surrogate`` then only runs to name the field. False when unsure (a value
    json cannot write, nesting too deep for it): the walk decides.
    """
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (ValueError, TypeError, RecursionError):  # UnicodeEncodeError is a ValueError
        return False
    return True


def surrogate_in(file: str, line: int, value: Any, fld: str = "") -> Problem | None:
    problem = find_surrogate(value, fld)
    return problem and Problem(file, line, problem.field, problem.message)


def nul_problem(file: str, line: int, fld: str, value: str) -> Problem | None:
    """A U+0000 from a JSON ``\\u0000`` escape (raw NUL bytes already refuse the file as binary).

    Why: SQLite's text functions stop at a NUL, so a stored text with one showed a cut-off
    snippet (``substr``) and any SQL over it saw a different text than the offsets refer to.
    """
    index = value.find("\x00")
    if index < 0:
        return None
    return Problem(file, line, fld, f"contains a NUL character (U+0000) at character {index}; "
                   "text with NUL characters is binary data, not an article")


def check_text(
    file: str, line: int, record: dict, fld: str = "text", *, chars: bool = True
) -> tuple[str | None, Problem | None]:
    """``chars=False`` skips the lone-surrogate and NUL checks: for a caller that knows neither can occur."""
    if fld not in record:
        return None, Problem(file, line, fld, f"field {quoted(fld)} is missing")
    text = record[fld]
    if not isinstance(text, str):
        return None, Problem(file, line, fld, f"must be a string, got {describe(text)}")
    if not chars:
        return text, None
    return text, surrogate_problem(file, line, fld, text) or nul_problem(file, line, fld, text)


def check_meta(
    file: str, line: int, value: Any, fld: str = "meta", *, chars: bool = True
) -> tuple[dict, Problem | None]:
    """``chars=False`` skips the lone-surrogate walk, as in ``check_text``."""
    if value is None:
        return {}, None
    if not isinstance(value, dict):
        return {}, Problem(file, line, fld, f"must be an object, got {describe(value)}")
    return value, surrogate_in(file, line, value, fld) if chars else None


def check_label(file: str, line: int, fld: str, label: Any) -> Problem | None:
    if not isinstance(label, str):
        return Problem(file, line, fld, f"label must be a string, got {describe(label)}")
    if (reason := check_label_name(label)) is not None:
        return Problem(file, line, fld, reason)
    return surrogate_problem(file, line, fld, label) or nul_problem(file, line, fld, label)


# Labels check_label accepted (it depends on the label alone, and an accepted one is at most
# 100 characters): a file's few labels are checked once each, not once per span.
_GOOD_LABELS: set[str] = set()
_GOOD_LABELS_MAX = 4096


def _label_ok(label: str) -> bool:
    if check_label("", 0, "", label) is not None:
        return False
    if len(_GOOD_LABELS) < _GOOD_LABELS_MAX:
        _GOOD_LABELS.add(label)
    return True


def parse_spans(
    file: str, line: int, raw_spans: list, text: str, state: str, annotator: str | None
) -> tuple[list[SpanRecord], Problem | None]:
    """Every span of a record's ``spans`` list, or the first problem (named as ``parse_span`` names it).

    Why inline: a ``parse_span`` call per span, and a call per check inside it, was the
    import's largest Python cost after the lone-surrogate walk (benchmarks/bench_import.py).
    A span passing every test below is one that ``parse_span`` accepts; any other goes
    through ``parse_span``, so every problem keeps its exact field and message.
    """
    spans: list[SpanRecord] = []
    append = spans.append
    length = len(text)
    good_labels = _GOOD_LABELS
    for i, raw in enumerate(raw_spans):
        if type(raw) is dict:
            start, end, label = raw.get("start"), raw.get("end"), raw.get("label")
            # type() is, not isinstance: a bool is an int but never an offset.
            if (type(start) is int and type(end) is int and 0 <= start < end <= length
                    and type(label) is str and (label in good_labels or _label_ok(label))):
                given = raw.get("text")
                if given is None or given == text[start:end]:
                    append(SpanRecord(start, end, label, f"spans[{i}]", annotator, state))
                    continue
        span, problems = parse_span(file, line, f"spans[{i}]", raw, text, state, annotator)
        if problems:
            return spans, problems[0]
        assert span is not None
        append(span)
    return spans, None


def parse_span(
    file: str, line: int, fld: str, raw: Any, text: str, state: str, annotator: str | None
) -> tuple[SpanRecord | None, list[Problem]]:
    """One ``{"start", "end", "label"[, "text"]}`` object; a given ``text`` must match."""
    if not isinstance(raw, dict):
        return None, [Problem(file, line, fld, f"must be an object, got {describe(raw)}")]
    problems = []
    for key in ("start", "end", "label"):
        if key not in raw:
            problems.append(Problem(file, line, f"{fld}.{key}", f"field {quoted(key)} is missing"))
    if problems:
        return None, problems
    start, end = raw["start"], raw["end"]
    if (problem := check_span_offsets(file, line, fld, start, end, len(text))) is not None:
        return None, [problem]
    if (problem := check_label(file, line, f"{fld}.label", raw["label"])) is not None:
        return None, [problem]
    given = raw.get("text")
    if given is not None and given != text[start:end]:
        # The UTF-16 hint only where it can be the cause: a text with characters beyond U+FFFF.
        hint = ("; if the file came from a JavaScript tool its offsets may be UTF-16 units"
                if any(ord(ch) > 0xFFFF for ch in text) else "")
        return None, [Problem(
            file, line, f"{fld}.text",
            f"span text {quoted(given)} does not match the document at {start}-{end} ({quoted(text[start:end])}){hint}",
        )]
    return SpanRecord(start, end, raw["label"], fld, annotator, state), []


def foreign_keys(file: str, line: int, data: dict, foreign: dict[str, str]) -> Problem | None:
    """A record key that holds annotations in another tool's shape, which this reader does
    not read: refused, naming the key (``foreign``: key -> what it is and which format reads
    it), never imported silently as a document without its spans."""
    for key in data.keys() & foreign.keys():  # a set operation: most records have none of them
        if data[key] not in (None, [], {}):
            return Problem(file, line, key, f"annotations this reader does not read ({foreign[key]}); nothing of "
                           "them would be imported, so the record is refused")
    return None
