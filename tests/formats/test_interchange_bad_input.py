"""Bad input in every importer: each problem names file, line and field; a refused file leaves
the project unchanged."""

from __future__ import annotations

import json

import pytest

from annotator.formats.registry import ReadOptions
from annotator.workflows.importing import ImportOptions, import_paths

GOOD_DOCCANO = json.dumps({"text": "Ann met Bob.", "label": [[0, 3, "PERSON"]]})
GOOD_LS_TASK = {"data": {"text": "Ann met Bob."}, "annotations": [{"result": [
    {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
     "value": {"start": 0, "end": 3, "text": "Ann", "labels": ["PERSON"]}}]}]}


def _ls(*tasks) -> str:
    return "[\n" + ",\n".join(json.dumps(t) for t in tasks) + "\n]\n"


CASES = [
    # (name, files {name: text}, format, (line, field, words in the message))
    ("doccano offset past the end", {"a.jsonl": GOOD_DOCCANO + "\n" + json.dumps(
        {"text": "Zoë 🌍", "label": [[0, 6, "PERSON"]]}) + "\n"}, "doccano", (2, "label[0].end", "--offsets utf16")),
    ("doccano bad triple", {"a.jsonl": json.dumps({"text": "Ann", "label": [[0, 3]]}) + "\n"}, "doccano",
     (1, "label[0]", "[start, end, label]")),
    ("doccano relation to a missing entity", {"a.jsonl": json.dumps({"text": "Ann met Bob", "entities": [
        {"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 3}], "relations": [
        {"id": 1, "from_id": 1, "to_id": 9, "type": "MET"}]}) + "\n"}, "doccano", (1, "relations[0].to_id", "no entity")),
    ("doccano float offset", {"a.jsonl": json.dumps({"text": "Ann", "label": [[0, 2.0, "PERSON"]]}) + "\n"},
     "doccano", (1, "label[0].end", "integer")),
    ("labelstudio text mismatch", {"a.json": _ls(GOOD_LS_TASK, {"data": {"text": "Zoë 🌍 Ann"}, "annotations": [
        {"result": [{"id": "b", "type": "labels", "value": {"start": 7, "end": 10, "text": "Ann",
                                                              "labels": ["PERSON"]}}]}]})},
     "labelstudio", (3, "annotations[0].result[0].value.end", "out of range")),
    ("labelstudio mismatch names UTF-16", {"a.json": _ls({"data": {"text": "🌍 Ann met"}, "annotations": [
        {"result": [{"id": "b", "type": "labels", "value": {"start": 3, "end": 6, "text": "Ann",
                                                              "labels": ["PERSON"]}}]}]})},
     "labelstudio", (2, "annotations[0].result[0].value.text", "UTF-16")),
    ("labelstudio not a list", {"a.json": '"text"'}, "labelstudio", (1, None, "JSON list of tasks")),
    ("labelstudio broken JSON", {"a.json": "[\n" + json.dumps(GOOD_LS_TASK) + ",\n{\"data\": }\n]"}, "labelstudio",
     (3, None, "invalid JSON")),
    ("labelstudio relation to nothing", {"a.json": _ls({"data": {"text": "Ann"}, "annotations": [{"result": [
        {"from_id": "x", "to_id": "y", "type": "relation", "labels": ["R"]}]}]})}, "labelstudio",
     (2, "annotations[0].result[0].from_id", "no labels region")),
    ("brat text mismatch", {"d.txt": "Ann met Bob.", "d.ann": "T1\tPERSON 0 3\tAnn\nT2\tPERSON 8 11\tBen\n"},
     "auto", (2, "T2.text", "does not match")),
    ("brat overlapping fragments", {"d.txt": "Ann met Bob.", "d.ann": "T1\tPERSON 0 3;1 5\tAnn nn m\n"}, "auto",
     (1, "T1", "overlap")),
    ("brat relation to a missing span", {"d.txt": "Ann met Bob.", "d.ann": "T1\tPERSON 0 3\tAnn\n"
                                         "R1\tMET Arg1:T1 Arg2:T7\n"}, "auto", (2, "R1", "T7")),
    ("brat bad offsets", {"d.txt": "Ann", "d.ann": "T1\tPERSON 0 x\tAnn\n"}, "auto", (1, "T1", "START END")),
    ("brat missing txt", {"e.ann": "T1\tPERSON 0 3\tAnn\n"}, "auto", (None, None, "e.txt")),
    ("conll bad tag", {"a.conll": "-DOCSTART- -X- -X- O\n\nAnn B-PER\nmet X-PER\n"}, "auto", (4, "tag", "O, B-TYPE")),
    ("conll missing tag", {"a.conll": "Ann B-PER\nmet\n"}, "conll", (2, "tag", "token and its tag")),
    ("spacy not a docbin", {"a.spacy": "not a docbin"}, "auto", (None, None, "not a spaCy DocBin")),
    ("prodigy stated claim on an entity", {"a.jsonl": json.dumps({"text": "Ann said it.", "spans": [
        {"start": 0, "end": 3, "label": "PERSON"}], "meta": {"annotator": {"claims": [
            {"start": 0, "end": 3, "label": "PERSON", "attributes": {}}]}}}) + "\n"}, "auto",
     (1, "meta.annotator.claims[0]", "not a claim label")),
    ("prodigy bad attribute value", {"a.jsonl": json.dumps({"text": "Ann said it.", "spans": [
        {"start": 9, "end": 11, "label": "CLAIM"}], "meta": {"annotator": {"claims": [
            {"start": 9, "end": 11, "label": "CLAIM", "attributes": {"stance": "shouts"}}]}}}) + "\n"}, "auto",
     (1, "meta.annotator.claims[0].stance", "not one of")),
    ("brat unknown attribute", {"d.txt": "Ann said it.", "d.ann": "T1\tCLAIM 9 11\tit\nA1\tmood T1 angry\n"},
     "auto", (2, "A1", "unknown claim attribute 'mood'")),
    ("doccano unknown document label", {"a.jsonl": json.dumps({"text": "Ann", "cats": ["SPORT"]}) + "\n"}, "doccano",
     (1, "doc_labels", "--add-labels")),
]


@pytest.mark.parametrize("name, files, fmt, expected", CASES, ids=[c[0] for c in CASES])
def test_interchange_bad_input_named_and_refused(project, tmp_path, name, files, fmt, expected):
    for file_name, content in files.items():
        (tmp_path / file_name).write_bytes(content.encode("utf-8"))
    target = next(tmp_path / n for n in files if not n.endswith(".txt"))
    before = project.row_counts()
    report = import_paths(project, [target], ImportOptions(format=fmt))
    assert not report.ok and project.row_counts() == before
    errors = [p for f in report.files for p in f.problems if p.is_error]
    line, field, words = expected
    first = errors[0]
    assert first.file == str(target) and first.line == line and first.field == field, str(first)
    assert words in first.message, str(first)


def test_interchange_bad_input_utf16_option_fixes_emoji_offsets(project, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "Zoë 🌍 Ann", "label": [[7, 10, "PERSON"]]}) + "\n", encoding="utf-8")
    assert not import_paths(project, [path], ImportOptions(format="doccano")).ok
    report = import_paths(project, [path], ImportOptions(format="doccano", read=ReadOptions(offsets="utf16")))
    assert report.ok
    doc_id = next(project.db.query("SELECT id FROM documents"))["id"]
    assert [(s.start, s.end, s.text) for s in project.spans(doc_id)] == [(6, 9, "Ann")]


def test_interchange_bad_input_utf16_inside_a_pair_refused(project, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "🌍 Ann", "label": [[1, 6, "PERSON"]]}) + "\n", encoding="utf-8")
    report = import_paths(project, [path], ImportOptions(format="doccano", read=ReadOptions(offsets="utf16")))
    (problem,) = [p for f in report.files for p in f.problems]
    assert problem.field == "label[0].start" and "surrogate pair" in problem.message
