"""Gold in export (the default layer once there is one) and in agreement (each annotator against gold)."""

from __future__ import annotations

import json

import pytest
from review_projects import open_built, span_key

from annotator.workflows.agreement import (
    AgreementError,
    AgreementOptions,
    compute_agreement,
)
from annotator.workflows.exporting import ExportError, ExportOptions, export_project
from annotator.workflows.reviewing import AutoReviewOptions, auto_review


def tokenize(text, language):
    starts, ends, i = [], [], 0
    for word in text.split(" "):
        starts.append(i)
        ends.append(i + len(word))
        i += len(word) + 1
    return starts, ends


@pytest.fixture()
def project(tmp_path):
    with open_built(tmp_path / "review.annotator") as opened:
        yield opened


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_review_export_takes_gold_by_default_and_says_so(project, tmp_path):
    with pytest.raises(ExportError, match="review them into a gold layer"):
        export_project(project, tmp_path / "none.jsonl", ExportOptions(format="prodigy", tokens=False))
    auto_review(project, AutoReviewOptions("majority", mark_reviewed=True, reviewer="lead"))
    result = export_project(project, tmp_path / "gold.jsonl", ExportOptions(format="prodigy", tokens=False))
    assert result.summary["selection"]["layer"] == "gold"
    assert "layer: gold (the reviewed gold layer" in result.text
    lines = read_jsonl(tmp_path / "gold.jsonl")
    assert [line["text"] for line in lines] == ["Nothing happened in Lyon.", "Ada Brook joined Norvik Labs."]
    assert [(s["start"], s["end"], s["label"]) for s in lines[1]["spans"]] == [
        span_key(2, "Ada Brook", "PERSON"), span_key(2, "Norvik Labs", "ORG")]
    explicit = export_project(project, tmp_path / "explicit.jsonl",
                              ExportOptions(format="prodigy", tokens=False, annotator="gold"))
    assert explicit.documents == 2
    alice = export_project(project, tmp_path / "alice.jsonl",
                           ExportOptions(format="prodigy", tokens=False, annotator="alice"))
    assert alice.summary["selection"]["layer"] == "alice" and alice.documents == 3


def test_review_export_layer_gold_without_gold_is_refused(project, tmp_path):
    with pytest.raises(ExportError, match="no gold layer yet"):
        export_project(project, tmp_path / "g.jsonl", ExportOptions(format="prodigy", annotator="gold"))


def test_review_spacy_export_of_an_unreviewed_gold_layer_says_how_a_document_gets_done(project, tmp_path):
    # Gold is exported by default once it exists; its documents are done once marked reviewed.
    auto_review(project, AutoReviewOptions("majority", reviewer="lead"))
    with pytest.raises(ExportError, match="no document of the gold layer has status done .*marked reviewed"):
        export_project(project, tmp_path / "spacy", ExportOptions(format="spacy"))


def test_review_agreement_against_gold(project):
    with pytest.raises(AgreementError, match="no gold layer"):
        compute_agreement(project, AgreementOptions(gold=True), tokenize=tokenize)
    auto_review(project, AutoReviewOptions("majority", mark_reviewed=True, reviewer="lead"))
    before = compute_agreement(project, tokenize=tokenize)
    assert before.annotators == ("alice", "bob", "carol")  # gold is not an annotator by default
    result = compute_agreement(project, AgreementOptions(gold=True), tokenize=tokenize)
    assert result.reference == "gold" and result.alpha_tokens is None
    pairs = {(p.a, p.b): p for p in result.figures.entity_pairs}
    assert set(pairs) == {("alice", "gold"), ("bob", "gold"), ("carol", "gold")}
    assert pairs[("alice", "gold")].exact_f1 == 1.0  # the two reviewed documents: gold is what all agreed on
    assert pairs[("alice", "gold")].documents == 2
    named = compute_agreement(project, AgreementOptions(("alice", "gold")), tokenize=tokenize)
    assert [(p.a, p.b) for p in named.figures.entity_pairs] == [("alice", "gold")]
