"""Offset and span-set checks shared by every format; Problem formatting."""

from __future__ import annotations

import pytest

from annotator.core.problems import InputError, Problem
from annotator.core.records import DocumentRecord, SpanRecord, check_span_offsets, check_span_set, is_int


@pytest.mark.parametrize(("value", "ok"), [(0, True), (10**30, True), (-1, True), (True, False), (False, False),
                                           (1.0, False), ("1", False), (None, False)])
def test_records_is_int(value, ok):
    assert is_int(value) is ok


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (True, 3, "s.start", "a boolean"),
        (0, False, "s.end", "a boolean"),
        (1.5, 3, "s.start", "float 1.5"),
        (0, "3", "s.end", "str '3'"),
        (None, 3, "s.start", "null"),
        (-2, 3, "s.start", "negative"),
        (4, 2, "s", "before start"),
        (2, 2, "s", "empty"),
        (0, 11, "s.end", "out of range (text has 10 characters)"),
    ],
)
def test_records_check_span_offsets_problems(start, end, field, message):
    problem = check_span_offsets("f.jsonl", 3, "s", start, end, 10)

    assert problem is not None
    assert (problem.file, problem.line, problem.field) == ("f.jsonl", 3, field)
    assert message in problem.message


def test_records_check_span_offsets_accepts_whole_text():
    assert check_span_offsets("f", 1, "s", 0, 10, 10) is None


def _record(*spans: tuple[int, int, str]) -> DocumentRecord:
    return DocumentRecord("x" * 50, 4, spans=[SpanRecord(s, e, lab, f"spans[{i}]") for i, (s, e, lab) in enumerate(spans)])


def test_records_check_span_set_duplicates_and_overlaps():
    record = _record((0, 5, "A"), (0, 5, "A"), (3, 8, "B"), (10, 12, "A"), (12, 14, "B"))

    problems = check_span_set("f", record, frozenset({"A", "B"}), allow_overlap=False)

    assert [(p.field, p.line) for p in problems] == [("spans[1]", 4), ("spans[2]", 4)]
    assert "duplicate" in problems[0].message and "spans[0]" in problems[0].message
    assert "overlaps spans[0]" in problems[1].message


def test_records_check_span_set_nested_overlap_is_found():
    record = _record((0, 20, "A"), (2, 3, "A"), (5, 8, "A"))

    problems = check_span_set("f", record, frozenset({"A"}), allow_overlap=False)

    assert problems and problems[0].field == "spans[1]"


def test_records_check_span_set_non_entity_labels_may_overlap():
    record = _record((0, 10, "CLAIM"), (2, 4, "A"), (0, 10, "A"), (5, 12, "CLAIM"))

    problems = check_span_set("f", record, frozenset({"A"}), allow_overlap=False)

    assert [p.field for p in problems] == ["spans[1]"]  # only the two entity spans conflict


def test_records_check_span_set_allow_overlap_still_refuses_duplicates():
    record = _record((0, 10, "A"), (2, 4, "B"), (2, 4, "B"))

    problems = check_span_set("f", record, None, allow_overlap=True)

    assert [p.field for p in problems] == ["spans[2]"]


def test_problems_str_names_file_line_field():
    assert str(Problem("a.jsonl", 12, "spans[3].end", "offset 900 is out of range")) == \
        "a.jsonl:12: spans[3].end: offset 900 is out of range"
    assert str(Problem("a.txt", None, None, "binary")) == "a.txt: binary"
    assert not Problem("a", 1, None, "m", "notice").is_error


def test_problems_input_error_message_lists_problems():
    error = InputError([Problem("a", 1, "x", "bad"), Problem("a", 2, None, "worse")])

    assert str(error) == "a:1: x: bad\na:2: worse"
