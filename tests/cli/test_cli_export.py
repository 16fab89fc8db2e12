"""``annotator export`` and the import options of the interchange formats, through click's runner."""

from __future__ import annotations

import json

from cli_driver import run as _run

TASKS = [
    {"text": "Ann Lee said the sky is green.", "answer": "accept",
     "spans": [{"start": 0, "end": 7, "label": "PERSON"}, {"start": 8, "end": 12, "label": "CUE"},
               {"start": 13, "end": 29, "label": "CLAIM"}],
     "relations": [{"head_span": {"start": 13, "end": 29}, "child_span": {"start": 0, "end": 7}, "label": "SAID"}]},
    {"text": "Bob met Annabel.", "answer": "accept", "spans": [{"start": 8, "end": 15, "label": "PERSON"}]},
    {"text": "Still to do."},
]


def _project(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in TASKS), encoding="utf-8")
    project = tmp_path / "p.annotator"
    assert _run("import", project, source).exit_code == 0
    return project


def test_cli_export_spacy_prints_summary_and_command(tmp_path):
    project = _project(tmp_path)
    done = _run("export", project, "--output", tmp_path / "out", "--dev", "0.5", "--seed", "2", "--workers", "0")
    assert done.exit_code == 0, done.output
    assert "train with: python -m spacy train" in done.output and "PERSON" in done.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert sum(summary["documents"].values()) == 2  # done documents only, by default
    assert summary["selection"] == {"include": ["done"], "annotator": None, "dev": 0.5, "seed": 2,
                                    "layer": "(no annotator)"}


def test_cli_export_misaligned_span_is_printed(tmp_path):
    project = _project(tmp_path)
    source = tmp_path / "bad.jsonl"
    source.write_text(json.dumps({"text": "Annabel came.", "answer": "accept",
                                  "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}) + "\n", encoding="utf-8")
    assert _run("import", project, source).exit_code == 0
    done = _run("export", project, "-o", tmp_path / "out", "--include", "all", "--workers", "0")
    assert done.exit_code == 0
    assert "alignment: document 4: 0-3 PERSON 'Ann': misaligned" in done.output
    assert "WARNING: 1 span(s) do not align" in done.output


def test_cli_export_other_formats_and_options(tmp_path):
    project = _project(tmp_path)
    done = _run("export", project, "--format", "doccano", "--variant", "relations", "--include", "done,todo",
                "--offsets", "utf16", "-o", tmp_path / "d.jsonl")
    assert done.exit_code == 0, done.output
    lines = (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["relations"][0]["type"] == "SAID"
    assert _run("export", project, "--format", "jsonl", "--no-tokens", "-o", tmp_path / "p.jsonl").exit_code == 0
    assert "tokens" not in json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()[0])


def test_cli_export_refusals(tmp_path):
    project = _project(tmp_path)
    done = _run("export", project, "--format", "word", "-o", tmp_path / "x")
    assert done.exit_code == 2 and "cannot export to 'word'" in done.output
    done = _run("export", project, "--include", "finished", "-o", tmp_path / "x")
    assert done.exit_code == 2 and "--include" in done.output
    done = _run("export", project, "--annotator", "nobody", "-o", tmp_path / "x")
    assert done.exit_code == 2 and "no annotator named 'nobody'" in done.output


def test_cli_export_import_round_trip_with_tag_map_and_offsets(tmp_path):
    conll = tmp_path / "a.conll"
    conll.write_text("-DOCSTART- -X- O O\n\nAnn B-PER\nin O\nParis B-LOC\n", encoding="utf-8")
    tags = tmp_path / "tags.txt"
    tags.write_text("# CoNLL tag -> our label\nPER=PERSON\nLOC\tGPE\n", encoding="utf-8")
    project = tmp_path / "c.annotator"
    done = _run("import", project, conll, "--tag-map", tags)
    assert done.exit_code == 0, done.output
    assert "read as conll (guessed from the name)" in done.output
    done = _run("import", project, conll, "--tag-map", "PER")
    assert done.exit_code == 2 and "TAG=LABEL" in done.output
    doccano = tmp_path / "d.jsonl"
    doccano.write_text(json.dumps({"text": "🌍 Ann", "label": [[3, 6, "PERSON"]]}) + "\n", encoding="utf-8")
    done = _run("import", project, doccano, "--offsets", "utf16")
    assert done.exit_code == 0 and "guessed from the content" in done.output
