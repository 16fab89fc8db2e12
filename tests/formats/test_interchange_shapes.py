"""Every shape the peer tools write (issue 12): doccano 1.x, Label Studio's flat tasks,
several annotations, predictions and JSON-MIN, Prodigy's tokens; and no reader imports a
record as "no spans" when it carries annotations in a shape it does not read."""

from __future__ import annotations

import json

import pytest

from annotator.core.model import Label
from annotator.core.problems import InputError
from annotator.formats.label_map import parse_label_map
from annotator.formats.registry import ReadOptions
from annotator.workflows.exporting import ExportOptions, export_project
from annotator.workflows.importing import ImportOptions, import_paths


def _import(project, path, fmt="auto", add_labels=False, **read):
    return import_paths(project, [path], ImportOptions(format=fmt, read=ReadOptions(**read), add_labels=add_labels))


def _problems(report):
    return [p for f in report.files for p in f.problems]


def _write(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def _spans(project):
    return sorted((s.text, s.label, s.annotator or "") for s in project.spans(
        next(project.db.query("SELECT id FROM documents ORDER BY id DESC"))["id"]))


# ------------------------------------------------------------------ doccano 1.x
DOCCANO_1X = [
    {"id": 7, "text": "Mara Quell visited Tarn.", "annotations": [
        {"label": 12, "start_offset": 0, "end_offset": 10, "user": 1},
        {"label": 13, "start_offset": 19, "end_offset": 23, "user": 1},
        {"label": 12, "start_offset": 0, "end_offset": 10, "user": 2}], "meta": {}, "annotation_approver": None},
    {"id": 8, "text": "A fine day.", "annotations": [{"label": 15, "user": 1}], "meta": {}},
]


def test_interchange_shapes_doccano_1x_spans_by_user_and_label_id(project, tmp_path):
    path = _write(tmp_path, "d.jsonl", DOCCANO_1X)
    report = _import(project, path, add_labels=True)
    assert report.files[0].format == "doccano" and report.ok
    first, second = [r["id"] for r in project.db.query("SELECT id FROM documents ORDER BY id")]
    assert sorted((s.text, s.label, s.annotator) for s in project.spans(first)) == [
        ("Mara Quell", "12", "1"), ("Mara Quell", "12", "2"), ("Tarn", "13", "1")]
    assert project.doc_labels(second) == ["15"]  # a label without offsets: a document label


def test_interchange_shapes_doccano_label_map_names_the_ids(project, tmp_path):
    path = _write(tmp_path, "d.jsonl", DOCCANO_1X[:1])
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps([{"id": 12, "text": "PERSON", "prefix_key": None, "suffix_key": "p"},
                                  {"id": 13, "text": "GPE"}]), encoding="utf-8")
    report = _import(project, path, label_map=parse_label_map(str(labels)))
    assert report.ok, [str(p) for p in _problems(report)]
    assert _spans(project) == [("Mara Quell", "PERSON", "1"), ("Mara Quell", "PERSON", "2"), ("Tarn", "GPE", "1")]


