"""Exports through the format writers: atomic output, folders, notes, worker processes, errors."""

from __future__ import annotations

import csv
import json

import pytest
from export_projects import make_project

from annotator.workflows.exporting import ExportCancelled, ExportError, ExportOptions, export_formats, export_project


def test_export_writers_formats_listed():
    assert export_formats() == ["spacy", "prodigy", "doccano", "labelstudio", "brat", "conll", "webanno", "csv"]


@pytest.mark.parametrize("fmt, target", [("prodigy", "out.jsonl"), ("doccano", "out.jsonl"),
                                         ("labelstudio", "out.json"), ("conll", "out.conll")])
def test_export_writers_single_file_is_replaced_whole_or_not_at_all(tmp_path, fmt, target):
    with make_project(tmp_path, 5) as project:
        output = tmp_path / target
        output.write_text("previous export", encoding="utf-8")
        with pytest.raises(ExportCancelled):
            export_project(project, output, ExportOptions(format=fmt, workers=0), cancelled=lambda: True)
        assert output.read_text(encoding="utf-8") == "previous export"
        result = export_project(project, output, ExportOptions(format=fmt, workers=0))
    assert result.documents == 5 and result.files == [output]
    assert output.read_text(encoding="utf-8") != "previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_writers_labelstudio_is_one_json_list(tmp_path):
    with make_project(tmp_path, 3) as project:
        export_project(project, tmp_path / "ls.json", ExportOptions(format="labelstudio", workers=0))
    tasks = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))
    assert len(tasks) == 3 and tasks[0]["data"]["title"] == "Doc 0"
    result = tasks[0]["annotations"][0]["result"]
    relation = next(r for r in result if r["type"] == "relation")
    regions = {r["id"]: r for r in result if r["type"] == "labels"}
    assert regions[relation["from_id"]]["value"]["labels"] == ["CLAIM"] and relation["labels"] == ["SAID"]
    assert regions[relation["to_id"]]["value"]["text"] == "Person0 Smith"


def test_export_writers_prodigy_tokens_relations_and_hashes(tmp_path):
    with make_project(tmp_path, 2) as project:
        doc_id = next(project.db.query("SELECT id FROM documents ORDER BY position"))["id"]
        project.add_span(doc_id, 0, 3, "CUE")  # cuts the token "Person0"
        result = export_project(project, tmp_path / "p.jsonl", ExportOptions(format="prodigy", workers=0))
    first = json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()[0])
    tokens = first["tokens"]
    assert tokens[0] == {"text": "Person0", "start": 0, "end": 7, "id": 0, "ws": True}
    person = next(s for s in first["spans"] if s["label"] == "PERSON")
    assert (person["token_start"], person["token_end"]) == (0, 1)  # token_end is INCLUSIVE
    cut = next(s for s in first["spans"] if s["label"] == "CUE")
    assert "token_start" not in cut
    assert any("not token edges" in note and "'Per'" in note for note in result.notes)
    (relation,) = first["relations"]
    assert relation["label"] == "SAID" and relation["child"] == 1 and relation["child_span"]["label"] == "PERSON"
    assert first["answer"] == "accept" and first["meta"]["title"] == "Doc 0"


def test_export_writers_worker_processes_write_the_same_file(tmp_path):
    with make_project(tmp_path, 6) as project:
        export_project(project, tmp_path / "a.jsonl", ExportOptions(format="prodigy", workers=0))
        export_project(project, tmp_path / "b.jsonl", ExportOptions(format="prodigy", workers=2))
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_export_writers_csv_claims_and_entities(tmp_path):
    with make_project(tmp_path, 2) as project:
        export_project(project, tmp_path / "csv", ExportOptions(format="csv", workers=0))
    with (tmp_path / "csv" / "claims.csv").open(encoding="utf-8", newline="") as handle:
        claims = list(csv.DictReader(handle))
    with (tmp_path / "csv" / "entities.csv").open(encoding="utf-8", newline="") as handle:
        entities = list(csv.DictReader(handle))
    assert len(claims) == 2 and claims[0]["claimant"] == "Person0 Smith" and claims[0]["claimant_relation"] == "SAID"
    assert claims[0]["verdict"] == "unverified" and claims[0]["content"] == "prices rose by 0 percent"
    assert list(claims[0])[-5:] == ["quote_type", "stance", "checkworthiness", "verdict", "note"]
    assert {e["label"] for e in entities} == {"PERSON", "GPE"} and entities[0]["kind"] == "entity"


