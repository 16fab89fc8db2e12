"""``annotator stats`` claim figures and ``annotator claimants`` through click's runner."""

from __future__ import annotations

import json

import pytest
from cli_driver import rows as _rows, run as _run

from annotator.core.records import DocumentRecord
from annotator.store import Project
from annotator.store.claims import ClaimantLink
from annotator.store.import_writer import ImportWriter, PreparedDocument

TEXT = "Antonov said Russia would respond. Anatoly Antonov denied it. Tass cited sources."


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "claims.annotator"
    with Project.create(path) as project:
        with project.transaction():
            doc, other = ImportWriter(project, None).write(
                [PreparedDocument(DocumentRecord(TEXT, 1)), PreparedDocument(DocumentRecord("Antonov again.", 2))])
        antonov = project.add_span(doc, 0, 7, "PERSON")
        said = project.add_span(doc, 8, 12, "CUE")
        first = project.add_claim(doc, 13, 33, "CLAIM")
        project.set_claimant(first.id, ClaimantLink(span_id=antonov.id))
        project.set_cue(first.id, said.id)
        project.set_claim_value(first.id, "stance", "asserts")
        second = project.add_claim(doc, 51, 60, "CLAIM")
        project.set_claimant(second.id, ClaimantLink(text="Anatoly Antonov"))
        project.set_claim_value(second.id, "stance", "denies")
        third = project.add_claim(other, 0, 7, "CLAIM")
        project.set_claimant(third.id, ClaimantLink(text="Antonov"))
        fourth = project.add_claim(doc, 62, 66, "CLAIM")
        project.set_claimant(fourth.id, ClaimantLink(text="Tass"))
    return path


def test_cli_claims_stats_text_and_json(path):
    result = _run("stats", path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("claims: 4")
    assert lines[at + 1:at + 4] == [
        "  by label: CLAIM 4",
        "  claimant: 1 in the text, 3 free text, 0 none · cue: 1",
        "  Quote type: direct 0, indirect 0, mixed 0 (4 not set)",
    ]
    assert "  Stance: asserts 1, denies 1, hedges 0, questions 0 (2 not set)" in lines
    assert "  Verdict: unverified 4, true 0, mostly true 0, half true 0, mostly false 0, false 0 (0 not set)" in lines
    assert "  Note: 0 written (4 empty)" in lines
    data = json.loads(_run("stats", path, "--json").stdout)
    assert data["claims"] == 4
    details = data["claim_details"]
    assert details["by_label"] == {"CLAIM": 4}
    assert details["attributes"]["stance"]["values"] == {"asserts": 1, "denies": 1, "hedges": 0, "questions": 0}


def test_cli_claims_stats_without_claims_prints_no_details(tmp_path):
    path = tmp_path / "empty.annotator"
    Project.create(path).close()
    result = _run("stats", path)
    assert "claims: 0\nrelations: 0" in result.stdout


def test_cli_claims_claimants_list_merge_unmerge(path):
    result = _run("claimants", path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Antonov            2 claims in 2 documents",
        "Anatoly Antonov     1 claim in 1 document",
        "Tass                1 claim in 1 document",
    ]
    result = _run("claimants", path, "--merge", "Antonov", "--merge", "Anatoly Antonov", "--into", "Anatoly Antonov")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "merged Antonov, Anatoly Antonov into Anatoly Antonov"
    assert result.stdout.splitlines()[1] == "Anatoly Antonov    3 claims in 2 documents   = Antonov (2)"
    assert _rows(path, "SELECT alias, canonical FROM claimant_aliases") == [("Antonov", "Anatoly Antonov")]
    assert _rows(path, "SELECT DISTINCT canonical_claimant FROM claim_view ORDER BY 1") == [
        ("Anatoly Antonov",), ("Tass",)]
    data = json.loads(_run("claimants", path, "--json").stdout)
    assert data["aliases"] == {"Antonov": "Anatoly Antonov"}
    assert data["claimants"][0] == {"canonical": "Anatoly Antonov", "claims": 3, "documents": 2, "names": [
        {"name": "Antonov", "claims": 2, "documents": 2}, {"name": "Anatoly Antonov", "claims": 1, "documents": 1}]}
    result = _run("claimants", path, "--unmerge", "Antonov", "--json")
    assert result.exit_code == 0 and "unmerged Antonov" in result.stderr
    assert json.loads(result.stdout)["aliases"] == {}


@pytest.mark.parametrize("args, message", [
    (["--merge", "Antonv", "--into", "Antonov"], "no claimant is called 'Antonv'"),
    (["--merge", "Antonov"], "--merge needs --into"),
    (["--into", "Antonov"], "--into goes with --merge"),
    (["--unmerge", "Tass"], "'Tass' is not merged"),
])
def test_cli_claims_claimants_refuses_bad_names(path, args, message):
    result = _run("claimants", path, *args)
    assert result.exit_code == 2 and message in result.stderr
    assert _rows(path, "SELECT count(*) FROM claimant_aliases") == [(0,)]


def test_cli_claims_claimants_not_a_project_exit_3(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("hello\n")
    result = _run("claimants", target)
    assert result.exit_code == 3 and "not an annotator project" in result.stderr