@pytest.mark.parametrize("text, expected", [
    ("12=PERSON,13=GPE", (("12", "PERSON"), ("13", "GPE"))),
])
def test_interchange_shapes_label_map_inline_and_lines(tmp_path, text, expected):
    assert parse_label_map(text) == expected
    path = tmp_path / "map.txt"
    path.write_text("# doccano ids\n12\tPERSON\n13=GPE\n", encoding="utf-8")
    assert parse_label_map(str(path)) == expected
    (tmp_path / "bad.txt").write_text("12=PERSON\n13\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_label_map(str(tmp_path / "bad.txt"))
    assert caught.value.problems[0].line == 2


def test_interchange_shapes_doccano_seq2seq_refused_by_name(project, tmp_path):
    path = _write(tmp_path, "d.jsonl", [{"text": "Hi.", "annotations": [{"text": "Hallo.", "user": 1}]}])
    report = _import(project, path, fmt="doccano")
    (error,) = [p for p in _problems(report) if p.is_error]
    assert (error.line, error.field) == (1, "annotations[0]") and "sequence-to-sequence" in error.message


@pytest.mark.parametrize("fmt, record, field", [
    ("doccano", {"text": "Ann", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}, "spans"),
    ("doccano", {"text": "Ann", "predictions": [{"result": []}]}, "predictions"),
    ("prodigy", {"text": "Ann", "entities": [[0, 3, "PERSON"]]}, "entities"),
    ("prodigy", {"text": "Ann", "label": [[0, 3, "PERSON"]]}, "label"),
    ("prodigy", {"text": "Ann", "annotations": [{"label": 1, "start_offset": 0, "end_offset": 3}]}, "annotations"),
    ("labelstudio", {"text": "Ann", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}, "spans"),
])
def test_interchange_shapes_other_tools_annotations_never_import_silently(project, tmp_path, fmt, record, field):
    if fmt == "labelstudio":  # a flat task: Label Studio reads a JSON list
        (tmp_path / "a.json").write_text(json.dumps([record]), encoding="utf-8")
        report = _import(project, tmp_path / "a.json", fmt=fmt)
    else:
        report = _import(project, _write(tmp_path, "a.jsonl", [record]), fmt=fmt)
    (error,) = [p for p in _problems(report) if p.is_error]
    assert not report.ok and error.field == field and "does not read" in error.message


def test_interchange_shapes_prodigy_textcat_label_is_still_prodigys_own(project, tmp_path):
    # Not doccano's label list: Prodigy's binary classification, whose accepted label is the
    # document's (a document label, so the scheme must have it: --add-labels here).
    path = _write(tmp_path, "a.jsonl", [{"text": "Rain again.", "label": "WEATHER", "answer": "accept"}])
    assert _import(project, path, add_labels=True).ok
    assert project.doc_labels(next(project.db.query("SELECT id FROM documents"))["id"]) == ["WEATHER"]


# A pretty-printed JSON list given to doccano is doccano's JSON export, read as such
# (test_doccano_json_list.py); a pretty-printed single object is still not JSON Lines.
@pytest.mark.parametrize("fmt, whole", [("prodigy", "list"), ("doccano", "object")])
def test_interchange_shapes_pretty_printed_json_said_once(project, tmp_path, fmt, whole):
    path = tmp_path / "a.jsonl"
    records = [{"text": f"Doc {i}.", "label": []} for i in range(20)]
    path.write_text(json.dumps(records if whole == "list" else records[0], indent=2), encoding="utf-8")
    report = _import(project, path, fmt=fmt)
    problems = _problems(report)
    assert len(problems) == 1 and problems[0].line == 1
    assert "one JSON document spread over lines, not JSON Lines" in problems[0].message
    if whole == "list":
        assert "--format labelstudio" in problems[0].message and "--format doccano" in problems[0].message


# ------------------------------------------------------------------ Prodigy tokens
TOKENS = [{"text": "AL-AIN", "start": 0, "end": 6, "id": 0, "ws": True}, {"text": "won", "start": 7, "end": 10,
                                                                            "id": 1, "ws": False}]


def test_interchange_shapes_prodigy_tokens_kept_and_written_back(project, tmp_path):
    path = _write(tmp_path, "a.jsonl", [{"text": "AL-AIN won", "tokens": TOKENS, "answer": "accept", "spans": [
        {"start": 0, "end": 6, "label": "GPE", "token_start": 0, "token_end": 0}], "_session_id": "news-ann"}])
    assert _import(project, path).ok
    assert _spans(project) == [("AL-AIN", "GPE", "news-ann")]
    out = tmp_path / "out.jsonl"
    export_project(project, out, ExportOptions(format="prodigy", workers=0))
    task = json.loads(out.read_text(encoding="utf-8"))
    assert [(t["text"], t["start"], t["end"]) for t in task["tokens"]] == [("AL-AIN", 0, 6), ("won", 7, 10)]
    conll = tmp_path / "out.conll"
    export_project(project, conll, ExportOptions(format="conll", workers=0))
    assert conll.read_text(encoding="utf-8").splitlines()[2:4] == ["AL-AIN _ _ B-GPE", "won _ _ O"]


@pytest.mark.parametrize("span, tokens, words", [
    ({"start": 0, "end": 6, "label": "GPE", "token_start": 0, "token_end": 1}, TOKENS, "cover characters 0-10"),
    ({"start": 0, "end": 6, "label": "GPE", "token_start": 0, "token_end": 4}, TOKENS, "point past the task's 2"),
    ({"start": 0, "end": 6, "label": "GPE", "token_start": 0, "token_end": 0}, None, "point past the task's 0"),
    ({"start": 0, "end": 6, "label": "GPE", "token_start": "0", "token_end": 0}, TOKENS, "must be an integer"),
])
def test_interchange_shapes_prodigy_token_indices_must_agree(project, tmp_path, span, tokens, words):
    record = {"text": "AL-AIN won", "spans": [span], **({"tokens": tokens} if tokens else {})}
    report = _import(project, _write(tmp_path, "a.jsonl", [{"text": "ok"}, record]))
    (error,) = [p for p in _problems(report) if p.is_error]
    assert error.line == 2 and error.field.startswith("spans[0]") and "span 0-6 GPE" in error.message
    assert words in error.message


def test_interchange_shapes_prodigy_tokens_checked(project, tmp_path):
    bad = [{"text": "AL-AIN", "start": 0, "end": 6}, {"text": "wan", "start": 7, "end": 10}]
    report = _import(project, _write(tmp_path, "a.jsonl", [{"text": "AL-AIN won", "tokens": bad}]))
    (error,) = [p for p in _problems(report) if p.is_error]
    assert error.field == "tokens[1].text" and "does not match" in error.message


# ------------------------------------------------------------------ Label Studio
def test_interchange_shapes_labelstudio_flat_tasks(project, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"text": "One.", "source": "wire"}, {"text": "Two."}]), encoding="utf-8")
    report = _import(project, path)
    assert report.ok and report.total("added") == 2
    docs = [project.document(r["id"]) for r in project.db.query("SELECT id FROM documents ORDER BY id")]
    assert [(d.text, d.meta) for d in docs] == [("One.", {"source": "wire"}), ("Two.", {})]


