"""Offset and span-set checks every format shares."""

from __future__ import annotations

import pytest

from annotator.core.problems import InputError, Problem
from annotator.core.records import DocumentRecord, SpanRecord, check_span_offsets, check_span_set, is_int


@pytest.mark.parametrize("value, ok", [(0, True), (5, True), (-1, True), (True, False), (False, False),
                                       (3.0, False), ("3", False), (None, False), ([3], False)])
def test_records_is_int(value, ok):
    assert is_int(value) is ok


@pytest.mark.parametrize(
    "start, end, fld, message",
    [
        (True, 3, "s.start", "a boolean"),
        (0, False, "s.end", "a boolean"),
        (0, 3.0, "s.end", "float 3.0"),
        ("0", 3, "s.start", "str '0'"),
        (None, 3, "s.start", "null"),
        (-2, 3, "s.start", "negative"),
        (4, 2, "s", "end 2 is before start 4"),
        (2, 2, "s", "empty"),
        (0, 11, "s.end", "offset 11 is out of range (text has 10 characters)"),
        (0, 10, None, None),
        (9, 10, None, None),
    ],
)
def test_records_check_span_offsets(start, end, fld, message):
    problem = check_span_offsets("f.jsonl", 7, "s", start, end, 10)
    if message is None:
        assert problem is None
        return
    assert problem is not None and problem.file == "f.jsonl" and problem.line == 7
    assert problem.field == fld and message in problem.message


def _record(*spans: tuple[int, int, str]) -> DocumentRecord:
    return DocumentRecord("x" * 40, 3, spans=[SpanRecord(s, e, lab, f"spans[{i}]") for i, (s, e, lab) in enumerate(spans)])


@pytest.mark.parametrize(
    "spans, allow, entity_labels, fields, message",
    [
        ([(0, 3, "PER"), (5, 9, "ORG")], False, None, [], None),
        ([(0, 3, "PER"), (3, 9, "ORG")], False, None, [], None),  # touching is not overlapping
        ([(0, 3, "PER"), (0, 3, "PER")], False, None, ["spans[1]"], "duplicate"),
        ([(0, 3, "PER"), (0, 3, "PER")], True, None, ["spans[1]"], "duplicate"),
        ([(0, 3, "PER"), (0, 3, "ORG")], False, None, ["spans[1]"], "overlaps"),
        ([(0, 5, "PER"), (2, 9, "ORG")], False, None, ["spans[1]"], "overlaps"),
        ([(2, 9, "ORG"), (0, 5, "PER")], False, None, ["spans[0]"], "overlaps"),
        ([(0, 5, "PER"), (2, 9, "ORG")], True, None, [], None),
        ([(0, 5, "PER"), (0, 20, "CLAIM")], False, frozenset({"PER"}), [], None),
        ([(0, 20, "CLAIM"), (5, 25, "CLAIM")], False, frozenset({"PER"}), [], None),
        ([(0, 9, "PER"), (1, 2, "PER"), (3, 4, "PER")], False, None, ["spans[1]", "spans[2]"], "overlaps"),
    ],
)
def test_records_check_span_set(spans, allow, entity_labels, fields, message):
    problems = check_span_set("f.jsonl", _record(*spans), entity_labels, allow)
    assert [p.field for p in problems] == fields
    assert all(p.line == 3 and p.file == "f.jsonl" for p in problems)
    if message:
        assert all(message in p.message for p in problems)


def test_records_problem_text():
    assert str(Problem("a.jsonl", 3, "spans[0].end", "bad")) == "a.jsonl:3: spans[0].end: bad"
    assert str(Problem("a.txt", None, None, "binary")) == "a.txt: binary"
    assert not Problem("a", 1, None, "m", "notice").is_error
    error = InputError([Problem("a", 1, None, "one"), Problem("a", 2, None, "two")])
    assert str(error) == "a:1: one\na:2: two" and len(error.problems) == 2
