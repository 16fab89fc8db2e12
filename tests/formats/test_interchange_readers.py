"""What the interchange readers accept: claims from relations, the variants of each format,
guessing the format by content."""

from __future__ import annotations

import json

import pytest

from annotator.formats.registry import ReadOptions, guess_format_why
from annotator.workflows.importing import ImportOptions, import_paths


def _import(project, path, fmt="auto", **read):
    report = import_paths(project, [path], ImportOptions(format=fmt, read=ReadOptions(**read)))
    assert report.ok, [str(p) for f in report.files for p in f.problems]
    return report


def _only_doc(project):
    return next(project.db.query("SELECT id FROM documents ORDER BY position DESC"))["id"]


# ------------------------------------------------------------------ claims from relations
def _task(relations, spans=None):
    text = "Ann said the sky is green; Bob denied it."
    spans = spans or [{"start": 0, "end": 3, "label": "PERSON"}, {"start": 4, "end": 8, "label": "CUE"},
                      {"start": 9, "end": 25, "label": "CLAIM"}, {"start": 27, "end": 30, "label": "PERSON"}]
    rel = [{"head_span": spans[h], "child_span": spans[c], "label": label} for h, c, label in relations]
    return json.dumps({"text": text, "spans": spans, "relations": rel}) + "\n"


def test_interchange_readers_relations_become_claimant_and_cue(project, tmp_path):
    path = tmp_path / "a.jsonl"
    # either direction; the label of the claimant relation is kept; CUE names the cue
    path.write_text(_task([(0, 2, "ASSERTED_BY"), (2, 1, "CUE")]), encoding="utf-8")
    _import(project, path)
    (claim,) = project.claims(_only_doc(project))
    assert claim.claimant.text == "Ann" and claim.claimant_relation == "ASSERTED_BY" and claim.cue.text == "said"
    assert claim.values == {"verdict": "unverified"}  # the scheme's default
    assert list(project.db.query("SELECT * FROM relations")) == []  # part of the claim now


def test_interchange_readers_second_claimant_kept_as_relation_with_notice(project, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_task([(2, 0, "ASSERTED_BY"), (2, 3, "DENIED_BY")]), encoding="utf-8")
    report = _import(project, path)
    (claim,) = project.claims(_only_doc(project))
    assert claim.claimant.text == "Ann"
    (relation,) = project.db.query("SELECT label FROM relations")
    assert relation["label"] == "DENIED_BY"
    (notice,) = [p for p in report.files[0].problems]
    assert notice.severity == "notice" and notice.field == "relations[1]" and "already has a claimant" in notice.message


def test_interchange_readers_relation_between_entities_stays_generic(project, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_task([(0, 3, "KNOWS")]), encoding="utf-8")
    _import(project, path)
    (claim,) = project.claims(_only_doc(project))
    assert claim.claimant is None
    assert [r["label"] for r in project.db.query("SELECT label FROM relations")] == ["KNOWS"]


# ------------------------------------------------------------------ doccano and Label Studio
def test_interchange_readers_doccano_variants(project, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": 5, "text": "Ann met Bob.", "label": [[0, 3, "PERSON"], [8, 11, "PERSON"]], "Comments": []}),
        json.dumps({"text": "Bob met Ann.", "entities": [[0, 3, "PERSON"]], "cats": ["POLITICS"]}),
        json.dumps({"text": "Ann said it.", "entities": [
            {"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 3},
            {"id": 2, "label": "CLAIM", "start_offset": 9, "end_offset": 11}],
            "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "SAID"}]}),
    ]) + "\n", encoding="utf-8")
    from annotator.core.model import Label

    project.add_label(Label("POLITICS", "doc"))
    report = _import(project, path)
    assert report.files[0].format == "doccano" and report.files[0].guessed_from == "content"
    docs = [row["id"] for row in project.db.query("SELECT id FROM documents ORDER BY position")]
    assert project.document(docs[0]).meta == {"id": 5, "Comments": []}
    assert project.doc_labels(docs[1]) == ["POLITICS"]
    (claim,) = project.claims(docs[2])
    assert claim.claimant.text == "Ann" and claim.claimant_relation == "SAID"


def test_interchange_readers_labelstudio_each_annotation_is_its_annotators_layer(project, tmp_path):
    region = {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text",
              "value": {"start": 0, "end": 3, "text": "Ann", "labels": ["PERSON"]}}
    other = {"id": "r2", "type": "labels", "value": {"start": 8, "end": 11, "text": "Bob", "labels": ["ORG"]}}
    tasks = [
        {"id": 3, "data": {"text": "Ann met Bob.", "source": "wire"}, "meta": {"batch": 2},
         "annotations": [{"result": [other, region], "completed_by": 7},
                         {"result": [region], "ground_truth": True, "completed_by": {"email": "a@x.org"}},
                         {"result": [other], "was_cancelled": True}],
         "predictions": [{"result": [other], "model_version": "ner-v2"}]},
        {"data": {"text": "Skipped task."}, "annotations": [{"result": [], "was_cancelled": True}]},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, indent=2), encoding="utf-8")
    report = _import(project, path)
    first, second = [row["id"] for row in project.db.query("SELECT id FROM documents ORDER BY position")]
    # both annotations, each as its annotator's (the same span twice is agreement, not a
    # duplicate); the cancelled one left out; the prediction a suggestion of its model
    assert sorted(((s.label, s.annotator or "", s.state, s.origin) for s in project.spans(first))) == [
        ("ORG", "", "suggested", "model:ner-v2"), ("ORG", "7", "accepted", "import"),
        ("PERSON", "7", "accepted", "import"), ("PERSON", "a@x.org", "accepted", "import")]
    assert project.document(first).meta == {"source": "wire", "labelstudio_meta": {"batch": 2}, "labelstudio_id": 3}
    assert project.document(first).status == "done" and project.document(second).status == "skipped"
    assert not report.files[0].problems