def _region(rid, start, end, text, label, from_name="label"):
    return {"id": rid, "type": "labels", "from_name": from_name, "to_name": "text",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def test_interchange_shapes_labelstudio_controls_predictions_and_span_attributes_go_back(project, tmp_path):
    project.add_label(Label("POSITIVE", "doc"))
    text = "Ann met Bob."
    task = {"id": 41, "data": {"text": text},
            "annotations": [{"completed_by": 3, "result": [
                _region("a", 0, 3, "Ann", "PERSON", "ner"),
                {"id": "a", "type": "choices", "from_name": "Mention", "to_name": "text",
                 "value": {"start": 0, "end": 3, "text": "Ann", "choices": ["Name"]}},
                {"id": "a", "type": "textarea", "from_name": "note", "to_name": "text",
                 "value": {"start": 0, "end": 3, "text": ["checked"]}},
                {"id": "c", "type": "choices", "from_name": "sentiment", "to_name": "text",
                 "value": {"choices": ["POSITIVE"]}},
                {"id": "r", "type": "rating", "from_name": "quality", "value": {"rating": 4}}]}],
            "predictions": [{"model_version": "ner-v2", "score": 0.8, "result": [_region("p", 8, 11, "Bob", "PERSON",
                                                                                          "ner")]}]}
    path = tmp_path / "a.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    report = _import(project, path, add_labels=True)
    assert report.ok, [str(p) for p in _problems(report)]
    (notice,) = _problems(report)
    assert notice.severity == "notice" and "'rating'" in notice.message  # never dropped silently
    doc_id = next(project.db.query("SELECT id FROM documents"))["id"]
    spans = {s.text: s for s in project.spans(doc_id)}
    assert (spans["Bob"].state, spans["Bob"].origin, spans["Bob"].annotator) == ("suggested", "model:ner-v2", None)
    details = project.span_details(doc_id)[spans["Ann"].id]
    assert details.values == {"Mention": "Name"} and details.note == "checked"
    out = tmp_path / "out.json"
    export_project(project, out, ExportOptions(format="labelstudio", include=("done",), workers=0))
    (written,) = json.loads(out.read_text(encoding="utf-8"))
    (annotation,) = written["annotations"]
    assert annotation["completed_by"] == 3
    by_name = {(r.get("from_name"), r["type"]): r for r in annotation["result"]}
    assert by_name[("sentiment", "choices")]["value"] == {"choices": ["POSITIVE"]}  # its own control, not doc_labels
    assert by_name[("ner", "labels")]["value"]["labels"] == ["PERSON"]
    assert by_name[("Mention", "choices")]["value"]["choices"] == ["Name"]
    assert by_name[("note", "textarea")]["value"]["text"] == ["checked"]
    assert written["predictions"] == [{"model_version": "ner-v2", "result": [
        {"id": f"p{spans['Bob'].id}", "from_name": "ner", "to_name": "text", "type": "labels",
         "value": {"start": 8, "end": 11, "text": "Bob", "labels": ["PERSON"]}}]}]


@pytest.mark.parametrize("result, field, words", [
    ({"id": "a", "type": 5, "value": {}}, "annotations[0].result[0].type", "must be a string"),
    ({"id": "a", "type": "labels", "value": []}, "annotations[0].result[0].value", "must be an object"),
    ({"id": "a", "type": "choices", "value": {"choices": "POS"}}, "annotations[0].result[0].value.choices",
     "must be a list"),
    ({"id": "a", "type": "labels", "from_name": 3, "value": {}}, "annotations[0].result[0].from_name",
     "must be a string"),
    ({"id": "a", "type": "labels", "value": {"start": 0, "end": 3, "labels": "PERSON"}},
     "annotations[0].result[0].value.labels", "list"),
])
def test_interchange_shapes_labelstudio_field_types_checked(project, tmp_path, result, field, words):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"data": {"text": "Ann"}, "annotations": [{"result": [result]}]}]), encoding="utf-8")
    report = _import(project, path)
    (error,) = [p for p in _problems(report) if p.is_error]
    assert (error.line, error.field) == (1, field) and words in error.message


