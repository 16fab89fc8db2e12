"""Prodigy task JSONL reader: line splitting, field checks, exact text, laziness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.problems import InputError, Problem
from annotator.core.records import DocumentRecord
from annotator.formats import ReadOptions, reader_for
from annotator.formats.prodigy import read_prodigy


def _read(path: Path) -> list[DocumentRecord | Problem]:
    """Every item the reader yields; a whole-file fault (InputError) appended as its problems."""
    items: list[DocumentRecord | Problem] = []
    try:
        items.extend(reader_for("prodigy").read(path, ReadOptions()))
    except InputError as exc:
        items.extend(exc.problems)
    return items


def _write(tmp_path: Path, content: bytes, name: str = "tasks.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _line(obj: object, ensure_ascii: bool = False) -> bytes:
    return (json.dumps(obj, ensure_ascii=ensure_ascii) + "\n").encode("utf-8")


GOOD = _line({"text": "Ann met Bob."})


@pytest.mark.parametrize("name", ["jsonl", "prodigy"])
def test_prodigy_reader_registered_under_both_names(name):
    assert reader_for(name).name == "prodigy"


def test_prodigy_reader_reads_text_meta_spans_tokens(tmp_path):
    record = {
        "text": "Ann met Bob in Paris.",
        "meta": {"source": "wire", "n": 3},
        "tokens": [{"text": "Ann", "start": 0, "end": 3, "id": 0}],
        "spans": [{"start": 0, "end": 3, "label": "PERSON", "token_start": 0, "token_end": 0},
                  {"start": 15, "end": 20, "label": "GPE", "text": "Paris"}],
        "answer": "accept",
    }
    [doc] = _read(_write(tmp_path, _line(record)))
    assert isinstance(doc, DocumentRecord)
    assert doc.text == record["text"]
    assert doc.line == 1
    assert doc.meta["source"] == "wire" and doc.meta["n"] == 3
    assert [(s.start, s.end, s.label, s.state) for s in doc.spans] == [
        (0, 3, "PERSON", "accepted"), (15, 20, "GPE", "accepted")]
    assert doc.status == "done"


@pytest.mark.parametrize(
    "answer, status, state",
    [("accept", "done", "accepted"), ("reject", "skipped", "rejected"), ("ignore", "skipped", "suggested"),
     (None, "todo", "accepted")],
)
def test_prodigy_reader_answer_controls_gold(tmp_path, answer, status, state):
    record = {"text": "Ann met Bob.", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}
    if answer is not None:
        record["answer"] = answer
    [doc] = _read(_write(tmp_path, _line(record)))
    assert doc.status == status
    assert [s.state for s in doc.spans] == [state]
    if answer in ("reject", "ignore"):
        assert all(s.state != "accepted" for s in doc.spans)  # no gold spans


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\r", "\x0b", "\x0c", "\x85"])
def test_prodigy_reader_splits_on_newline_only(tmp_path, sep):
    text = f"first{sep}second"
    # Raw (unescaped) characters inside the JSON string: not record separators.
    raw = b'{"text": "first' + sep.encode("utf-8") + b'second"}\n' + GOOD
    items = _read(_write(tmp_path, raw))
    assert [type(i) for i in items] == [DocumentRecord, DocumentRecord], items
    assert items[0].text == text
    assert items[1].line == 2


def test_prodigy_reader_line_numbers_count_newlines_only(tmp_path):
    raw = (b'{"text": "a\xe2\x80\xa8b\rc"}\n'  # U+2028 and a lone CR inside line 1
           b"\n"  # blank line 2 is skipped but counted
           b'{"text": "x"}\r\n'  # CRLF line ending: line 3
           b'{"text": 5}\n')  # line 4
    items = _read(_write(tmp_path, raw))
    assert [i.line for i in items] == [1, 3, 4]
    assert isinstance(items[2], Problem) and items[2].field == "text"


def test_prodigy_reader_keeps_escaped_and_raw_forms_identical(tmp_path):
    text = ("caf\u00e9 e\u0301 \U0001F30D \U0001F469\u200d\u2695\ufe0f \U0001F1FA\U0001F1E6 \U00020000 "
            "\u05e9\u05dc\u05d5\u05dd")
    a = _read(_write(tmp_path, _line({"text": text}, ensure_ascii=True), "a.jsonl"))
    b = _read(_write(tmp_path, _line({"text": text}, ensure_ascii=False), "b.jsonl"))
    assert a[0].text == b[0].text == text


def test_prodigy_reader_drops_only_leading_bom(tmp_path):
    raw = b"\xef\xbb\xbf" + _line({"text": "\ufeffinner BOM kept  \t"})
    [doc] = _read(_write(tmp_path, raw))
    assert doc.text == "\ufeffinner BOM kept  \t"


def test_prodigy_reader_is_lazy(tmp_path):
    raw = GOOD + b"\xff\xfe garbage {{{\n" * 1000
    stream = read_prodigy(_write(tmp_path, raw), ReadOptions())
    first = next(stream)
    assert isinstance(first, DocumentRecord) and first.text == "Ann met Bob."
    stream.close()


def test_prodigy_reader_large_single_record(tmp_path):
    text = ("Ünïcode wörds \U0001F30D " * 150_000)[:2_000_000]
    [doc] = _read(_write(tmp_path, _line({"text": text, "spans": [
        {"start": len(text) - 5, "end": len(text) - 1, "label": "ORG"}]})))
    assert doc.text == text and doc.spans[0].end == len(text) - 1


def test_prodigy_reader_keeps_prodigy_keys_in_meta(tmp_path):
    [doc] = _read(_write(tmp_path, _line({"text": "x", "_input_hash": 12, "_task_hash": -3, "answer": "accept"})))
    assert doc.meta["_prodigy"] == {"_input_hash": 12, "_task_hash": -3, "answer": "accept"}


def _span_line(start, end, label="PERSON", text="Ann met Bob."):
    return _line({"text": text, "spans": [{"start": start, "end": end, "label": label}]})


BAD_CASES = [
    # (id, content, expected line, field substring or None, message substring)
    ("invalid-json", GOOD + b'{"text": "x",}\n', 2, None, "invalid JSON"),
    ("truncated-json", GOOD + GOOD + b'{"text": "x"\n', 3, None, "invalid JSON"),
    ("nan", b'{"text": "x", "meta": {"a": NaN}}\n', 1, None, "NaN"),
    ("infinity", GOOD + b'{"text": "x", "meta": {"a": -Infinity}}\n', 2, None, "Infinity"),
    ("array-line", GOOD + b'["text"]\n', 2, None, "not a JSON object"),
    ("string-line", b'"just text"\n', 1, None, "not a JSON object"),
    ("number-line", b"3\n", 1, None, "not a JSON object"),
    ("null-line", GOOD + b"null\n", 2, None, "not a JSON object"),
    ("missing-text", GOOD + b'{"meta": {}}\n', 2, "text", "missing"),
    ("text-null", b'{"text": null}\n', 1, "text", "null"),
    ("text-number", b'{"text": 3}\n', 1, "text", "integer"),
    ("text-list", b'{"text": ["a"]}\n', 1, "text", "list"),
    ("text-bool", b'{"text": true}\n', 1, "text", "boolean"),
    ("start-true", _span_line(True, 3), 1, "spans[0].start", "boolean"),
    ("end-true", _span_line(0, True), 1, "spans[0].end", "boolean"),
    ("start-false", _span_line(False, 3), 1, "spans[0].start", "boolean"),
    ("start-float", _span_line(0.0, 3), 1, "spans[0].start", "integer"),
    ("end-float", _span_line(0, 3.0), 1, "spans[0].end", "integer"),
    ("end-string", _span_line(0, "3"), 1, "spans[0].end", "integer"),
    ("start-null", _span_line(None, 3), 1, "spans[0].start", "null"),
    ("start-negative", _span_line(-1, 3), 1, "spans[0].start", "negative"),
    ("end-before-start", _span_line(5, 3), 1, "spans[0]", "before start"),
    ("empty-span", _span_line(3, 3), 1, "spans[0]", "empty"),
    ("out-of-range", _span_line(0, 13), 1, "spans[0].end", "out of range"),
    ("missing-label", b'{"text": "abc", "spans": [{"start": 0, "end": 1}]}\n', 1, "spans[0].label", "missing"),
    ("missing-end", b'{"text": "abc", "spans": [{"start": 0, "label": "ORG"}]}\n', 1, "spans[0].end", "missing"),
    ("label-number", _span_line(0, 3, 7), 1, "spans[0].label", "string"),
    ("label-empty", _span_line(0, 3, ""), 1, "spans[0].label", "non-empty"),
    ("label-space", _span_line(0, 3, " ORG"), 1, "spans[0].label", "white space"),
    ("span-not-object", b'{"text": "abc", "spans": [[0, 1, "ORG"]]}\n', 1, "spans[0]", "object"),
    ("spans-not-list", b'{"text": "abc", "spans": {"start": 0}}\n', 1, "spans", "list"),
    ("second-span-bad", b'{"text": "abcdef", "spans": [{"start": 0, "end": 1, "label": "ORG"},'
     b' {"start": 2, "end": 99, "label": "ORG"}]}\n', 1, "spans[1].end", "out of range"),
    ("span-text-mismatch", b'{"text": "abcdef", "spans": [{"start": 0, "end": 2, "label": "ORG", "text": "bc"}]}\n',
     1, "spans[0].text", "does not match"),
    ("tokens-not-list", b'{"text": "abc", "tokens": 3}\n', 1, "tokens", "list"),
    ("meta-not-object", b'{"text": "abc", "meta": [1]}\n', 1, "meta", "object"),
    ("answer-bad", b'{"text": "abc", "answer": "maybe"}\n', 1, "answer", "accept, reject or ignore"),
    ("answer-list", b'{"text": "abc", "answer": ["accept"]}\n', 1, "answer", "accept, reject or ignore"),
    ("title-not-string", b'{"text": "abc", "title": 3}\n', 1, "title", "string"),
    ("surrogate-text", GOOD + b'{"text": "a\\ud800b"}\n', 2, "text", "lone surrogate"),
    ("surrogate-low-text", b'{"text": "\\udc00"}\n', 1, "text", "lone surrogate"),
    ("surrogate-label", b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "O\\ud800"}]}\n', 1,
     "spans[0].label", "lone surrogate"),
    ("surrogate-meta", b'{"text": "abc", "meta": {"k": "v\\udfff"}}\n', 1, "meta.k", "lone surrogate"),
    ("surrogate-meta-key", b'{"text": "abc", "meta": {"\\ud800": 1}}\n', 1, "meta", "lone surrogate"),
    ("surrogate-title", b'{"text": "abc", "title": "\\ud800"}\n', 1, "title", "lone surrogate"),
    ("surrogate-extra", b'{"text": "abc", "_annotator_id": "\\ud800"}\n', 1, "_annotator_id", "lone surrogate"),
    ("relation-bad-offset", b'{"text": "abcdef", "spans": [{"start": 0, "end": 1, "label": "ORG"}],'
     b' "relations": [{"head_span": {"start": true, "end": 1}, "child_span": {"start": 0, "end": 1},'
     b' "label": "R"}]}\n', 1, "relations[0].head_span.start", "integer"),
    ("relation-no-span", b'{"text": "abcdef", "spans": [{"start": 0, "end": 1, "label": "ORG"}],'
     b' "relations": [{"head_span": {"start": 0, "end": 1}, "child_span": {"start": 2, "end": 3},'
     b' "label": "R"}]}\n', 1, "relations[0].child_span", "no span"),
    ("nul-escape-text", GOOD + b'{"text": "a\\u0000b"}\n', 2, "text", "NUL character"),
    ("nul-escape-label", b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "O\\u0000"}]}\n', 1,
     "spans[0].label", "NUL character"),
    ("nul-escape-title", b'{"text": "abc", "meta": {"title": "\\u0000"}}\n', 1, "meta.title", "NUL character"),
    ("float-overflow", b'{"text": "abc", "meta": {"n": 1e400}}\n', 1, None, "too large"),
    ("deep-nesting", b'{"text": "x", "meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", 1, None, "invalid JSON"),
]


@pytest.mark.parametrize("content, line, fld, message", [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES])
def test_prodigy_reader_reports_bad_records(tmp_path, content, line, fld, message):
    path = _write(tmp_path, content)
    problems = [i for i in _read(path) if isinstance(i, Problem)]
    assert problems, "a bad record was accepted"
    problem = problems[0]
    assert problem.is_error
    assert problem.file == str(path)
    assert problem.line == line
    if fld is None:
        assert problem.field is None
    else:
        assert problem.field is not None and fld in problem.field, problem
    assert message.lower() in problem.message.lower(), problem
    assert str(path) in str(problem) and f":{line}" in str(problem)


@pytest.mark.parametrize(
    "content, line, offset",
    [
        (GOOD + GOOD + b'{"text": "caf\xff"}\n', 3, len(GOOD) * 2 + len(b'{"text": "caf')),
        (b'{"text": "\xc3"}\n', 1, len(b'{"text": "')),
        (GOOD + b'{"text": "\xed\xa0\x80"}\n', 2, len(GOOD) + len(b'{"text": "')),  # CESU surrogate bytes
    ],
    ids=["ff-line3", "truncated-sequence", "encoded-surrogate"],
)
def test_prodigy_reader_invalid_utf8_names_line_and_byte(tmp_path, content, line, offset):
    path = _write(tmp_path, content)
    problems = [i for i in _read(path) if isinstance(i, Problem)]
    assert problems and problems[0].line == line
    assert f"byte offset {offset}" in problems[0].message


@pytest.mark.parametrize(
    "content",
    [b'{"text": "a\x00b"}\n', b"\x00\x01\x02\x03binary", GOOD * 1000 + b'{"text": "late\x00nul"}\n'],
    ids=["nul-in-string", "binary-head", "nul-after-sniff"],
)
def test_prodigy_reader_refuses_binary(tmp_path, content):
    items = _read(_write(tmp_path, content))
    problems = [i for i in items if isinstance(i, Problem)]
    assert problems and problems[0].is_error
    assert "NUL" in problems[0].message and "binary" in problems[0].message
    assert not any(isinstance(i, DocumentRecord) and "\x00" in i.text for i in items)


def test_prodigy_reader_utf16_named(tmp_path):
    path = _write(tmp_path, '{"text": "x"}\n'.encode("utf-16"))
    [problem] = [i for i in _read(path) if isinstance(i, Problem)]
    assert "UTF-16" in problem.message


@pytest.mark.parametrize("content", [b"\x00\x01binary", '{"text": "x"}\n'.encode("utf-16")], ids=["nul", "utf16"])
def test_prodigy_reader_whole_file_fault_raises(tmp_path, content):
    with pytest.raises(InputError):
        list(read_prodigy(_write(tmp_path, content), ReadOptions()))


def test_prodigy_reader_empty_file(tmp_path):
    assert _read(_write(tmp_path, b"")) == []
    assert _read(_write(tmp_path, b"\n\n  \n", "blank.jsonl")) == []


def test_prodigy_reader_missing_file(tmp_path):
    items = _read(tmp_path / "nope.jsonl")
    assert len(items) == 1 and isinstance(items[0], Problem) and "cannot read" in items[0].message