def test_interchange_readers_labelstudio_per_region_attributes(project, tmp_path):
    text = "Ann said the sky is green."
    result = [
        {"id": "c", "type": "labels", "value": {"start": 9, "end": 25, "text": "the sky is green", "labels": ["CLAIM"]}},
        {"id": "c", "type": "choices", "from_name": "stance", "value": {"start": 9, "end": 25, "choices": ["hedges"]}},
        {"id": "c", "type": "textarea", "from_name": "claimant", "value": {"start": 9, "end": 25, "text": ["a source"]}},
        {"id": "d", "type": "choices", "from_name": "doc_labels", "value": {"choices": []}},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": result}]}]), encoding="utf-8")
    _import(project, path)
    (claim,) = project.claims(_only_doc(project))
    assert claim.claimant_text == "a source" and claim.values == {"stance": "hedges", "verdict": "unverified"}


# ------------------------------------------------------------------ brat and CoNLL
def test_interchange_readers_brat_pair_lines_notes_and_fragments(project, tmp_path):
    text = "Ann said:\r\nthe sky\nis green."
    (tmp_path / "d.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "d.ann").write_text(
        "T1\tPERSON 0 3\tAnn\nT2\tCUE 4 8\tsaid\n"
        "T3\tCLAIM 11 18;19 27\tthe sky is green\n"  # brat's own way of writing a span across a line break
        "R1\tASSERTED_BY Arg1:T3 Arg2:T1\nR2\tCUE Arg1:T3 Arg2:T2\n"
        "A1\tverdict T3 mostly%20true\n#1\tAnnotatorNotes T3\tsource: two\\nlines\n#2\tAnnotatorNotes T1\tlooks odd\n",
        encoding="utf-8")
    report = _import(project, tmp_path)  # the folder: d.txt is read with d.ann, not as a text document
    assert report.total("added") == 1
    doc_id = _only_doc(project)
    assert project.document(doc_id).text == text and project.document(doc_id).title == "d"
    (claim,) = project.claims(doc_id)
    assert (claim.content.start, claim.content.end) == (11, 27)
    # A note is free text ("source: ..." is no attribute): on a claim it is the claim's note,
    # on any other span the span's note.
    assert claim.values == {"verdict": "mostly true", "note": "source: two\nlines"} and claim.cue.text == "said"
    assert project.span_details(doc_id)[claim.claimant.id].note == "looks odd"
    assert not [p for f in report.files for p in f.problems if f.path.endswith(".ann")]


@pytest.mark.parametrize("docstart", ["-DOCSTART- -X- -X- O", "-DOCSTART- -X- O O"])
def test_interchange_readers_conll_iob1_iob2_tabs_and_tag_map(project, tmp_path, docstart):
    path = tmp_path / "a.conll"
    path.write_text(f"{docstart}\n\nAnn\tNNP\tB-NP\tI-PER\nLee NNP I-NP I-PER\nmet VBD B-VP O\n"
                    "Paris NNP B-NP B-LOC\nLyon NNP I-NP B-LOC\n\nOK UH O O\n\n"
                    f"{docstart}\n\nBob B-PER\n", encoding="utf-8")
    _import(project, path, tag_map=(("PER", "PERSON"), ("LOC", "GPE")))
    first, second = [row["id"] for row in project.db.query("SELECT id FROM documents ORDER BY position")]
    assert project.document(first).text == "Ann Lee met Paris Lyon\nOK"
    assert [(s.text, s.label) for s in project.spans(first)] == [("Ann Lee", "PERSON"), ("Paris", "GPE"),
                                                                   ("Lyon", "GPE")]
    assert [(s.text, s.label) for s in project.spans(second)] == [("Bob", "PERSON")]


def test_interchange_readers_guess_by_content(tmp_path):
    cases = {
        "p.jsonl": json.dumps({"text": "x", "spans": []}),
        "d.jsonl": json.dumps({"text": "x", "label": [[0, 1, "A"]]}),
        "r.jsonl": json.dumps({"text": "x", "entities": [], "relations": []}),
        "ls.json": json.dumps([{"data": {"text": "x"}}]),
        "c.txt": "-DOCSTART- -X- -X- O\n",
    }
    for name, content in cases.items():
        (tmp_path / name).write_text(content + "\n", encoding="utf-8")
    assert guess_format_why(tmp_path / "p.jsonl") == ("prodigy", "name")
    assert guess_format_why(tmp_path / "d.jsonl") == ("doccano", "content")
    assert guess_format_why(tmp_path / "r.jsonl") == ("doccano", "content")
    # .json is shared with doccano's JSON export: Label Studio's task keys tell it by content.
    assert guess_format_why(tmp_path / "ls.json") == ("labelstudio", "content")
    assert guess_format_why(tmp_path / "c.txt") == ("text", "name")