def test_export_writers_brat_folder(tmp_path):
    with make_project(tmp_path, 2) as project:
        result = export_project(project, tmp_path / "brat", ExportOptions(format="brat", workers=0))
    names = sorted(p.name for p in (tmp_path / "brat").iterdir())
    assert names == ["doc-000001.ann", "doc-000001.txt", "doc-000002.ann", "doc-000002.txt"]
    assert len(result.files) == 4
    ann = (tmp_path / "brat" / "doc-000001.ann").read_text(encoding="utf-8")
    assert "T1\tPERSON 0 13\tPerson0 Smith\n" in ann and "R1\tSAID Arg1:T2 Arg2:T1\n" in ann
    assert "A1\tverdict T2 unverified\n" in ann


@pytest.mark.parametrize("options, message", [
    (ExportOptions(format="word"), "cannot export to 'word'"),
    (ExportOptions(include=("finished",)), "--include"),
    (ExportOptions(dev=1.0), "--dev"),
    (ExportOptions(alignment="loose"), "--alignment"),
    (ExportOptions(format="doccano", offsets="bytes"), "--offsets"),
    (ExportOptions(format="conll", tokens=False), "--no-tokens"),
])
def test_export_writers_bad_options_refused_before_anything_is_written(tmp_path, options, message):
    with make_project(tmp_path, 1) as project:
        with pytest.raises(ExportError, match=message):
            export_project(project, tmp_path / "out", options)
    assert not (tmp_path / "out").exists()


def test_export_writers_output_kind_checked(tmp_path):
    with make_project(tmp_path, 1) as project:
        (tmp_path / "folder").mkdir()
        with pytest.raises(ExportError, match="is a folder"):
            export_project(project, tmp_path / "folder", ExportOptions(format="prodigy", workers=0))
        (tmp_path / "file").write_text("x")
        with pytest.raises(ExportError, match="writes a folder"):
            export_project(project, tmp_path / "file", ExportOptions(format="brat", workers=0))


def test_export_writers_format_info_for_a_dialog():
    from annotator.workflows.exporting import export_format_info

    info = {f.name: f for f in export_format_info()}
    assert list(info) == export_formats()
    assert info["spacy"].folder and info["brat"].folder and info["csv"].folder
    assert (info["prodigy"].folder, info["prodigy"].suffix, info["prodigy"].options) == (False, ".jsonl", ("tokens",))
    assert info["labelstudio"].suffix == ".json" and "alignment" in info["spacy"].options


def test_export_writers_heap_frozen_only_while_exporting(tmp_path, monkeypatch):
    """The collector skips what was alive before the export while it runs (gc.freeze), and
    gets it back after, also when the export fails."""
    import gc

    from annotator.workflows import exporting

    seen = []
    real = exporting.run_batches
    monkeypatch.setattr(exporting, "run_batches", lambda *a, **k: (seen.append(gc.get_freeze_count()), real(*a, **k)))
    with make_project(tmp_path, 3) as project:
        export_project(project, tmp_path / "out.jsonl", ExportOptions(format="prodigy", workers=0))
        assert seen[0] > 0 and gc.get_freeze_count() == 0

        def broken(*args, **kwargs):
            raise RuntimeError("disk gone")

        monkeypatch.setattr(exporting, "run_batches", broken)
        with pytest.raises(RuntimeError):
            export_project(project, tmp_path / "out2.jsonl", ExportOptions(format="prodigy", workers=0))
    assert gc.get_freeze_count() == 0 and not (tmp_path / "out2.jsonl").exists()
