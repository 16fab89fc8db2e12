"""The disagreements list the Agreement dialog shows, and its CSV / LaTeX copies."""

from __future__ import annotations

import csv
import io

import pytest
from agreement_projects import build, offsets

from annotator.store import Project
from annotator.workflows.agreement import AgreementOptions
from annotator.workflows.agreement_report import to_csv, to_latex
from annotator.workflows.disagreements import disagreement_table, find_disagreements


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "team.annotator"
    ids = build(path)
    with Project.open(path) as opened:
        yield opened, ids


def test_agreement_disagreements_alice_and_bob(project):
    opened, ids = project
    rows = find_disagreements(opened, AgreementOptions(annotators=("alice", "bob")))
    found = [(r.doc_id, r.layer, r.kind, r.text_a, r.text_b, r.description) for r in rows]
    assert found == [
        (ids[0], "entity", "label", "Lima", "Lima", "other label: GPE / LOC"),
        (ids[0], "claim", "boundaries", "the clinic would close", "clinic would close",
         "other boundaries: “the clinic would close” / “clinic would close”"),
        (ids[0], "claim", "cue", "the clinic would close", "clinic would close", "other cue: told / —"),
        (ids[0], "claim", "attribute", "the clinic would close", "clinic would close",
         "other stance: asserts / hedges"),
        (ids[1], "entity", "label_and_boundaries", "Lisbon Port Authority", "Lisbon",
         "other label and boundaries: ORG / GPE"),
    ]
    lima = rows[0]
    assert (lima.start, lima.end) == offsets(0, "Lima")  # code points: where the dialog scrolls to
    assert lima.document == "" or isinstance(lima.document, str)
    assert {(r.a, r.b) for r in rows} == {("alice", "bob")}


def test_agreement_disagreements_missing_and_limits(project):
    opened, ids = project
    rows = find_disagreements(opened, documents={ids[0]})
    assert {r.doc_id for r in rows} == {ids[0]}
    missing = [r for r in rows if r.kind == "missing"]
    assert any(r.a == "alice" and r.b == "carol" and r.text_a == "Radio Norte" and r.text_b is None
               and r.description == "only alice: ORG" for r in missing)
    assert len(find_disagreements(opened, limit=2)) == 2


def test_agreement_disagreements_copy_as_csv_and_latex(project):
    opened, _ = project
    table = disagreement_table(find_disagreements(opened, AgreementOptions(annotators=("alice", "bob"))))
    parsed = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert parsed[0]["kind"] == "other label" and parsed[0]["text_a"] == "Lima" and parsed[0]["attribute"] == ""
    latex = to_latex(table)
    assert latex.startswith("\\begin{tabular}{lrllllrrlllllll}") and "\\toprule" in latex and "\\bottomrule" in latex
    assert "label\\_a" in latex  # underscores escaped
    assert latex.count("\\\\\n") == len(table.rows) + 1
