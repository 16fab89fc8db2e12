"""The import workflow: atomic files, skip_invalid, idempotent re-import, exact storage, cancel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.model import Label, Scheme
from annotator.formats import ReadOptions
from annotator.store import Project
from annotator.workflows.importing import ImportCancelled, ImportOptions, import_paths


def _line(obj: object, ensure_ascii: bool = False) -> bytes:
    return (json.dumps(obj, ensure_ascii=ensure_ascii) + "\n").encode("utf-8")


def _write(directory: Path, name: str, content: bytes) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _docs(project: Project):
    return [project.document(s.id) for s in project.document_summaries(0, 10**6)]


def _span_tuples(project: Project, doc_id: int):
    return [(s.start, s.end, s.label, s.text, s.state) for s in project.spans(doc_id)]


def _assert_unchanged(project: Project, before: dict[str, int]) -> None:
    assert project.row_counts() == before
    assert project.integrity_check() == ["ok"]


GOOD = _line({"text": "Ann met Bob in Paris.", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]})
GOOD2 = _line({"text": "Second article."})


# --------------------------------------------------------------------------- basics
def test_importing_workflow_jsonl_spans_and_meta(project, tmp_path):
    path = _write(tmp_path, "a.jsonl", GOOD + _line({"text": "Other", "meta": {"k": "v"}, "answer": "accept"}))
    report = import_paths(project, [path])
    assert report.ok and report.total("added") == 2 and report.total("spans") == 1
    first, second = _docs(project)
    assert first.text == "Ann met Bob in Paris." and second.meta == {"k": "v", "_prodigy": {"answer": "accept"}}
    assert second.status == "done"
    assert _span_tuples(project, first.id) == [(0, 3, "PERSON", "Ann", "accepted")]
    assert project.integrity_check() == ["ok"]


@pytest.mark.parametrize("answer, state", [("reject", "rejected"), ("ignore", "suggested")])
def test_importing_workflow_reject_ignore_have_no_gold(project, tmp_path, answer, state):
    path = _write(tmp_path, "a.jsonl", _line({"text": "Ann met Bob.", "answer": answer,
                                              "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}))
    import_paths(project, [path])
    [doc] = _docs(project)
    assert doc.status == "skipped"
    assert [s.state for s in project.spans(doc.id)] == [state]


def test_importing_workflow_folder_is_recursive(project, tmp_path):
    root = tmp_path / "corpus"
    _write(root, "b.txt", b"Second")
    _write(root, "a.txt", b"First")
    _write(root, "deep/er/c.txt", b"Deep")
    _write(root, "notes.md", b"ignored")
    _write(root, "deep/d.jsonl", GOOD2)
    report = import_paths(project, [root])
    assert report.ok
    assert sorted(d.text for d in _docs(project)) == ["Deep", "First", "Second", "Second article."]
    notices = [p for f in report.files for p in f.problems if not p.is_error]
    assert any("notes.md" in p.file for p in notices)


def test_importing_workflow_txt_title_and_source(project, tmp_path):
    path = _write(tmp_path, "story.txt", b"Body")
    import_paths(project, [path])
    [doc] = _docs(project)
    assert doc.title == "story" and doc.source == str(path)


def test_importing_workflow_csv_meta(project, tmp_path):
    path = _write(tmp_path, "a.csv", b"id,body\n7,\"multi\nline\"\n8,next\n")
    report = import_paths(project, [path], ImportOptions(read=ReadOptions(text_column="body")))
    assert report.ok
    docs = _docs(project)
    assert [(d.text, d.meta) for d in docs] == [("multi\nline", {"id": "7"}), ("next", {"id": "8"})]


def test_importing_workflow_unknown_path_refused(project, tmp_path):
    before = project.row_counts()
    report = import_paths(project, [tmp_path / "missing.txt"])
    assert not report.ok
    _assert_unchanged(project, before)


def test_importing_workflow_unknown_suffix_needs_format(project, tmp_path):
    path = _write(tmp_path, "a.data", GOOD)
    report = import_paths(project, [path])
    assert not report.ok and "--format" in str(report.files[0].problems[0])
    report = import_paths(project, [path], ImportOptions(format="jsonl"))
    assert report.ok and project.document_count() == 1


# --------------------------------------------------------------- exact storage
EXACT = {
    "crlf": "one\r\ntwo\r\n",
    "lone-cr": "one\rtwo",
    "tabs-trailing": "\tTab  \n trailing   ",
    "nfd": "Cafe\u0301 cre\u0300me",
    "emoji": "Earth \U0001F30D!",
    "zwj": "\U0001F469\u200d\u2695\ufe0f nurse",
    "flag": "\U0001F1FA\U0001F1E6 flag",
    "cjk-ext-b": "\U00020000 ext B",
    "arabic": "\u0645\u0631\u062d\u0628\u0627",
    "hebrew": "\u05e9\u05dc\u05d5\u05dd",
    "zwnj": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "u2028": "a\u2028b\u2029c",
    "sql": "'); DROP TABLE documents;--",
    "html": "<script>alert(1)</script>&amp;",
}


@pytest.mark.parametrize("fmt", ["txt", "jsonl", "jsonl-ascii", "csv"])
@pytest.mark.parametrize("text", EXACT.values(), ids=EXACT.keys())
def test_importing_workflow_stores_text_exactly(project, tmp_path, text, fmt):
    if fmt == "txt":
        path = _write(tmp_path, "a.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif fmt == "csv":
        path = _write(tmp_path, "a.csv", b"\xef\xbb\xbftext\n\"" + text.replace('"', '""').encode("utf-8") + b"\"\n")
    else:
        path = _write(tmp_path, "a.jsonl", b"\xef\xbb\xbf" + _line({"text": text}, ensure_ascii=fmt.endswith("ascii")))
    report = import_paths(project, [path])
    assert report.ok, report.files[0].problems
    [doc] = _docs(project)
    assert doc.text == text
    # The store did not interpret anything: the tables are all still there.
    assert "documents" in project.row_counts()


SURFACES = [
    # text, [(surface, label)] in order
    ("\U0001F30D Ann met \U0001F469\u200d\u2695\ufe0f Bob in \U0001F1FA\U0001F1E6 Kyiv.",
     [("Ann", "PERSON"), ("Bob", "PERSON"), ("Kyiv", "GPE")]),
    ("\U00020000\U00020001 Cafe\u0301 Corp said on Monday", [("Cafe\u0301 Corp", "ORG"), ("Monday", "DATE")]),
    ("line\r\nOne\u2028Two\rThree", [("One", "ORG"), ("Two", "ORG"), ("Three", "ORG")]),
    ("\u05e9\u05dc\u05d5\u05dd Israel \u0645\u0631\u062d\u0628\u0627 Egypt", [("Israel", "GPE"), ("Egypt", "GPE")]),
]


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize("text, wanted", SURFACES)
def test_importing_workflow_offsets_after_astral_chars(project, tmp_path, text, wanted, ensure_ascii):
    spans, cursor = [], 0
    for surface, label in wanted:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        spans.append({"start": start, "end": cursor, "label": label, "text": surface})
    path = _write(tmp_path, "a.jsonl", _line({"text": text, "spans": spans}, ensure_ascii))
    assert import_paths(project, [path]).ok
    [doc] = _docs(project)
    stored = project.spans(doc.id)
    assert [s.text for s in stored] == [w[0] for w in wanted]
    assert all(doc.text[s.start:s.end] == s.text for s in stored)
    assert project.stale_spans(doc.id) == []


@pytest.mark.parametrize("suffix", ["txt", "jsonl"])
def test_importing_workflow_two_megabyte_article(project, tmp_path, suffix):
    text = "Nachricht \U0001F30D mit e\u0301.\r\n" * 100_000
    assert len(text) > 2_000_000
    if suffix == "txt":
        path = _write(tmp_path, "big.txt", text.encode("utf-8"))
    else:
        path = _write(tmp_path, "big.jsonl", _line({"text": text, "spans": [
            {"start": len(text) - 5, "end": len(text) - 3, "label": "ORG"}]}))
    report = import_paths(project, [path])
    assert report.ok and report.total("added") == 1
    [summary] = project.document_summaries(0, 10)
    assert project.document(summary.id).text == text


# ----------------------------------------------------------------- atomicity
def _bad_utf8_line3() -> bytes:
    return GOOD + GOOD2 + b'{"text": "caf\xff"}\n'


BAD_FILES = [
    # id, content, line, field substring, message substring
    ("invalid-json", GOOD + b"{oops\n", 2, None, "invalid JSON"),
    ("not-object", GOOD + b"[1, 2]\n", 2, None, "not a JSON object"),
    ("missing-text", GOOD + GOOD2 + b'{"title": "x"}\n', 3, "text", "missing"),
    ("text-not-string", GOOD + b'{"text": 12}\n', 2, "text", "string"),
    ("offset-true", GOOD + b'{"text": "abc", "spans": [{"start": true, "end": 2, "label": "ORG"}]}\n', 2,
     "spans[0].start", "boolean"),
    ("offset-float", GOOD + b'{"text": "abc", "spans": [{"start": 0, "end": 3.0, "label": "ORG"}]}\n', 2,
     "spans[0].end", "integer"),
    ("offset-string", GOOD + b'{"text": "abc", "spans": [{"start": "0", "end": 3, "label": "ORG"}]}\n', 2,
     "spans[0].start", "integer"),
    ("offset-null", GOOD + b'{"text": "abc", "spans": [{"start": 0, "end": null, "label": "ORG"}]}\n', 2,
     "spans[0].end", "null"),
    ("end-before-start", GOOD + b'{"text": "abc", "spans": [{"start": 2, "end": 1, "label": "ORG"}]}\n', 2,
     "spans[0]", "before start"),
    ("out-of-range", GOOD + b'{"text": "\xf0\x9f\x8c\x8dab", "spans": [{"start": 0, "end": 4, "label": "ORG"}]}\n',
     2, "spans[0].end", "out of range"),
    ("surrogate-text", GOOD + b'{"text": "x\\ud800"}\n', 2, "text", "lone surrogate"),
    ("surrogate-label", GOOD + b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "\\udc00"}]}\n', 2,
     "spans[0].label", "lone surrogate"),
    ("surrogate-meta", GOOD + b'{"text": "abc", "meta": {"a": ["\\ud800"]}}\n', 2, "meta.a[0]", "lone surrogate"),
    ("nul-escape", GOOD + b'{"text": "a\\u0000b"}\n', 2, "text", "NUL character"),
    ("float-overflow", GOOD + b'{"text": "abc", "meta": {"n": 1e400}}\n', 2, None, "too large"),
    ("invalid-utf8", _bad_utf8_line3(), 3, None, f"byte offset {len(GOOD + GOOD2) + 13}"),
    ("binary", GOOD + b'{"text": "a\x00"}\n', 2, None, "NUL"),
    ("overlap", GOOD + b'{"text": "Ann Lee", "spans": [{"start": 0, "end": 3, "label": "PERSON"},'
     b' {"start": 0, "end": 7, "label": "ORG"}]}\n', 2, "spans[1]", "overlaps"),
    ("unknown-label", GOOD + b'{"text": "Ann", "spans": [{"start": 0, "end": 3, "label": "HERO"}]}\n', 2,
     "spans[0].label", "unknown label"),
]


@pytest.mark.parametrize("content, line, fld, message", [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_importing_workflow_bad_record_refuses_whole_file(project, tmp_path, content, line, fld, message):
    import_paths(project, [_write(tmp_path, "seed.txt", b"Seed document")])
    before = project.row_counts()
    path = _write(tmp_path, "bad.jsonl", content)
    report = import_paths(project, [path])
    assert not report.ok
    [file_report] = report.files
    assert file_report.refused and file_report.path == str(path)
    error = file_report.errors[0]
    assert error.file == str(path) and error.line == line
    if fld is None:
        assert error.field is None
    else:
        assert error.field is not None and fld in error.field, error
    assert message.lower() in error.message.lower(), error
    _assert_unchanged(project, before)


RECORD_FAULTS = [c for c in BAD_FILES if c[0] != "binary"]  # a NUL in the head makes the whole file binary


@pytest.mark.parametrize("content, line, fld, message", [c[1:] for c in RECORD_FAULTS],
                         ids=[c[0] for c in RECORD_FAULTS])
def test_importing_workflow_skip_invalid_keeps_good_records(project, tmp_path, content, line, fld, message):
    path = _write(tmp_path, "bad.jsonl", content + GOOD2)
    report = import_paths(project, [path], ImportOptions(skip_invalid=True))
    [file_report] = report.files
    assert not file_report.refused
    assert file_report.invalid >= 1
    assert file_report.errors[0].line == line
    texts = [d.text for d in _docs(project)]
    assert "Ann met Bob in Paris." in texts and "Second article." in texts
    assert project.integrity_check() == ["ok"]


@pytest.mark.parametrize(
    "name, content, options",
    [
        ("bin.jsonl", GOOD + b'{"text": "a\x00"}\n', ImportOptions(skip_invalid=True)),
        ("utf16.jsonl", '{"text": "x"}\n'.encode("utf-16"), ImportOptions(skip_invalid=True)),
        ("bad.txt", b"fine\n\xff", ImportOptions(skip_invalid=True)),
        ("nocol.csv", b"body\nx\n", ImportOptions(skip_invalid=True)),
        ("late.csv", b"text\nok\n\"never closed\n", ImportOptions(skip_invalid=True)),
    ],
    ids=["binary", "utf16", "txt-utf8", "csv-no-column", "csv-unterminated"],
)
def test_importing_workflow_whole_file_fault_refused_even_with_skip_invalid(project, tmp_path, name, content, options):
    before = project.row_counts()
    report = import_paths(project, [_write(tmp_path, name, content)], options)
    assert not report.ok and report.files[0].refused and report.files[0].errors
    _assert_unchanged(project, before)


def test_importing_workflow_other_files_still_land(project, tmp_path):
    good = _write(tmp_path, "a.jsonl", GOOD)
    bad = _write(tmp_path, "b.jsonl", GOOD2 + b"{bad\n")
    good2 = _write(tmp_path, "c.txt", b"Third")
    report = import_paths(project, [good, bad, good2])
    assert [f.refused for f in report.files] == [False, True, False]
    assert sorted(d.text for d in _docs(project)) == ["Ann met Bob in Paris.", "Third"]
    assert "1 file(s) refused" in report.summary()


def test_importing_workflow_refused_file_adds_no_labels(project, tmp_path):
    before = project.row_counts()
    labels = [lab.name for lab in project.labels()]
    content = (_line({"text": "Ann", "spans": [{"start": 0, "end": 3, "label": "HERO"}]}) + b"{bad\n")
    report = import_paths(project, [_write(tmp_path, "a.jsonl", content)], ImportOptions(add_labels=True))
    assert not report.ok
    assert [lab.name for lab in project.labels()] == labels
    _assert_unchanged(project, before)


def test_importing_workflow_error_in_late_batch_rolls_back_earlier_batches(project, tmp_path):
    before = project.row_counts()
    content = b"".join(_line({"text": f"doc {i}"}) for i in range(25)) + b'{"text": null}\n'
    report = import_paths(project, [_write(tmp_path, "a.jsonl", content)], ImportOptions(batch_size=4))
    assert not report.ok and report.files[0].errors[0].line == 26
    _assert_unchanged(project, before)


def test_importing_workflow_reports_every_bad_record(project, tmp_path):
    content = GOOD + b"{x\n" + GOOD2 + b"[]\n" + b'{"text": 1}\n'
    report = import_paths(project, [_write(tmp_path, "a.jsonl", content)])
    assert [p.line for p in report.files[0].errors] == [2, 4, 5]
    assert report.files[0].invalid == 3


# ----------------------------------------------------------------- labels and overlap
def test_importing_workflow_add_labels(project, tmp_path):
    path = _write(tmp_path, "a.jsonl", _line({"text": "Ann the hero", "spans": [
        {"start": 0, "end": 3, "label": "HERO"}, {"start": 8, "end": 12, "label": "ROLE"}]}))
    report = import_paths(project, [path], ImportOptions(add_labels=True))
    assert report.ok and report.files[0].labels_added == ["HERO", "ROLE"]
    names = {lab.name: lab for lab in project.labels()}
    assert names["HERO"].kind == "entity"
    [doc] = _docs(project)
    assert [s.label for s in project.spans(doc.id)] == ["HERO", "ROLE"]


def test_importing_workflow_claim_may_overlap_entities(project, tmp_path):
    text = "Ann said Paris is big."
    path = _write(tmp_path, "a.jsonl", _line({"text": text, "spans": [
        {"start": 0, "end": 3, "label": "PERSON"}, {"start": 9, "end": 14, "label": "GPE"},
        {"start": 9, "end": 21, "label": "CLAIM"}]}))
    report = import_paths(project, [path])
    assert report.ok, report.files[0].problems
    [doc] = _docs(project)
    assert sorted(s.label for s in project.spans(doc.id)) == ["CLAIM", "GPE", "PERSON"]


def test_importing_workflow_overlap_with_added_label_refused(project, tmp_path):
    path = _write(tmp_path, "a.jsonl", _line({"text": "Ann Lee", "spans": [
        {"start": 0, "end": 3, "label": "PERSON"}, {"start": 0, "end": 7, "label": "NEWLABEL"}]}))
    before = project.row_counts()
    report = import_paths(project, [path], ImportOptions(add_labels=True))
    assert not report.ok and "overlaps" in report.files[0].errors[0].message
    _assert_unchanged(project, before)


def test_importing_workflow_document_label_on_span_refused(tmp_path):
    scheme = Scheme(labels=(Label("PERSON"), Label("TOPIC", kind="doc")))
    with Project.create(tmp_path / "p.annotator", scheme=scheme) as project:
        path = _write(tmp_path, "a.jsonl", _line({"text": "Ann", "spans": [{"start": 0, "end": 3, "label": "TOPIC"}]}))
        report = import_paths(project, [path])
        assert not report.ok and report.files[0].errors[0].field == "spans[0].label"


def test_importing_workflow_scheme_allowing_overlap(tmp_path):
    scheme = Scheme(labels=(Label("PERSON"), Label("ORG")), allow_overlapping_entities=True)
    with Project.create(tmp_path / "p.annotator", scheme=scheme) as project:
        path = _write(tmp_path, "a.jsonl", _line({"text": "Ann Lee Corp", "spans": [
            {"start": 0, "end": 7, "label": "PERSON"}, {"start": 0, "end": 12, "label": "ORG"}]}))
        assert import_paths(project, [path]).ok
        # doccano keeps both copies, so the store's duplicate rule refuses them; Prodigy's
        # reader imports an exact repeat once, with a notice (merged binary data repeats spans).
        dup = _write(tmp_path, "b.jsonl", _line({"text": "Bob", "label": [[0, 3, "PERSON"], [0, 3, "PERSON"]]}))
        report = import_paths(project, [dup])
        assert not report.ok and "duplicate" in report.files[0].errors[0].message
        repeat = _write(tmp_path, "c.jsonl", _line({"text": "Bob", "spans": [
            {"start": 0, "end": 3, "label": "PERSON"}, {"start": 0, "end": 3, "label": "PERSON"}]}))
        report = import_paths(project, [repeat])
        assert report.ok and report.total("added") == 1
        assert any("imported once" in p.message for p in report.files[0].problems)
        (doc,) = [d for d in _docs(project) if d.text == "Bob"]
        assert [(s.start, s.end, s.label) for s in project.spans(doc.id)] == [(0, 3, "PERSON")]


# ----------------------------------------------------------------- re-import and conflicts
@pytest.mark.parametrize("name, content", [("a.jsonl", GOOD + GOOD2), ("a.txt", b"Some article\r\n"),
                                           ("a.csv", b"text\nrow one\nrow two\n")])
def test_importing_workflow_reimport_adds_nothing(project, tmp_path, name, content):
    path = _write(tmp_path, name, content)
    first = import_paths(project, [path])
    before = project.row_counts()
    again = import_paths(project, [path])
    assert again.ok and again.total("added") == 0
    assert again.total("duplicates") == first.total("added")
    _assert_unchanged(project, before)


def test_importing_workflow_same_text_different_annotations_is_conflict(project, tmp_path):
    import_paths(project, [_write(tmp_path, "a.jsonl", GOOD)])
    before = project.row_counts()
    [doc] = _docs(project)
    changed = _line({"text": "Ann met Bob in Paris.", "spans": [{"start": 15, "end": 20, "label": "GPE"}]})
    report = import_paths(project, [_write(tmp_path, "b.jsonl", changed)])
    assert report.ok and report.total("conflicts") == 1 and report.total("added") == 0
    notice = report.files[0].problems[0]
    assert not notice.is_error and notice.line == 1 and "different annotations" in notice.message
    assert _span_tuples(project, doc.id) == [(0, 3, "PERSON", "Ann", "accepted")]
    _assert_unchanged(project, before)


def test_importing_workflow_conflict_within_one_file(project, tmp_path):
    other = _line({"text": "Ann met Bob in Paris.", "spans": [{"start": 8, "end": 11, "label": "PERSON"}]})
    report = import_paths(project, [_write(tmp_path, "a.jsonl", GOOD + GOOD2 + other + GOOD)])
    assert report.total("added") == 2 and report.total("conflicts") == 1 and report.total("duplicates") == 1
    [conflict] = [p for p in report.files[0].problems if "different annotations" in p.message]
    assert conflict.line == 3 and "line 1" in conflict.message


def test_importing_workflow_near_duplicates_are_distinct(project, tmp_path):
    texts = ["Caf\u00e9", "Cafe\u0301", "Caf\u00e9 ", "Caf\u00e9\r\n", "Caf\u00e9\n"]
    content = b"".join(_line({"text": t}) for t in texts)
    report = import_paths(project, [_write(tmp_path, "a.jsonl", content)])
    assert report.total("added") == len(texts)
    assert [d.text for d in _docs(project)] == texts


@pytest.mark.parametrize("blank", ["", " ", "\n\t \r\n", "\u3000", "\u2028"])
def test_importing_workflow_blank_documents_skipped_with_notice(project, tmp_path, blank):
    content = GOOD + _line({"text": blank}) + GOOD2
    report = import_paths(project, [_write(tmp_path, "a.jsonl", content)])
    assert report.ok and report.total("added") == 2 and report.total("blank") == 1
    [notice] = [p for p in report.files[0].problems]
    assert not notice.is_error and notice.line == 2 and notice.field == "text"


def test_importing_workflow_blank_text_file(project, tmp_path):
    report = import_paths(project, [_write(tmp_path, "empty.txt", b"  \r\n")])
    assert report.ok and project.document_count() == 0 and report.total("blank") == 1


def test_importing_workflow_empty_jsonl_notice(project, tmp_path):
    report = import_paths(project, [_write(tmp_path, "empty.jsonl", b"")])
    assert report.ok and project.document_count() == 0
    assert "no documents" in report.files[0].problems[0].message


def test_importing_workflow_annotator_stamped(project, tmp_path):
    content = GOOD + _line({"text": "Bob", "_annotator_id": "carol",
                            "spans": [{"start": 0, "end": 3, "label": "PERSON"}]})
    import_paths(project, [_write(tmp_path, "a.jsonl", content)], ImportOptions(annotator="dave"))
    first, second = _docs(project)
    assert [s.annotator for s in project.spans(first.id)] == ["dave"]
    assert [s.annotator for s in project.spans(second.id)] == ["carol"]
    assert all(s.origin == "import" for s in project.spans(first.id))


def test_importing_workflow_relations_stored(project, tmp_path):
    content = _line({"text": "Ann met Bob", "spans": [
        {"start": 0, "end": 3, "label": "PERSON"}, {"start": 8, "end": 11, "label": "PERSON"}],
        "relations": [{"head_span": {"start": 0, "end": 3}, "child_span": {"start": 8, "end": 11}, "label": "MET"}]})
    report = import_paths(project, [_write(tmp_path, "a.jsonl", content)])
    assert report.ok and project.row_counts()["relations"] == 1


# ----------------------------------------------------------------- cancel and progress
def test_importing_workflow_cancel_after_first_file(project, tmp_path):
    first = _write(tmp_path, "a.jsonl", GOOD)
    second = _write(tmp_path, "b.jsonl", GOOD2)
    calls: list[tuple] = []
    with pytest.raises(ImportCancelled) as caught:
        import_paths(project, [first, second], progress=lambda *a: calls.append(a), cancelled=lambda: bool(calls))
    report = caught.value.report
    assert [d.text for d in _docs(project)] == ["Ann met Bob in Paris."]
    assert [f.path for f in report.files] == [str(first)] and report.files[0].added == 1
    assert calls == [(1, 2, str(first), 0)]
    assert project.integrity_check() == ["ok"] and not project.db.conn.in_transaction


def test_importing_workflow_cancel_mid_file_rolls_back_current(project, tmp_path):
    first = _write(tmp_path, "a.jsonl", GOOD)
    second = _write(tmp_path, "b.jsonl", b"".join(_line({"text": f"doc {i}"}) for i in range(1200)))
    third = _write(tmp_path, "c.txt", b"never")
    calls: list[tuple] = []

    def cancelled() -> bool:  # flips once the second file has started reporting progress
        return any(c[2] == str(second) and c[3] > 0 for c in calls)

    with pytest.raises(ImportCancelled) as caught:
        import_paths(project, [first, second, third], ImportOptions(batch_size=100),
                     progress=lambda *a: calls.append(a), cancelled=cancelled)
    report = caught.value.report
    assert [d.text for d in _docs(project)] == ["Ann met Bob in Paris."]  # batches of file 2 rolled back
    assert report.files[0].added == 1 and not report.files[0].refused
    assert report.files[1].refused and "cancelled" in report.files[1].problems[-1].message
    assert len(report.files) == 2
    assert calls[0] == (1, 3, str(first), 0) and (1, 3, str(second), 500) in calls
    assert project.integrity_check() == ["ok"] and not project.db.conn.in_transaction
    assert import_paths(project, [second]).total("added") == 1200  # nothing half-stored blocks a retry


def test_importing_workflow_cancel_before_start(project, tmp_path):
    before = project.row_counts()
    with pytest.raises(ImportCancelled):
        import_paths(project, [_write(tmp_path, "a.jsonl", GOOD)], cancelled=lambda: True)
    _assert_unchanged(project, before)


def test_importing_workflow_progress_counts_records(project, tmp_path):
    path = _write(tmp_path, "a.jsonl", b"".join(_line({"text": f"doc {i}"}) for i in range(1001)))
    calls = []
    import_paths(project, [path], progress=lambda *a: calls.append(a))
    assert (0, 1, str(path), 500) in calls and (0, 1, str(path), 1000) in calls
    assert calls[-1] == (1, 1, str(path), 0)


def test_importing_workflow_problem_cap(project, tmp_path):
    content = b"{x\n" * 250
    report = import_paths(project, [_write(tmp_path, "a.jsonl", content)])
    file_report = report.files[0]
    assert len(file_report.problems) == 200 and file_report.problems_not_shown == 50
    assert file_report.invalid == 250


def test_importing_workflow_csv_bad_row_refuses_file(project, tmp_path):
    before = project.row_counts()
    path = _write(tmp_path, "a.csv", b'text,id\n"multi\nline",1\nshort\nok,3\n')
    report = import_paths(project, [path])
    [error] = report.files[0].errors
    assert report.files[0].refused and error.line == 4 and "1 columns, the header has 2" in error.message
    _assert_unchanged(project, before)
    report = import_paths(project, [path], ImportOptions(skip_invalid=True))
    assert report.ok and [d.text for d in _docs(project)] == ["multi\nline", "ok"]
    assert [d.meta for d in _docs(project)] == [{"id": "1"}, {"id": "3"}]


def test_importing_workflow_tsv_two_megabyte_cell(project, tmp_path):
    text = "Zelle mit \"Anführung\"\tund Tab\r\n" * 70_000
    assert len(text) > 2_000_000
    path = _write(tmp_path, "a.tsv", b"id\ttext\n1\t\"" + text.replace('"', '""').encode() + b"\"\n")
    assert import_paths(project, [path]).ok
    [doc] = _docs(project)
    assert doc.text == text and doc.meta == {"id": "1"}
