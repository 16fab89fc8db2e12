"""The JSONL reader's fast paths give exactly what the full checks give, problems included.

Lines without a surrogate or NUL escape skip the per-string checks; spans that pass every
test inline skip ``parse_span``; ``find_surrogate`` answers "none" at C speed. Each is
compared here with the slow path it stands in for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.problems import Problem
from annotator.core.records import DocumentRecord
from annotator.formats.fields import find_surrogate, parse_span, parse_spans
from annotator.formats.prodigy import _RISKY_ESCAPE, _loads, parse_task, read_prodigy
from annotator.formats.registry import ReadOptions


def read(path: Path) -> list[DocumentRecord | Problem]:
    return list(read_prodigy(path, ReadOptions()))


@pytest.mark.parametrize("escape", ["\\ud800", "\\uD800", "\\udBfF", "\\udc00", "\\uDFFF", "\\udfff", "\\u0000"])
def test_prodigy_risky_escape_matches_every_surrogate_and_nul_escape(escape):
    assert _RISKY_ESCAPE.search(f'{{"text": "a{escape}b"}}')


@pytest.mark.parametrize("escape", ["\\ud7ff", "\\ue000", "\\u0001", "\\u00e9", "\\u2028", "\\u000a"])
def test_prodigy_risky_escape_ignores_other_escapes(escape):
    assert _RISKY_ESCAPE.search(f'{{"text": "a{escape}b"}}') is None


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        # An emoji as a surrogate-pair escape makes the line "risky"; the lone one is still named.
        (b'{"text": "\\ud83c\\udf0d x", "meta": {"deep": [{"k": "\\udc00"}]}}', "meta.deep[0].k",
         "lone surrogate U+DC00 at character 0"),
        (b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "O\\u0000"}]}', "spans[0].label",
         "NUL character"),
        (b'{"text": "abc", "title": "x\\u0000"}', "title", "NUL character (U+0000) at character 1"),
        (b'{"text": "abc", "_input_hash": "\\uDFFF"}', "_input_hash", "lone surrogate U+DFFF"),
        (b'{"text": "abc", "meta": {"\\ud800": 1}}', "meta['\\ud800']", "key contains a lone surrogate"),
    ],
    ids=["meta-after-pair", "label-nul", "title-nul", "upper-case-extra", "meta-key"],
)
def test_prodigy_fast_path_escape_present_still_refused(tmp_path, line, field, message):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "fine"}\n' + line + b"\n")

    first, problem = read(path)

    assert isinstance(first, DocumentRecord)
    assert isinstance(problem, Problem), problem
    assert (problem.line, problem.field) == (2, field) and message in problem.message


def test_prodigy_fast_path_escaped_backslash_is_a_harmless_false_alarm(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "C:\\\\ud800 and \\\\u0000", "title": "t\\\\u0000"}\n')

    (record,) = read(path)

    assert isinstance(record, DocumentRecord)
    assert record.text == "C:\\ud800 and \\u0000" and record.title == "t\\u0000"


# ---------------------------------------------------------------- property: fast == slow
ODD = ["\ud800", "\udbff", "\udc00", "\udfff", "\x00", "\\", '"', "🌍", "é", "\u2028", "\r"]
odd_strings = st.lists(st.one_of(st.characters(), st.sampled_from(ODD)), max_size=8).map("".join)
clean_strings = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
strings = st.one_of(*[clean_strings] * 8, odd_strings)  # mostly valid, so that records get far
LABELS = ["PERSON", "ORG", " PAD", "O\ud800", "N\x00", "", "x" * 101, "line\nbreak"]
offsets = st.one_of(st.integers(-2, 12), st.booleans(), st.none(), st.just(1.0), st.just("1"))


@st.composite
def raw_spans(draw):
    span = {}
    for key, values in (("start", offsets), ("end", offsets),
                        ("label", st.one_of(st.sampled_from(LABELS), strings, st.integers()))):
        if draw(st.integers(0, 9)):  # mostly present
            span[key] = draw(values)
    if draw(st.booleans()):
        span["text"] = draw(st.one_of(strings, st.none(), st.integers()))
    return draw(st.one_of(*[st.just(span)] * 4, st.integers(), st.lists(st.integers(), max_size=2)))


@st.composite
def good_spans(draw, text: str):
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    span = {"start": start, "end": end, "label": draw(st.sampled_from(["PERSON", "ORG", "CLAIM"]))}
    if draw(st.booleans()):
        span["text"] = text[start:end]
    return span


@st.composite
def tasks(draw):
    text = draw(st.one_of(clean_strings.filter(bool), strings))
    task: dict = {"text": draw(st.sampled_from([text] * 8 + [None, 3]))}
    span_kinds = [raw_spans()] + ([good_spans(text)] * 8 if text else [])
    spans = draw(st.lists(st.one_of(*span_kinds), max_size=6))
    if spans or draw(st.booleans()):
        task["spans"] = spans
    if draw(st.booleans()):
        task["meta"] = draw(st.one_of(st.dictionaries(strings, st.one_of(strings, st.lists(strings, max_size=2)),
                                                      max_size=3), st.none(), strings))
    for key in ("title", "_annotator_id", "_input_hash"):
        if draw(st.booleans()):
            task[key] = draw(st.one_of(strings, strings, st.integers()))
    if draw(st.booleans()):
        task[draw(strings)] = draw(strings)
    return task


def _reference_spans(file, line, raw, text, state, annotator):
    spans = []
    for i, item in enumerate(raw):
        span, problems = parse_span(file, line, f"spans[{i}]", item, text, state, annotator)
        if problems:
            return spans, problems[0]
        spans.append(span)
    return spans, None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=strings, raw=st.lists(raw_spans(), max_size=4), state=st.sampled_from(["accepted", "rejected"]))
def test_prodigy_parse_spans_matches_parse_span_per_span(text, raw, state):
    text = text or "abcdefghij"
    assert parse_spans("f", 3, raw, text, state, "ann") == _reference_spans("f", 3, raw, text, state, "ann")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(task=tasks(), ensure_ascii=st.booleans())
def test_prodigy_reader_fast_path_matches_full_checks(tmp_path_factory, task, ensure_ascii):
    line = json.dumps(task, ensure_ascii=ensure_ascii)
    try:
        raw = line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate can only reach a UTF-8 file as an escape
        line = json.dumps(task, ensure_ascii=True)
        raw = line.encode("utf-8")
    path = tmp_path_factory.mktemp("fast") / "in.jsonl"
    path.write_bytes(raw + b"\n")

    *said, got = read(path)  # notices (a span given twice) come before their record

    notices: list = []
    assert got == parse_task(str(path), 1, _loads(line), notices=notices)  # every check, nothing skipped
    assert said == notices


def _strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _strings_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from _strings_in(child)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), strings)
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                            st.dictionaries(strings, inner, max_size=3)), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_prodigy_find_surrogate_none_exactly_when_no_string_has_one(value):
    has_one = any(0xD800 <= ord(c) <= 0xDFFF for s in _strings_in(value) for c in s)

    assert (find_surrogate(value, "") is not None) == has_one


@settings(max_examples=300, deadline=None)
@given(value=json_values, ensure_ascii=st.booleans())
def test_prodigy_risky_escape_absent_means_no_surrogate_or_nul(value, ensure_ascii):
    line = json.dumps({"v": value}, ensure_ascii=ensure_ascii)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return  # not a line a UTF-8 file can hold
    if _RISKY_ESCAPE.search(line) is None:
        decoded = _loads(line)
        assert not any("\x00" in s or any(0xD800 <= ord(c) <= 0xDFFF for c in s) for s in _strings_in(decoded))
