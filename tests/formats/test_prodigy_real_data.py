"""Prodigy's own exports (tests/formats/data/prodigy, README there): merged binary NER answers,
multi-annotator binary classification, a binary question in a custom choice view; and the
hostile shapes met beside them (a span's bad answer, a non-string annotator)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.formats import ReadOptions, reader_for
from annotator.formats.prodigy import parse_task
from annotator.workflows.exporting import ExportOptions, export_project
from annotator.workflows.importing import ImportOptions, import_paths

DATA = Path(__file__).parent / "data" / "prodigy"
TEXT = "Ann met Bob."


def _import(project, path, add_labels=True):
    return import_paths(project, [path], ImportOptions(format="prodigy", read=ReadOptions(), add_labels=add_labels))


def _problems(report):
    return [p for f in report.files for p in f.problems]


def _doc_ids(project):
    return [r["id"] for r in project.db.query("SELECT id FROM documents ORDER BY id")]


def test_prodigy_real_data_span_answer_sets_each_spans_state(project):
    # Line 711: the task says accept, but its second span (G3) was rejected.
    report = _import(project, DATA / "reddit_product_merged.jsonl")
    assert report.ok, _problems(report)
    first = _doc_ids(project)[0]
    assert sorted((s.text, s.state) for s in project.spans(first)) == [("G3", "rejected"), ("MacBook", "accepted")]


def test_prodigy_real_data_span_given_twice_imported_once_with_a_notice(project):
    # Line 848: "Reddit" PRODUCT twice (two model scores, both accepted). It refused the file.
    report = _import(project, DATA / "reddit_product_merged.jsonl")
    assert report.ok and len(_doc_ids(project)) == 2
    second = _doc_ids(project)[1]
    assert [(s.text, s.label, s.state) for s in project.spans(second)] == [("Reddit", "PRODUCT", "accepted")]
    notices = [p for p in _problems(report) if not p.is_error]
    assert [(p.line, p.field) for p in notices] == [(2, "spans[1]")] and "spans[0]" in notices[0].message


def test_prodigy_real_data_classification_answers_are_each_annotators_document_label(project):
    lines = [json.loads(line) for line in (DATA / "pydata_ams_2023_classification.jsonl").read_text("utf-8").splitlines()]
    who = {line["answer"]: line["_annotator_id"] for line in lines}
    report = _import(project, DATA / "pydata_ams_2023_classification.jsonl")
    assert report.ok, _problems(report)
    [doc] = _doc_ids(project)
    assert project.doc_labels(doc, who["accept"]) == ["new-dataset"]
    assert project.doc_labels(doc, who["reject"]) == [] and project.doc_labels(doc, who["ignore"]) == []
    statuses = project.statuses(doc)
    assert (statuses[who["accept"]], statuses[who["reject"]], statuses[who["ignore"]]) == ("done", "done", "skipped")


def test_prodigy_real_data_classification_label_needs_the_scheme(project):
    report = _import(project, DATA / "pydata_ams_2023_classification.jsonl", add_labels=False)
    assert not report.ok and "new-dataset" in str(_problems(report)[0]) and not _doc_ids(project)


def test_prodigy_real_data_binary_question_in_a_choice_view_without_options(project):
    report = _import(project, DATA / "docs_issues_choice_binary.jsonl")
    assert report.ok, _problems(report)
    accepted, rejected = _doc_ids(project)
    assert project.doc_labels(accepted) == ["DOCUMENTATION"] and project.doc_labels(rejected) == []


def test_prodigy_real_data_classification_round_trip(project, tmp_path):
    shutil.copy(DATA / "docs_issues_choice_binary.jsonl", tmp_path / "in.jsonl")
    assert _import(project, tmp_path / "in.jsonl").ok
    out = tmp_path / "out.jsonl"
    export_project(project, out, ExportOptions(format="prodigy", include=("done", "todo", "skipped"), tokens=False))
    tasks = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    # The accepted label is the document's (``accept``), not also a stale ``label`` that would
    # put it back after someone took it off; the rejected one keeps its question and answer.
    assert [(t.get("accept"), t.get("label"), t.get("answer")) for t in tasks] == [
        (["DOCUMENTATION"], None, "accept"), (None, "DOCUMENTATION", "reject")]
    records = list(reader_for("prodigy").read(out, ReadOptions()))
    assert [r.doc_labels for r in records] == [["DOCUMENTATION"], []]


@pytest.mark.parametrize("task", [
    {"text": TEXT, "label": "NEWS", "answer": "accept", "options": [{"id": "A", "text": "a"}], "accept": ["A"]},
    {"text": TEXT, "label": "NEWS", "answer": "accept", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]},
    {"text": TEXT, "label": "NEWS"},  # a question not answered yet
])
def test_prodigy_real_data_label_beside_options_spans_or_no_answer_stays_meta(task):
    record = parse_task("f.jsonl", 1, task)
    assert "NEWS" not in record.doc_labels and record.meta["_prodigy"]["label"] == "NEWS"


@pytest.mark.parametrize("task, field, words", [
    ({"text": TEXT, "answer": "accept", "spans": [{"start": 0, "end": 3, "label": "PERSON", "answer": "yes"}]},
     "spans[0].answer", "must be accept, reject or ignore"),
    ({"text": TEXT, "answer": "accept", "label": "", "_view_id": "classification"}, "label", "non-empty"),
    ({"text": TEXT, "answer": "accept", "_annotator_id": 7}, "_annotator_id", "must be a string"),
    ({"text": TEXT, "answer": "accept", "_session_id": ["s"]}, "_session_id", "must be a string"),
])
def test_prodigy_real_data_hostile_fields_named(task, field, words):
    problem = parse_task("f.jsonl", 4, task)
    assert (problem.line, problem.field) == (4, field) and words in problem.message


def test_prodigy_real_data_null_or_empty_annotator_is_nobody():
    record = parse_task("f.jsonl", 1, {"text": TEXT, "answer": "accept", "_annotator_id": "", "_session_id": None,
                                       "spans": [{"start": 0, "end": 3, "label": "PERSON"}]})
    assert record.spans[0].annotator is None and record.annotator_statuses == {}


def test_prodigy_real_data_repeated_span_with_relation_keeps_the_relation():
    span = {"start": 0, "end": 3, "label": "PERSON", "token_start": 0, "token_end": 0}
    other = {"start": 8, "end": 11, "label": "PERSON", "token_start": 2, "token_end": 2}
    tokens = [{"text": "Ann", "start": 0, "end": 3, "id": 0}, {"text": "met", "start": 4, "end": 7, "id": 1},
              {"text": "Bob", "start": 8, "end": 11, "id": 2}, {"text": ".", "start": 11, "end": 12, "id": 3}]
    notices: list = []
    record = parse_task("f.jsonl", 1, {"text": TEXT, "tokens": tokens, "spans": [span, other, span],
                                       "relations": [{"head": 0, "child": 2, "head_span": span, "child_span": other,
                                                      "label": "MEETS"}]}, notices=notices)
    assert [(s.start, s.field) for s in record.spans] == [(0, "spans[0]"), (8, "spans[1]")]
    assert [(r.head, r.child, r.label) for r in record.relations] == [(0, 1, "MEETS")]
    assert [n.field for n in notices] == ["spans[2]"]