def test_interchange_shapes_labelstudio_json_min_one_layer_per_record(project, tmp_path):
    regions = [{"start": 0, "end": 3, "text": "Ann", "labels": ["PERSON"]}]
    records = [
        {"text": "Ann met Bob.", "id": 5, "label": regions, "annotator": 1, "annotation_id": 9,
         "created_at": "2024-01-30T02:40:43Z", "updated_at": "2024-01-30T02:40:43Z", "lead_time": 3.1},
        {"text": "Ann met Bob.", "id": 5, "label": [*regions, {"start": 8, "end": 11, "text": "Bob",
                                                              "labels": ["PERSON"]}],
         "annotator": "bea@example.org", "annotation_id": 10, "lead_time": 2.0},
        {"text": "Quiet day.", "id": 6, "topic": {"choices": ["A", "B"]}, "annotator": 1, "annotation_id": 11},
    ]
    path = tmp_path / "min.json"
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")
    report = _import(project, path, add_labels=True)
    assert report.ok and report.total("added") == 2, [str(p) for p in _problems(report)]
    first, second = [r["id"] for r in project.db.query("SELECT id FROM documents ORDER BY id")]
    assert sorted((s.text, s.annotator) for s in project.spans(first)) == [
        ("Ann", "1"), ("Ann", "bea@example.org"), ("Bob", "bea@example.org")]
    assert project.doc_labels(second) == ["A", "B"] and project.document(first).status == "done"


def test_interchange_shapes_csv_annotation_columns_said_to_stay_text(project, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('text,label,tags\n"Ann met Bob.","[[0, 3, ""PERSON""]]",politics\n', encoding="utf-8")
    report = _import(project, path)
    (notice,) = _problems(report)
    assert report.ok and (notice.line, notice.field, notice.severity) == (1, "column 'label'", "notice")
    assert project.document(next(project.db.query("SELECT id FROM documents"))["id"]).meta["label"] == '[[0, 3, "PERSON"]]'
