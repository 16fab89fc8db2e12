"""Defects found by importing real doccano / Label Studio files and hostile variants of them:
each test fails without its fix."""

from __future__ import annotations

import json

from annotator.workflows.export_common import ExportOptions
from annotator.workflows.exporting import export_project
from annotator.workflows.importing import ImportOptions, import_paths


def _task(text: str, *annotations: dict) -> dict:
    return {"data": {"text": text}, "annotations": list(annotations)}


def _texts(project) -> list[str]:
    return [r["text"] for r in project.db.query("SELECT text FROM documents ORDER BY id")]


def test_labelstudio_tasks_one_per_line_all_read(project, tmp_path):
    # A .json file holding tasks as JSON Lines: only the first used to be read, the rest dropped.
    path = tmp_path / "tasks.json"
    path.write_text("\n".join(json.dumps(_task(t)) for t in ("Ann met Bob.", "Cy met Di.", "Ed met Flo.")) + "\n",
                    encoding="utf-8")
    report = import_paths(project, [path], ImportOptions(format="labelstudio"))
    assert report.ok, report.files[0].problems
    assert _texts(project) == ["Ann met Bob.", "Cy met Di.", "Ed met Flo."]


def test_labelstudio_content_after_the_tasks_refused(project, tmp_path):
    # A second list (two exports pasted together) used to be ignored silently.
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([_task("Ann met Bob.")]) + "\n" + json.dumps([_task("Cy met Di.")]) + "\n",
                    encoding="utf-8")
    before = project.row_counts()
    report = import_paths(project, [path], ImportOptions(format="labelstudio"))
    (problem,) = [p for f in report.files for p in f.problems]
    assert not report.ok and project.row_counts() == before
    assert problem.line == 2 and "after the end of the tasks" in problem.message


def _region(kind: str, value: dict, **extra) -> dict:
    return {"id": extra.pop("id", "x"), "type": kind, "from_name": "f", "to_name": "t", "value": value, **extra}


def test_labelstudio_time_and_paragraph_regions_not_read_as_text(project, tmp_path):
    # timeserieslabels' start/end are times and paragraphlabels' paragraph indices: they used
    # to land as PERSON spans on arbitrary characters (or fail as "offset must be an integer").
    text = "Ann met Bob in Oslo."
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([_task(text, {"result": [
        _region("labels", {"start": 0, "end": 3, "text": "Ann", "labels": ["PERSON"]}, id="a"),
        _region("timeserieslabels", {"start": 1, "end": 3, "instant": False, "timeserieslabels": ["PERSON"]}),
        _region("paragraphlabels", {"start": "0", "end": "0", "startOffset": 0, "endOffset": 3, "text": "Ann",
                                    "paragraphlabels": ["PERSON"]}, id="p"),
    ]})]), encoding="utf-8")
    report = import_paths(project, [path], ImportOptions(format="labelstudio"))
    assert report.ok, report.files[0].problems
    notices = [p.message for f in report.files for p in f.problems]
    assert any("'timeserieslabels'" in m for m in notices) and any("'paragraphlabels'" in m for m in notices)
    doc_id = next(project.db.query("SELECT id FROM documents"))["id"]
    assert [(s.start, s.end, s.label) for s in project.spans(doc_id)] == [(0, 3, "PERSON")]


def test_labelstudio_hypertext_region_named_as_such(project, tmp_path):
    # Label Studio writes an xpath as start beside startOffset; the refusal only looked for a
    # missing start, so the message spoke of labels or integers instead of HyperText.
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([_task("Ann met Bob.", {"result": [_region(
        "hypertextlabels", {"start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]", "startOffset": 0, "endOffset": 3,
                            "text": "Ann", "hypertextlabels": ["PERSON"]})]})]), encoding="utf-8")
    report = import_paths(project, [path], ImportOptions(format="labelstudio"))
    (problem,) = [p for f in report.files for p in f.problems]
    assert not report.ok and problem.field == "annotations[0].result[0]" and "HyperText" in problem.message


def test_doccano_guessed_after_blank_first_lines(project, tmp_path):
    # The content guess looked at the first line only, so a blank one made it Prodigy.
    path = tmp_path / "data.jsonl"
    path.write_text("\n\n" + json.dumps({"text": "Ann met Bob.", "label": [[0, 3, "PERSON"]]}) + "\n", encoding="utf-8")
    report = import_paths(project, [path], ImportOptions())
    assert report.ok, report.files[0].problems
    doc_id = next(project.db.query("SELECT id FROM documents"))["id"]
    assert [(s.start, s.end, s.label) for s in project.spans(doc_id)] == [(0, 3, "PERSON")]


def test_labelstudio_export_same_document_label_of_two_annotators_once(project, tmp_path):
    # Label Studio's own test data: two annotations choosing the same class. Exporting every
    # layer wrote "choices": ["class_A", "class_A"].
    choice = {"type": "choices", "from_name": "text_class", "to_name": "text", "value": {"choices": ["class_A"]}}
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([_task("x2 is short.", {"completed_by": 1, "result": [choice]},
                                      {"completed_by": 2, "result": [choice]})]), encoding="utf-8")
    assert import_paths(project, [path], ImportOptions(format="labelstudio", add_labels=True)).ok
    out = tmp_path / "out.json"
    export_project(project, out, ExportOptions(format="labelstudio", include=("done", "todo", "skipped")))
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    chosen = [r["value"]["choices"] for a in task["annotations"] for r in a["result"] if r["type"] == "choices"]
    assert chosen == [["class_A"]]
