"""The Prodigy JSONL reader on its own: lines, laziness, record shapes."""

from __future__ import annotations

import inspect
import json
import tracemalloc
from pathlib import Path

import pytest

from annotator.core.problems import InputError, Problem
from annotator.core.records import DocumentRecord
from annotator.formats.prodigy import parse_task, read_prodigy
from annotator.formats.registry import ReadOptions, guess_format, reader_for


def read(path: Path) -> list[DocumentRecord | Problem]:
    return list(read_prodigy(path, ReadOptions()))


def test_prodigy_reader_is_lazy_generator(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "first"}\n{not json at all\n\xff\xfe invalid utf-8\n[1]\n')

    stream = read_prodigy(path, ReadOptions())

    assert inspect.isgenerator(stream)
    first = next(stream)
    assert isinstance(first, DocumentRecord) and first.text == "first"
    stream.close()


def test_prodigy_reader_does_not_load_the_whole_file(tmp_path):
    path = tmp_path / "big.jsonl"
    garbage = b"x" * (8 * 1024 * 1024)  # one 8 MB garbage line after the first record
    path.write_bytes(b'{"text": "first"}\n' + garbage + b"\n")

    tracemalloc.start()
    try:
        stream = read_prodigy(path, ReadOptions())
        first = next(stream)
        _, peak = tracemalloc.get_traced_memory()
        stream.close()
    finally:
        tracemalloc.stop()

    assert first.text == "first"
    assert peak < 1024 * 1024


def test_prodigy_reader_splits_on_newline_only(tmp_path):
    path = tmp_path / "in.jsonl"
    odd = "a\u2028b\u2029c\x85d\x0be\x0cf\rg"
    path.write_bytes(f'{{"text": "{odd}"}}\r\n\n  \n{{"text": "next"}}'.encode())

    records = read(path)

    assert [(r.line, r.text) for r in records] == [(1, odd), (4, "next")]


def test_prodigy_reader_drops_only_a_leading_bom(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "\xef\xbb\xbfinner"}\n')

    (record,) = read(path)

    assert record.text == "\ufeffinner"


def test_prodigy_reader_surrogate_pair_escapes_decode_to_astral(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "\\ud83c\\udf0d x", "spans": [{"start": 2, "end": 3, "label": "X", "text": "x"}]}\n')

    (record,) = read(path)

    assert record.text == "🌍 x" and record.spans[0].start == 2


@pytest.mark.parametrize(("data", "message"), [(None, "cannot read"), (b"\x00\x01", "binary"),
                                               ('{"text": "a"}'.encode("utf-16"), "UTF-16")])
def test_prodigy_reader_whole_file_fault_raises(tmp_path, data, message):
    path = tmp_path / "in.jsonl"
    if data is not None:
        path.write_bytes(data)

    with pytest.raises(InputError) as caught:
        read(path)

    assert message in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("answer", "status", "state"),
    [(None, "todo", "accepted"), ("accept", "done", "accepted"), ("reject", "skipped", "rejected"),
     ("ignore", "skipped", "suggested")],
)
def test_prodigy_parse_task_answer_mapping(answer, status, state):
    data = {"text": "Bob", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}
    if answer:
        data["answer"] = answer

    record = parse_task("f", 1, data)

    assert isinstance(record, DocumentRecord)
    assert record.status == status and [s.state for s in record.spans] == [state]


def test_prodigy_parse_task_keeps_unknown_keys_opaque():
    record = parse_task("f", 7, {"text": "t", "_view_id": "ner", "custom": {"a": [1]}, "meta": {"m": 1}})

    assert isinstance(record, DocumentRecord)
    assert record.line == 7
    assert record.meta == {"m": 1, "_prodigy": {"_view_id": "ner", "custom": {"a": [1]}}}


def test_prodigy_parse_task_span_field_names_index():
    record = parse_task("f", 1, {"text": "a b c", "spans": [
        {"start": 0, "end": 1, "label": "A"}, {"start": 2, "end": 3, "label": "B"}, {"start": 4, "end": 9, "label": "C"}]})

    assert isinstance(record, Problem)
    assert (record.field, record.line) == ("spans[2].end", 1)


def test_prodigy_parse_task_null_spans_and_meta_are_empty():
    record = parse_task("f", 1, {"text": "t", "spans": None, "meta": None})

    assert isinstance(record, DocumentRecord) and record.spans == [] and record.meta == {}


@pytest.mark.parametrize("name", ["in.jsonl", "IN.JSONL", "in.ndjson"])
def test_prodigy_format_is_guessed_from_suffix(name):
    assert guess_format(Path(name)) == "prodigy"


def test_prodigy_reader_aliases():
    assert reader_for("jsonl") is reader_for("prodigy")
    assert reader_for("txt").name == "text" and reader_for("tsv").name == "csv"


def test_prodigy_unknown_format_name_is_an_input_error():
    with pytest.raises(InputError, match="unknown format 'xml'"):
        reader_for("xml")


def test_prodigy_reader_reads_what_json_dumps_writes(tmp_path):
    records = [{"text": t} for t in ["plain", "quote \" and \\ backslash", "tab\tnew\nline", "🇺🇦"]]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))

    assert [r.text for r in read(path)] == [r["text"] for r in records]
