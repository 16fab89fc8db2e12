"""The spaCy export workflow: stable split, selection, output folder rules, cancel, workers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_projects import make_project

from annotator.workflows.exporting import ExportCancelled, ExportError, ExportOptions, export_project
from annotator.workflows.importing import import_paths


def _splits(out: Path) -> dict[int, str]:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    found = {}
    for split in ("train", "dev"):
        for shard in sorted((out / f"{split}.spacy").glob("*.spacy")):
            for doc in DocBin().from_disk(shard).get_docs(Vocab()):
                found[doc.user_data["annotator"]["id"]] = split
    return found


def test_export_spacy_split_is_stable_when_documents_are_added(tmp_path):
    with make_project(tmp_path, 40) as project:
        export_project(project, tmp_path / "a", ExportOptions(seed=3, workers=0))
        before = _splits(tmp_path / "a")
        extra = tmp_path / "more.jsonl"
        extra.write_text("".join(json.dumps({"text": f"Extra {i} text.", "answer": "accept"}) + "\n"
                                 for i in range(30)), encoding="utf-8")
        assert import_paths(project, [extra]).ok
        export_project(project, tmp_path / "b", ExportOptions(seed=3, workers=0))
        after = _splits(tmp_path / "b")
        assert len(after) == 70 and {doc: after[doc] for doc in before} == before
        export_project(project, tmp_path / "c", ExportOptions(seed=4, workers=0))
        assert _splits(tmp_path / "c") != after  # another seed, another split
        assert 5 <= list(after.values()).count("dev") <= 25


def test_export_spacy_small_project_still_gets_a_dev_document(tmp_path):
    with make_project(tmp_path, 3) as project:
        result = export_project(project, tmp_path / "out", ExportOptions(dev=0.2, seed=0, workers=0))
        assert result.summary["documents"].get("dev") == 1
        nodev = export_project(project, tmp_path / "nodev", ExportOptions(dev=0.0, workers=0))
        assert "dev set is empty" in nodev.text and nodev.summary["dev"] == nodev.summary["train"]


def test_export_spacy_files_summary_and_command(tmp_path):
    with make_project(tmp_path, 6) as project:
        seen = []
        result = export_project(project, tmp_path / "out", ExportOptions(workers=0),
                                progress=lambda done, total, message: seen.append((done, total)))
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} == {"train.spacy", "dev.spacy", "config.cfg", "summary.json", "summary.txt"}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["entities"]["train"]["PERSON"] + summary["entities"].get("dev", {}).get("PERSON", 0) == 6
    assert summary["claims"]["train"]["CLAIM"] >= 1 and summary["alignment"]["misaligned"] == 0
    assert (out / "summary.txt").read_text(encoding="utf-8").strip() == result.text
    assert result.summary["command"] == (f"python -m spacy train {out / 'config.cfg'} --paths.train {out / 'train.spacy'}"
                                         f" --paths.dev {out / 'dev.spacy'} --output {out / 'model'}")
    assert seen[0] == (0, 6) and seen[-1][0] == 6


def test_export_spacy_misaligned_spans_reported_loudly(tmp_path):
    with make_project(tmp_path, 2) as project:
        doc_id = next(project.db.query("SELECT id FROM documents ORDER BY position"))["id"]
        project.add_span(doc_id, 0, 3, "CUE")  # "Per" of "Person0": not a token
        result = export_project(project, tmp_path / "out", ExportOptions(workers=0, dev=0))
    (issue,) = result.issues
    assert (issue.doc_id, issue.start, issue.end, issue.text, issue.label) == (doc_id, 0, 3, "Per", "CUE")
    assert "WARNING: 1 span(s) do not align" in result.text and "LEFT OUT" in result.text
    lines = (tmp_path / "out" / "alignment.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["text"] == "Per"


def test_export_spacy_selection_statuses_and_annotator(tmp_path):
    with make_project(tmp_path, 6, statuses=("done", "todo", "skipped"), annotator="ann") as project:
        doc_id = next(project.db.query("SELECT id FROM documents ORDER BY position"))["id"]
        done = export_project(project, tmp_path / "done", ExportOptions(workers=0, dev=0))  # the only layer
        assert done.documents == 2
        project.add_span(doc_id, 14, 18, "CUE", annotator="bob")  # "said"
        # Two layers now: no mixing them without a choice.
        with pytest.raises(ExportError, match=r"2 annotators' layers: ann \(18 spans.*bob \(1 spans.*--annotator NAME\)"):
            export_project(project, tmp_path / "mixed", ExportOptions(workers=0, dev=0))
        assert not (tmp_path / "mixed").exists()
        every = export_project(project, tmp_path / "all", ExportOptions(workers=0, dev=0, annotator="ann",
                                                                         include=("done", "todo", "skipped")))
        assert every.documents == 6 and "CUE" not in every.summary["spans"]["train"]
        bob = export_project(project, tmp_path / "bob", ExportOptions(workers=0, dev=0, annotator="bob"))
        assert bob.summary["spans"]["train"] == {"CUE": 1}
        with pytest.raises(ExportError, match="no annotator named 'carol'"):
            export_project(project, tmp_path / "carol", ExportOptions(annotator="carol"))


def test_export_spacy_nothing_to_export_is_refused(tmp_path):
    with make_project(tmp_path, 2) as project:
        with pytest.raises(ExportError, match="nothing to export"):
            export_project(project, tmp_path / "none", ExportOptions(workers=0, include=("skipped",)))
    assert not (tmp_path / "none").exists()


def test_export_spacy_output_in_the_way(tmp_path):
    with make_project(tmp_path, 2) as project:
        (tmp_path / "file").write_text("x")
        with pytest.raises(ExportError, match="is a file"):
            export_project(project, tmp_path / "file", ExportOptions(workers=0))
        (tmp_path / "out" / "train.spacy").mkdir(parents=True)
        (tmp_path / "out" / "train.spacy" / "notes.txt").write_text("mine")
        with pytest.raises(ExportError, match="not .spacy shards"):
            export_project(project, tmp_path / "out", ExportOptions(workers=0))
        assert (tmp_path / "out" / "train.spacy" / "notes.txt").read_text() == "mine"


def test_export_spacy_replaces_an_earlier_export_and_leaves_other_files(tmp_path):
    with make_project(tmp_path, 4) as project:
        out = tmp_path / "out"
        export_project(project, out, ExportOptions(workers=0, single_file=True))
        assert (out / "train.spacy").is_file() and (out / "dev.spacy").is_file()
        (out / "mine.txt").write_text("keep me")
        export_project(project, out, ExportOptions(workers=0))
        assert (out / "train.spacy").is_dir() and list((out / "train.spacy").glob("*.spacy"))
        # Shard folders named as earlier versions named them go; a folder with anything else stays.
        (out / "train").mkdir()
        (out / "train" / "00001.spacy").write_bytes(b"old")
        (out / "dev").mkdir()
        (out / "dev" / "mine.txt").write_text("not a shard")
        export_project(project, out, ExportOptions(workers=0, single_file=True))
    assert (out / "train.spacy").is_file() and (out / "mine.txt").exists()
    assert not (out / "train").exists() and (out / "dev" / "mine.txt").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".annotator-export")]


def test_export_spacy_cancel_leaves_the_output_as_it_was(tmp_path):
    with make_project(tmp_path, 6) as project:
        out = tmp_path / "out"
        export_project(project, out, ExportOptions(workers=0))
        before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        with pytest.raises(ExportCancelled):
            export_project(project, out, ExportOptions(workers=0, seed=9), cancelled=lambda: True)
        after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".annotator-export")]


def test_export_spacy_worker_processes_give_the_same_corpus(tmp_path):
    with make_project(tmp_path, 8) as project:
        inline = export_project(project, tmp_path / "inline", ExportOptions(workers=0))
        pooled = export_project(project, tmp_path / "pooled", ExportOptions(workers=2))
    assert _splits(tmp_path / "inline") == _splits(tmp_path / "pooled")
    for key in ("documents", "tokens", "entities", "claims", "spans", "cats"):
        assert inline.summary[key] == pooled.summary[key]
