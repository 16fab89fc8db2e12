"""The import workflow: atomic files, exact problem reports, exact text and offsets, cancel."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.formats.plain_text import first_line_title
from annotator.core.model import Label, Scheme
from annotator.formats.registry import ReadOptions
from annotator.store import Project
from annotator.workflows.importing import ImportCancelled, ImportOptions, import_paths


def snapshot(project: Project) -> tuple[dict[str, int], list[str]]:
    return project.row_counts(), project.integrity_check()


def jsonl(*records: object, ensure_ascii: bool = False) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=ensure_ascii).encode("utf-8") + b"\n" for r in records)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def texts(project: Project) -> list[str]:
    return [r["text"] for r in project.db.query("SELECT text FROM documents ORDER BY position")]


def doc_ids(project: Project) -> list[int]:
    return [r["id"] for r in project.db.query("SELECT id FROM documents ORDER BY position")]


# Line 1 holds raw U+2028, U+2029, NEL, VT, FF and CR inside a JSON string: none of them is a
# line break, so the bad record after it is on physical line 2.
TRICKY_FIRST = '{"text": "First\u2028second\u2029third\x85fourth\x0bfifth\x0csixth\rseventh."}\n'.encode()
GOOD_LAST = b'{"text": "A good last record."}\n'


def span_rec(start: object, end: object, label: object = "PERSON", text: str = "Alice met Bob.") -> bytes:
    return json.dumps({"text": text, "spans": [{"start": start, "end": end, "label": label}]}).encode() + b"\n"


BAD_RECORDS = [
    # (bad line, expected field (None: the whole line), expected message fragment)
    pytest.param(b'{"text": "unterminated\n', None, "invalid JSON", id="invalid-json"),
    pytest.param(b'{"text": "a",}\n', None, "invalid JSON", id="trailing-comma"),
    pytest.param(b'[1, 2]\n', None, "not a JSON object", id="array-line"),
    pytest.param(b'"just a string"\n', None, "not a JSON object", id="string-line"),
    pytest.param(b'null\n', None, "not a JSON object", id="null-line"),
    pytest.param(b'{"meta": {"a": 1}}\n', "text", "missing", id="missing-text"),
    pytest.param(b'{"text": null}\n', "text", "must be a string", id="null-text"),
    pytest.param(b'{"text": 42}\n', "text", "must be a string", id="number-text"),
    pytest.param(b'{"text": ["a"]}\n', "text", "must be a string", id="list-text"),
    pytest.param(span_rec(True, 5), "spans[0].start", "boolean", id="start-true"),
    pytest.param(span_rec(0, True), "spans[0].end", "boolean", id="end-true"),
    pytest.param(span_rec(0.0, 5), "spans[0].start", "integer", id="start-float"),
    pytest.param(span_rec(0, 5.0), "spans[0].end", "integer", id="end-float-5.0"),
    pytest.param(span_rec("0", 5), "spans[0].start", "integer", id="start-string"),
    pytest.param(span_rec(0, None), "spans[0].end", "null", id="end-null"),
    pytest.param(span_rec(6, 3), "spans[0]", "before start", id="end-before-start"),
    pytest.param(span_rec(3, 3), "spans[0]", "empty", id="empty-span"),
    pytest.param(span_rec(-1, 3), "spans[0].start", "negative", id="negative-start"),
    pytest.param(span_rec(10, 99), "spans[0].end", "out of range", id="end-out-of-range"),
    pytest.param(span_rec(0, 15), "spans[0].end", "out of range", id="end-one-past"),
    pytest.param(b'{"text": "abc", "spans": [5]}\n', "spans[0]", "must be an object", id="span-not-object"),
    pytest.param(b'{"text": "abc", "spans": {"start": 0}}\n', "spans", "must be a list", id="spans-not-list"),
    pytest.param(b'{"text": "abc", "spans": [{"end": 1, "label": "ORG"}]}\n', "spans[0].start", "missing",
                 id="span-missing-start"),
    pytest.param(b'{"text": "abc", "spans": [{"start": 0, "end": 1}]}\n', "spans[0].label", "missing",
                 id="span-missing-label"),
    pytest.param(span_rec(0, 5, 7), "spans[0].label", "must be a string", id="label-number"),
    pytest.param(span_rec(0, 5, " ORG"), "spans[0].label", "white space", id="label-leading-space"),
    pytest.param(span_rec(0, 5, "NOPE"), "spans[0].label", "unknown label", id="unknown-label"),
    pytest.param(b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "ORG", "text": "b"}]}\n',
                 "spans[0].text", "does not match", id="span-text-mismatch"),
    pytest.param(b'{"text": "Alice met Bob.", "spans": [{"start": 0, "end": 5, "label": "PERSON"},'
                 b' {"start": 3, "end": 9, "label": "ORG"}]}\n', "spans[1]", "overlaps", id="overlapping-entities"),
    pytest.param(b'{"text": "Alice met Bob.", "spans": [{"start": 0, "end": 5, "label": "PERSON"},'
                 b' {"start": 0, "end": 5, "label": "ORG"}]}\n', "spans", "overlaps", id="conflicting-labels"),
    pytest.param(b'{"text": "\\ud800 lone"}\n', "text", "lone surrogate U+D800", id="surrogate-text"),
    pytest.param(b'{"text": "lone \\udfff"}\n', "text", "lone surrogate U+DFFF", id="surrogate-low-text"),
    pytest.param(b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "P\\ud800"}]}\n', "spans[0].label",
                 "lone surrogate", id="surrogate-label"),
    pytest.param(b'{"text": "abc", "meta": {"source": "x\\udc00"}}\n', "meta.source", "lone surrogate",
                 id="surrogate-meta-value"),
    pytest.param(b'{"text": "abc", "meta": {"list": ["ok", "\\ud83d"]}}\n', "meta.list[1]", "lone surrogate",
                 id="surrogate-meta-list"),
    pytest.param(b'{"text": "abc", "meta": {"\\ud800": 1}}\n', "meta['\\ud800']", "lone surrogate",
                 id="surrogate-meta-key"),
    pytest.param(b'{"text": "abc", "title": "\\ud800"}\n', "title", "lone surrogate", id="surrogate-title"),
    pytest.param(b'{"text": "abc", "_input_hash": "\\ud800"}\n', "_input_hash", "lone surrogate",
                 id="surrogate-prodigy-key-value"),
    pytest.param(b'{"text": "abc", "_annotator_id": "\\ud800"}\n', "_annotator_id", "lone surrogate",
                 id="surrogate-annotator"),
    pytest.param(b'{"text": "abc", "\\ud800": 1}\n', "'\\ud800'", "lone surrogate", id="surrogate-top-key"),
    pytest.param(b'{"text": "abc", "meta": "x"}\n', "meta", "must be an object", id="meta-not-object"),
    pytest.param(b'{"text": "abc", "meta": {"title": 5}}\n', "meta.title", "must be a string",
                 id="meta-title-number"),
    pytest.param(b'{"text": "abc", "title": ["x"]}\n', "title", "must be a string", id="title-list"),
    pytest.param(b'{"text": "abc", "answer": "maybe"}\n', "answer", "accept, reject or ignore", id="bad-answer"),
    pytest.param(b'{"text": "abc", "answer": ["accept"]}\n', "answer", "accept, reject or ignore",
                 id="answer-list"),
    pytest.param(b'{"text": "abc", "tokens": "a b"}\n', "tokens", "must be a list", id="tokens-not-list"),
    pytest.param(b'{"text": "abc", "relations": {}}\n', "relations", "must be a list", id="relations-not-list"),
    pytest.param(b'{"text": "Alice met Bob.", "spans": [{"start": 0, "end": 5, "label": "PERSON"}],'
                 b' "relations": [{"label": "r", "head_span": {"start": 0, "end": 5},'
                 b' "child_span": {"start": 10, "end": 13}}]}\n',
                 "relations[0].child_span", "no span 10-13", id="relation-unknown-span"),
    pytest.param(b'{"text": "Alice met Bob.", "spans": [{"start": 1, "end": 5, "label": "PERSON"}],'
                 b' "relations": [{"label": "r", "head_span": {"start": true, "end": 5},'
                 b' "child_span": {"start": 1, "end": 5}}]}\n',
                 "relations[0].head_span.start", "integer", id="relation-offset-true"),
    pytest.param(b'{"text": "Alice met Bob.", "spans": [{"start": 1, "end": 5, "label": "PERSON"}],'
                 b' "relations": [{"label": "r", "head_span": {"start": [1], "end": 5},'
                 b' "child_span": {"start": 1, "end": 5}}]}\n',
                 "relations[0].head_span.start", "integer", id="relation-offset-list"),
    pytest.param(b'{"text": "abc", "meta": {"score": NaN}}\n', None, "NaN", id="nan"),
    pytest.param(b'{"text": "abc", "meta": {"score": -Infinity}}\n', None, "Infinity", id="infinity"),
    pytest.param(b'{"text": "abc", "meta": {"n": ' + b"9" * 5000 + b"}}\n", None, "invalid JSON",
                 id="int-over-digit-limit"),
    pytest.param(b'{"text": "abc", "meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", None,
                 "nested too deeply", id="deep-nesting"),
    pytest.param(b'{"text": "caf\xe9"}\n', None, "invalid UTF-8 at byte offset", id="latin-1-byte"),
    pytest.param(b'{"text": "\xed\xa0\x80"}\n', None, "invalid UTF-8", id="utf8-encoded-surrogate"),
    pytest.param(b'\xef\xbb\xbf{"text": "a BOM in the middle"}\n', None, "invalid JSON", id="bom-mid-file"),
]


@pytest.mark.parametrize(("bad", "field", "message"), BAD_RECORDS)
def test_importing_bad_record_refuses_whole_file(project, tmp_path, bad, field, message):
    path = write(tmp_path, "in.jsonl", TRICKY_FIRST + bad + GOOD_LAST)
    before = snapshot(project)

    report = import_paths(project, [path])

    assert snapshot(project) == before
    assert before[1] == ["ok"]
    (file,) = report.files
    assert file.refused and not report.ok
    assert file.invalid == 1
    (error,) = file.errors
    assert error.file == str(path)
    assert error.line == 2
    if field is None:
        assert error.field is None
    else:
        assert error.field is not None and field in error.field
    assert message in error.message
    assert str(error).startswith(f"{path}:2")
    str(error).encode("utf-8")  # every message is printable text, even for surrogate input


@pytest.mark.parametrize(("bad", "field", "message"), BAD_RECORDS)
def test_importing_skip_invalid_keeps_good_records(project, tmp_path, bad, field, message):
    path = write(tmp_path, "in.jsonl", TRICKY_FIRST + bad + GOOD_LAST)

    report = import_paths(project, [path], ImportOptions(skip_invalid=True))

    (file,) = report.files
    assert not file.refused
    assert file.added == 2 and file.invalid == 1
    assert [(p.line, p.is_error) for p in file.problems] == [(2, True)]
    assert message in file.problems[0].message
    assert texts(project)[1] == "A good last record."
    assert project.integrity_check() == ["ok"]


def test_importing_invalid_utf8_reports_line_and_exact_byte_offset(project, tmp_path):
    head = TRICKY_FIRST + b'{"text": "ok \xe2\x80\x94 dash"}\n'
    path = write(tmp_path, "in.jsonl", head + b'{"text": "bad \xff byte"}\n' + GOOD_LAST)
    before = snapshot(project)

    report = import_paths(project, [path])

    assert snapshot(project) == before
    (error,) = report.files[0].errors
    assert error.line == 3
    expected_offset = len(head) + len(b'{"text": "bad ')
    assert f"byte offset {expected_offset} " in error.message
    assert "ff" in error.message


def test_importing_nul_after_sniffed_head_refuses_that_line(project, tmp_path):
    filler = jsonl({"text": "x" * 9000})  # pushes the NUL past the first 8 KB
    head = TRICKY_FIRST + filler
    path = write(tmp_path, "in.jsonl", head + b'{"text": "a\x00b"}\n' + GOOD_LAST)

    report = import_paths(project, [path])

    assert report.files[0].refused
    (error,) = report.files[0].errors
    assert error.line == 3
    assert f"NUL byte at byte offset {len(head) + 11}" in error.message
    assert project.document_count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bin.jsonl", b'{"text": "a"}\n\x00\x01\x02', "binary"),
        ("bin.txt", b"PK\x03\x04\x00\x00", "binary"),
        ("bin.csv", b"text\n\x00", "binary"),
        ("utf16.txt", "hello".encode("utf-16"), "UTF-16"),
        ("utf16.jsonl", '{"text": "hello"}\n'.encode("utf-16"), "UTF-16"),
    ],
)
def test_importing_binary_file_is_refused(project, tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    before = snapshot(project)

    report = import_paths(project, [path])

    assert snapshot(project) == before
    assert report.files[0].refused
    assert message in report.files[0].errors[0].message


def test_importing_one_bad_file_leaves_other_files_imported(project, tmp_path):
    good = write(tmp_path, "a.jsonl", jsonl({"text": "one"}, {"text": "two"}))
    bad = write(tmp_path, "b.jsonl", jsonl({"text": "three"}) + b"{oops\n")
    also_good = write(tmp_path, "c.txt", b"four")

    report = import_paths(project, [good, bad, also_good])

    assert [f.refused for f in report.files] == [False, True, False]
    assert texts(project) == ["one", "two", "four"]
    assert report.summary().startswith("3 added")
    assert project.integrity_check() == ["ok"]


def test_importing_refused_file_after_flushed_batches_rolls_back(project, tmp_path):
    records = [{"text": f"doc {i}", "spans": [{"start": 0, "end": 3, "label": "ORG"}]} for i in range(25)]
    path = write(tmp_path, "in.jsonl", jsonl(*records) + b'{"text": 1}\n')
    before = snapshot(project)

    report = import_paths(project, [path], ImportOptions(batch_size=10))

    assert report.files[0].refused
    assert report.files[0].errors[0].line == 26
    assert snapshot(project) == before


def test_importing_refused_file_does_not_keep_added_labels(project, tmp_path):
    record = {"text": "Acme Corp", "spans": [{"start": 0, "end": 4, "label": "COMPANY"}]}
    path = write(tmp_path, "in.jsonl", jsonl(record) + b"[]\n")
    before = snapshot(project)

    report = import_paths(project, [path], ImportOptions(add_labels=True))

    assert report.files[0].refused
    assert snapshot(project) == before
    assert "COMPANY" not in project.label_ids()


def test_importing_problems_are_all_reported_not_only_the_first(project, tmp_path):
    path = write(tmp_path, "in.jsonl", b"{x\n" + jsonl({"text": "fine"}) + b"[]\n" + b'{"text": 3}\n')

    report = import_paths(project, [path])

    assert [p.line for p in report.files[0].errors] == [1, 3, 4]
    assert report.files[0].invalid == 3


# ------------------------------------------------------------------ exact text
EXACT_TEXTS = [
    pytest.param("line one\r\nline two\r\n", id="crlf"),
    pytest.param("old\rmac\rlines", id="lone-cr"),
    pytest.param("\ttabbed\t and trailing spaces   ", id="tabs-trailing"),
    pytest.param("  leading and trailing blank lines\n\n", id="surrounding-space"),
    pytest.param("cafe\u0301 and e\u0301cole (NFD)", id="nfd"),
    pytest.param("caf\u00e9 (NFC) next to cafe\u0301 (NFD)", id="nfc-and-nfd"),
    pytest.param("Earth 🌍, doctor 👩‍⚕️, flag 🇺🇦, CJK-B 𠀀", id="astral"),
    pytest.param("مرحبا بالعالم و שלום עולם", id="rtl"),
    pytest.param("zw\u200djoiner and non\u200cjoiner, \u200frlm", id="zero-width"),
    pytest.param("para\u2028graph\u2029sep\x85nel\x0bvt\x0cff", id="unicode-breaks"),
    pytest.param("<script>alert('x')</script> &amp; <b>bold</b>", id="html"),
    pytest.param("'); DROP TABLE documents;--", id="sql"),
    pytest.param("nul-free but \x01 control \x7f chars", id="controls"),
    pytest.param("\ufeffa second BOM inside is text", id="inner-bom"),
]


@pytest.mark.parametrize("text", EXACT_TEXTS)
@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_importing_jsonl_stores_text_exactly(project, tmp_path, text, ensure_ascii):
    path = write(tmp_path, "in.jsonl", b"\xef\xbb\xbf" + jsonl({"text": text}, ensure_ascii=ensure_ascii))

    report = import_paths(project, [path])

    assert report.ok and report.files[0].added == 1
    assert project.document(doc_ids(project)[0]).text == text


@pytest.mark.parametrize("text", EXACT_TEXTS)
def test_importing_plain_text_stores_text_exactly(project, tmp_path, text):
    path = write(tmp_path, "article.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))

    report = import_paths(project, [path])

    assert report.ok
    doc = project.document(doc_ids(project)[0])
    assert doc.text == text  # only the one leading BOM was dropped
    assert doc.title == (first_line_title(text) or "article") and doc.source == str(path)


@pytest.mark.parametrize("text", EXACT_TEXTS)
def test_importing_csv_stores_text_exactly(project, tmp_path, text):
    quoted = '"' + text.replace('"', '""') + '"'
    path = write(tmp_path, "in.csv", ("\ufefftext,id\r\n" + quoted + ",7\r\n").encode("utf-8"))

    report = import_paths(project, [path])

    assert report.ok, [str(p) for p in report.files[0].problems]
    doc = project.document(doc_ids(project)[0])
    assert doc.text == text
    assert doc.meta == {"id": "7"}


def test_importing_raw_line_separators_inside_json_strings_are_text(project, tmp_path):
    path = write(tmp_path, "in.jsonl", TRICKY_FIRST + b'\n{"text": "second\rrecord"}\r\n' + GOOD_LAST)

    report = import_paths(project, [path])

    assert report.ok
    assert texts(project) == [
        "First\u2028second\u2029third\x85fourth\x0bfifth\x0csixth\rseventh.",
        "second\rrecord",
        "A good last record.",
    ]


def test_importing_spans_after_astral_characters_keep_code_point_offsets(project, tmp_path):
    text = "🌍 👩‍⚕️ 🇺🇦 𠀀 e\u0301 Kyiv: Olena Zelenska met مرحبا at 'Acme'; DROP\r\nUN."
    wanted = [("Kyiv", "GPE"), ("Olena Zelenska", "PERSON"), ("مرحبا", "PERSON"), ("Acme", "ORG"), ("UN", "ORG")]
    spans = [{"start": text.index(s), "end": text.index(s) + len(s), "label": lab} for s, lab in wanted]
    spans.append({"start": 0, "end": text.index(" Kyiv"), "label": "CLAIM"})  # claims may overlap anything
    for ensure_ascii in (True, False):
        path = write(tmp_path, f"in{ensure_ascii}.jsonl",
                     jsonl({"text": text, "spans": spans}, ensure_ascii=ensure_ascii))
        assert import_paths(project, [path]).ok
    (doc_id,) = doc_ids(project)  # the second file was a duplicate with equal spans
    stored = project.document(doc_id).text
    assert stored == text
    got = [(s.start, s.end, s.label, s.text) for s in project.spans(doc_id)]
    assert len(got) == len(spans)
    for start, end, _label, surface in got:
        assert surface == stored[start:end]
    assert {(surface, label) for _, _, label, surface in got if label != "CLAIM"} == set(wanted)
    assert project.stale_spans(doc_id) == []


def test_importing_claim_spans_may_overlap_entities(project, tmp_path):
    path = write(tmp_path, "in.jsonl", jsonl({"text": "Alice said Bob lied.", "spans": [
        {"start": 0, "end": 5, "label": "PERSON"},
        {"start": 11, "end": 14, "label": "PERSON"},
        {"start": 11, "end": 19, "label": "CLAIM"},
        {"start": 0, "end": 19, "label": "CLAIM"},
    ]}))

    report = import_paths(project, [path])

    assert report.ok and report.files[0].spans == 4


def test_importing_overlapping_entities_allowed_by_scheme(tmp_path):
    scheme = Scheme(labels=(Label("PERSON"), Label("ORG"), Label("TOPIC", kind="doc")),
                    allow_overlapping_entities=True)
    with Project.create(tmp_path / "p.annotator", scheme) as project:
        overlap = {"text": "Bank of Alice", "spans": [{"start": 0, "end": 13, "label": "ORG"},
                                                      {"start": 8, "end": 13, "label": "PERSON"}]}
        # doccano's reader keeps both copies (Prodigy's imports an exact repeat once, with a
        # notice: merged binary data repeats spans), so the store's duplicate rule refuses it.
        duplicate = {"text": "Bob", "label": [[0, 3, "PERSON"]] * 2}
        doc_label = {"text": "Sport news", "spans": [{"start": 0, "end": 5, "label": "TOPIC"}]}
        ok = write(tmp_path, "ok.jsonl", jsonl(overlap))
        dup = write(tmp_path, "dup.jsonl", jsonl(duplicate))
        doc = write(tmp_path, "doc.jsonl", jsonl(doc_label))

        report = import_paths(project, [ok, dup, doc])

        assert [f.refused for f in report.files] == [False, True, True]
        assert "duplicate" in report.files[1].errors[0].message
        assert report.files[2].errors[0].field == "spans[0].label"
        assert "document label" in report.files[2].errors[0].message
        assert project.document_count() == 1


def test_importing_unknown_labels_added_with_add_labels(project, tmp_path):
    path = write(tmp_path, "in.jsonl", jsonl({"text": "<b>X</b> and Zed", "spans": [
        {"start": 0, "end": 8, "label": "<b>X</b>"}, {"start": 13, "end": 16, "label": "ALIEN"}]}))

    refused = import_paths(project, [path])
    added = import_paths(project, [path], ImportOptions(add_labels=True))

    assert refused.files[0].refused
    assert "'<b>X</b>', 'ALIEN'" in refused.files[0].errors[0].message
    assert added.ok and added.files[0].labels_added == ["<b>X</b>", "ALIEN"]
    labels = {lab.name: lab for lab in project.labels()}
    assert labels["<b>X</b>"].kind == "entity" and labels["ALIEN"].kind == "entity"
    assert labels["<b>X</b>"].color != labels["ALIEN"].color
    (doc_id,) = doc_ids(project)
    assert [(s.label, s.text) for s in project.spans(doc_id)] == [("<b>X</b>", "<b>X</b>"), ("ALIEN", "Zed")]


def test_importing_answers_set_status_and_span_state(project, tmp_path):
    span = [{"start": 0, "end": 5, "label": "PERSON"}]
    path = write(tmp_path, "in.jsonl", jsonl(
        {"text": "Alice accepted", "spans": span, "answer": "accept"},
        {"text": "Alice rejected", "spans": span, "answer": "reject"},
        {"text": "Alice ignored", "spans": span, "answer": "ignore"},
        {"text": "Alice unanswered", "spans": span},
    ))

    assert import_paths(project, [path]).ok

    got = [(project.document(i).status, [s.state for s in project.spans(i)]) for i in doc_ids(project)]
    assert got == [("done", ["accepted"]), ("skipped", ["rejected"]), ("skipped", ["suggested"]),
                   ("todo", ["accepted"])]


def test_importing_meta_title_and_prodigy_keys_are_kept(project, tmp_path):
    path = write(tmp_path, "in.jsonl", jsonl(
        {"text": "Body", "meta": {"title": "Headline", "url": "https://x"}, "_input_hash": -12,
         "_task_hash": 7, "_annotator_id": "ann-1", "answer": "accept",
         "tokens": [{"text": "Body", "start": 0, "end": 4, "id": 0, "ws": False}],
         "spans": [{"start": 0, "end": 4, "label": "ORG", "token_start": 0, "token_end": 0}]},
    ))

    assert import_paths(project, [path], ImportOptions(annotator="fallback")).ok

    (doc_id,) = doc_ids(project)
    doc = project.document(doc_id)
    assert doc.title == "Headline" and doc.source == str(path)
    assert doc.meta["url"] == "https://x"
    assert doc.meta["_prodigy"] == {"_input_hash": -12, "_task_hash": 7, "_annotator_id": "ann-1",
                                    "answer": "accept"}
    assert [s.annotator for s in project.spans(doc_id)] == ["ann-1"]


def test_importing_annotator_option_stamps_spans_without_one(project, tmp_path):
    path = write(tmp_path, "in.jsonl", jsonl({"text": "Bob", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}))

    assert import_paths(project, [path], ImportOptions(annotator="maria")).ok

    (doc_id,) = doc_ids(project)
    assert [(s.annotator, s.origin) for s in project.spans(doc_id)] == [("maria", "import")]


def test_importing_relations_are_stored(project, tmp_path):
    rel = {"text": "Alice met Bob", "spans": [{"start": 0, "end": 5, "label": "PERSON"},
                                             {"start": 10, "end": 13, "label": "PERSON"}],
           "relations": [{"label": "MET", "head_span": {"start": 0, "end": 5},
                          "child_span": {"start": 10, "end": 13}}]}
    path = write(tmp_path, "in.jsonl", jsonl(rel))

    assert import_paths(project, [path]).ok

    (row,) = project.db.query("SELECT label, head_span_id, child_span_id FROM relations")
    spans = {s.id: s.text for s in project.spans(doc_ids(project)[0])}
    assert (row["label"], spans[row["head_span_id"]], spans[row["child_span_id"]]) == ("MET", "Alice", "Bob")


# ------------------------------------------------------------ re-import, blanks
def test_importing_same_file_twice_adds_nothing(project, tmp_path):
    path = write(tmp_path, "in.jsonl", jsonl(
        {"text": "One", "spans": [{"start": 0, "end": 3, "label": "ORG"}]}, {"text": "Two"}))
    first = import_paths(project, [path])
    counts = project.row_counts()

    second = import_paths(project, [path])

    assert first.files[0].added == 2
    assert (second.files[0].added, second.files[0].duplicates, second.files[0].conflicts) == (0, 2, 0)
    assert second.files[0].problems == []
    assert project.row_counts() == counts


def test_importing_same_text_with_other_annotations_is_a_conflict_notice(project, tmp_path):
    a = write(tmp_path, "a.jsonl", jsonl({"text": "Paris Hilton", "spans": [{"start": 0, "end": 5, "label": "GPE"}]}))
    b = write(tmp_path, "b.jsonl", jsonl({"text": "x"}, {"text": "Paris Hilton", "spans": [
        {"start": 0, "end": 12, "label": "PERSON"}]}))
    import_paths(project, [a])
    (doc_id,) = doc_ids(project)

    report = import_paths(project, [b])

    file = report.files[0]
    assert report.ok and file.added == 1 and file.conflicts == 1
    (notice,) = file.problems
    assert (notice.severity, notice.line) == ("notice", 2)
    assert f"document #{doc_id}" in notice.message
    assert [(s.start, s.end, s.label) for s in project.spans(doc_id)] == [(0, 5, "GPE")]


def test_importing_same_text_twice_in_one_file_conflict_names_first_line(project, tmp_path):
    path = write(tmp_path, "in.jsonl", jsonl(
        {"text": "Same", "spans": [{"start": 0, "end": 4, "label": "ORG"}]},
        {"text": "Same", "spans": [{"start": 0, "end": 4, "label": "ORG"}]},
        {"text": "Same", "spans": [{"start": 0, "end": 4, "label": "GPE"}]},
    ))

    report = import_paths(project, [path])

    file = report.files[0]
    assert (file.added, file.duplicates, file.conflicts) == (1, 1, 1)
    assert [(p.line, "line 1" in p.message) for p in file.problems] == [(3, True)]


def test_importing_text_differing_only_in_normalisation_or_space_is_a_new_document(project, tmp_path):
    path = write(tmp_path, "in.jsonl", jsonl({"text": "caf\u00e9"}, {"text": "cafe\u0301"}, {"text": "caf\u00e9 "},
                                              {"text": "caf\u00e9\r\n"}, {"text": "caf\u00e9\n"}))

    report = import_paths(project, [path])

    assert report.files[0].added == 5 and report.files[0].duplicates == 0


def test_importing_blank_documents_are_skipped_with_line_numbers(project, tmp_path):
    path = write(tmp_path, "in.jsonl", jsonl({"text": "real"}, {"text": ""}) + b"\n\n"
                 + jsonl({"text": " \t\r\n\u2028\u3000"}, {"text": "also real"}))

    report = import_paths(project, [path])

    file = report.files[0]
    assert report.ok and file.added == 2 and file.blank == 2
    assert [(p.line, p.field, p.severity) for p in file.problems] == [(2, "text", "notice"), (5, "text", "notice")]


def test_importing_empty_files_give_notices(project, tmp_path):
    empty_jsonl = write(tmp_path, "e.jsonl", b"\n\n")
    empty_txt = write(tmp_path, "e.txt", b"\xef\xbb\xbf")

    report = import_paths(project, [empty_jsonl, empty_txt])

    assert report.ok and project.document_count() == 0
    assert "no documents" in report.files[0].problems[0].message
    assert (report.files[1].blank, report.files[1].problems[0].line) == (1, 1)


# ------------------------------------------------------------------- folders
def test_importing_folder_is_read_recursively_in_name_order(project, tmp_path):
    root = tmp_path / "corpus"
    write(root, "b.txt", b"second")
    write(root, "a/z.txt", b"first")
    write(root, "c/d/e.jsonl", jsonl({"text": "third"}))
    write(root, "c/notes.md", b"# not imported")
    write(root, "f.csv", b"text\nfourth\n")

    report = import_paths(project, [root])

    assert report.ok
    assert texts(project) == ["first", "second", "third", "fourth"]
    notices = [p for f in report.files for p in f.problems]
    assert len(notices) == 1 and notices[0].file.endswith("notes.md") and not notices[0].is_error
    assert all(f.guessed for f in report.files if f.path != "<arguments>")


def test_importing_unknown_suffix_file_needs_a_format(project, tmp_path):
    path = write(tmp_path, "article.md", b"# Title\nbody")

    refused = import_paths(project, [path])
    forced = import_paths(project, [path], ImportOptions(format="text"))

    assert not refused.ok and "--format" in refused.files[0].problems[0].message
    assert forced.ok and texts(project) == ["# Title\nbody"]


def test_importing_missing_path_is_an_error(project, tmp_path):
    report = import_paths(project, [tmp_path / "nope.jsonl"])

    assert not report.ok and "no such file" in report.files[0].problems[0].message


def test_importing_non_utf8_file_name_is_stored_readably(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / os.fsdecode(b"caf\xe9.txt")
    try:
        path.write_bytes(b"text")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses non-UTF-8 names")

    report = import_paths(project, [folder])

    assert report.ok, [str(p) for f in report.files for p in f.problems]
    doc = project.document(doc_ids(project)[0])
    assert doc.title == "caf\\xe9" and doc.source.endswith("caf\\xe9.txt")
    assert report.files[0].path.endswith("caf\\xe9.txt")


# --------------------------------------------------------- csv via workflow
def test_importing_csv_text_column_option_and_missing_column(project, tmp_path):
    path = write(tmp_path, "in.csv", b"id,body\n1,hello\n")

    refused = import_paths(project, [path])
    ok = import_paths(project, [path], ImportOptions(read=ReadOptions(text_column="body")))

    (error,) = refused.files[0].errors
    assert (error.line, error.field) == (1, "column 'text'")
    assert "'id', 'body'" in error.message
    assert ok.ok and project.document(doc_ids(project)[0]).meta == {"id": "1"}


def test_importing_csv_bad_row_refuses_file_with_line_after_multiline_cell(project, tmp_path):
    path = write(tmp_path, "in.tsv", b'text\tn\n"two\nlines\r\n"\t1\nok\t2\nbad\n')
    before = snapshot(project)

    report = import_paths(project, [path])
    after_refusal = snapshot(project)
    skipped = import_paths(project, [path], ImportOptions(skip_invalid=True))

    assert report.files[0].refused and report.files[0].errors[0].line == 6
    assert after_refusal == before
    assert texts(project) == ["two\nlines\r\n", "ok"]
    assert skipped.files[0].invalid == 1


# ---------------------------------------------------------- cancel, progress
def _numbered_files(folder: Path, count: int) -> list[Path]:
    return [write(folder, f"f{i}.jsonl", jsonl(*({"text": f"file {i} doc {j}"} for j in range(3))))
            for i in range(count)]


def test_importing_cancel_between_files_keeps_earlier_files(project, tmp_path):
    files = _numbered_files(tmp_path, 4)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2  # asked before each file: files 1 and 2 run, the 3rd is cancelled

    with pytest.raises(ImportCancelled) as caught:
        import_paths(project, files, cancelled=cancelled)

    assert project.document_count() == 6
    assert [f.added for f in caught.value.report.files] == [3, 3]
    assert not project.db.conn.in_transaction
    assert project.integrity_check() == ["ok"]


def test_importing_cancel_mid_file_rolls_back_that_file(project, tmp_path):
    first = write(tmp_path, "a.jsonl", jsonl({"text": "kept"}))
    big = write(tmp_path, "b.jsonl", jsonl(*({"text": f"doc {i}"} for i in range(1200))))
    calls = []
    progress = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) >= 3  # before a, before b, then at record 500 of b

    with pytest.raises(ImportCancelled) as caught:
        import_paths(project, [first, big], ImportOptions(batch_size=100),
                     progress=lambda *args: progress.append(args), cancelled=cancelled)

    assert texts(project) == ["kept"]
    report = caught.value.report
    assert [f.refused for f in report.files] == [False, True]
    assert "cancelled" in report.files[1].problems[-1].message
    assert progress == [(1, 2, str(first), 0)]
    assert not project.db.conn.in_transaction
    assert project.integrity_check() == ["ok"]
    # the project is usable afterwards, and the cancelled file imports in full
    assert import_paths(project, [big]).files[0].added == 1200


def test_importing_progress_reports_files_and_records(project, tmp_path):
    small = write(tmp_path, "a.jsonl", jsonl({"text": "a"}))
    big = write(tmp_path, "b.jsonl", jsonl(*({"text": f"doc {i}"} for i in range(1000))))
    progress = []

    import_paths(project, [small, big], progress=lambda *args: progress.append(args))

    assert progress == [(1, 2, str(small), 0), (1, 2, str(big), 500), (1, 2, str(big), 1000), (2, 2, str(big), 0)]
