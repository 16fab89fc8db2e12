"""What each reader says about who did what: per-annotator statuses (Prodigy answers, Label
Studio annotations and cancellations, JSON-MIN, doccano's approver) and whose document labels
are whose; doccano 1.x users and per-user files land as layers."""

from __future__ import annotations

import importlib
import json

import pytest

from annotator.core.records import DocumentRecord, SpanRecord, give_statuses
from annotator.workflows.importing import ImportOptions, import_paths

doccano, labelstudio_read, prodigy = (importlib.import_module(f"annotator.formats.{name}")
                                      for name in ("doccano", "labelstudio_read", "prodigy"))

TEXT = "Mara Lind visited Oslo."


@pytest.mark.parametrize("answer, status", [("accept", "done"), ("reject", "done"), ("ignore", "skipped")])
def test_annotator_statuses_prodigy_answer_is_the_annotators_status(answer, status):
    record = prodigy.parse_task("f.jsonl", 3, {"text": TEXT, "answer": answer, "accept": ["NEWS"],
                                               "_annotator_id": "ds-alice", "_session_id": "ds-alice"})
    assert isinstance(record, DocumentRecord)
    assert record.annotator_statuses == {"ds-alice": status}
    assert record.doc_label_annotators == {"NEWS": ["ds-alice"]}  # a choice in her session is hers


def test_annotator_statuses_prodigy_session_names_the_annotator_when_no_annotator_id():
    record = prodigy.parse_task("f.jsonl", 1, {"text": TEXT, "answer": "ignore", "_session_id": "2024-02-06_10-17-19",
                                               "spans": [{"start": 0, "end": 4, "label": "PERSON"}]})
    assert record.annotator_statuses == {"2024-02-06_10-17-19": "skipped"}
    assert record.spans[0].annotator == "2024-02-06_10-17-19"


def test_annotator_statuses_prodigy_without_annotator_or_answer_names_nobody():
    assert prodigy.parse_task("f.jsonl", 1, {"text": TEXT, "answer": "accept"}).annotator_statuses == {}
    assert prodigy.parse_task("f.jsonl", 1, {"text": TEXT, "_annotator_id": "a"}).annotator_statuses == {}


def _ls(annotations):
    [record] = labelstudio_read.parse_task("t.json", 1, {"data": {"text": TEXT}, "annotations": annotations}, False)
    return record


def _region(start, end, label):
    return {"id": f"r{start}", "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}}


def test_annotator_statuses_label_studio_submitted_done_cancelled_skipped():
    record = _ls([
        {"id": 1, "completed_by": {"id": 3, "email": "alice@example.org", "first_name": "A"}, "result": [
            _region(0, 9, "PERSON")]},
        {"id": 2, "completed_by": 4, "was_cancelled": True, "result": []},
        {"id": 3, "completed_by": 5, "result": []},  # submitted with nothing to tag: done all the same
    ])
    assert record.annotator_statuses == {"alice@example.org": "done", "4": "skipped", "5": "done"}
    assert record.status == "done"


def test_annotator_statuses_label_studio_cancel_then_submit_is_done_either_order():
    cancelled = {"id": 1, "completed_by": 4, "was_cancelled": True, "result": []}
    submitted = {"id": 2, "completed_by": 4, "result": [_region(18, 22, "GPE")]}
    assert _ls([cancelled, submitted]).annotator_statuses == {"4": "done"}
    assert _ls([submitted, cancelled]).annotator_statuses == {"4": "done"}


def test_annotator_statuses_label_studio_all_cancelled_and_predictions():
    record = _ls([{"id": 1, "completed_by": 4, "was_cancelled": True}])
    assert record.status == "skipped" and record.annotator_statuses == {"4": "skipped"}
    [record] = labelstudio_read.parse_task("t.json", 1, {"data": {"text": TEXT}, "predictions": [
        {"model_version": "v1", "result": [_region(0, 9, "PERSON")]}]}, False)
    assert record.annotator_statuses == {}  # a model's prediction is nobody's work


def test_annotator_statuses_label_studio_json_min_lists_submitted_annotations():
    group = [(1, {"id": 5, "text": TEXT, "annotator": "alice@example.org", "annotation_id": 8,
                  "label": [{"start": 0, "end": 9, "text": "Mara Lind", "labels": ["PERSON"]}]}),
             (2, {"id": 5, "text": TEXT, "annotator": "bob@example.org", "annotation_id": 9, "label": []})]
    [record] = labelstudio_read.parse_min("m.json", group, False)
    assert record.annotator_statuses == {"alice@example.org": "done", "bob@example.org": "done"}


@pytest.mark.parametrize("approver, status", [("carol", "done"), (None, "todo"), ("", "todo"), (True, "todo")])
def test_annotator_statuses_doccano_approver_is_the_records_status(approver, status):
    record = doccano.parse_record("d.jsonl", 1, {"text": TEXT, "annotation_approver": approver, "annotations": [
        {"label": 1, "start_offset": 0, "end_offset": 9, "user": 1},
        {"label": 1, "start_offset": 0, "end_offset": 4, "user": 2}]}, False)
    assert record.status == status
    give_statuses(record, None)
    assert record.annotator_statuses == {"1": status, "2": status}  # doccano keeps no status per user


def test_annotator_statuses_give_statuses_names_the_imports_own_annotator():
    record = DocumentRecord(text=TEXT, line=1, status="done", spans=[SpanRecord(0, 9, "PERSON")])
    give_statuses(record, "dave")
    assert record.annotator_statuses == {"dave": "done"}
    named = DocumentRecord(text=TEXT, line=1, status="done", spans=[SpanRecord(0, 9, "PERSON", annotator="erin")],
                           annotator_statuses={"erin": "skipped"})
    give_statuses(named, "dave")  # dave made nothing here: the file is erin's
    assert named.annotator_statuses == {"erin": "skipped"}
    suggestion = DocumentRecord(text=TEXT, line=1, spans=[SpanRecord(0, 9, "PERSON", state="suggested").placed(origin="model:x")])
    give_statuses(suggestion, None)
    assert suggestion.annotator_statuses == {}


def _lines(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_annotator_statuses_doccano_per_user_files_become_layers(project, tmp_path):
    """Today's doccano exports a zip with one USER.jsonl per member (no user field in it):
    imported with --annotator USER each, they are that user's layers of the same documents."""
    alice = _lines(tmp_path / "alice.jsonl", [{"id": 1, "text": TEXT, "label": [[0, 9, "PERSON"], [18, 22, "GPE"]]},
                                              {"id": 2, "text": "A second text.", "label": []}])
    bob = _lines(tmp_path / "bob.jsonl", [{"id": 1, "text": TEXT, "label": [[0, 4, "PERSON"]]},
                                          {"id": 2, "text": "A second text.", "label": []}])
    for path, who in ((alice, "alice"), (bob, "bob")):
        report = import_paths(project, [path], ImportOptions(format="doccano", annotator=who))
        assert report.ok, [str(p) for f in report.files for p in f.problems]
    assert project.row_counts()["documents"] == 2
    doc_id = next(project.db.query("SELECT id FROM documents WHERE text = ?", [TEXT]))["id"]
    assert sorted((s.annotator, s.start, s.end) for s in project.spans(doc_id)) == [
        ("alice", 0, 9), ("alice", 18, 22), ("bob", 0, 4)]
    assert import_paths(project, [bob], ImportOptions(format="doccano", annotator="bob")).total("duplicates") == 2
