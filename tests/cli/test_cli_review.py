"""annotator review: --auto copies what agrees into gold; refusals exit 2 with the project unchanged."""

from __future__ import annotations

import json

import pytest
from cli_driver import rows, run
from review_projects import build


@pytest.fixture()
def project(tmp_path):
    path = tmp_path / "review.annotator"
    build(path)
    return path


def gold_count(path):
    return rows(path, "SELECT count(*) FROM gold_view")[0][0] if rows(
        path, "SELECT 1 FROM annotators WHERE name = 'gold'") else 0


def test_cli_review_auto_majority_then_again(project):
    done = run("review", project, "--auto", "majority", "--reviewer", "lead")
    assert done.exit_code == 0, done.output
    assert "to gold: 7 entity units, 1 document labels (7 spans)" in done.output
    assert "left for a person: 3 units in 1 documents (2 some annotators lack, 1 conflicts)" in done.output
    assert rows(project, "SELECT DISTINCT decided_by FROM gold_view") == [("lead",)]
    again = run("review", project, "--auto", "majority", "--reviewer", "lead")
    assert "to gold: nothing new (8 units were decided before)" in again.output
    assert gold_count(project) == 7


def test_cli_review_status_and_json(project):
    run("review", project, "--auto", "unanimous", "--mark-reviewed", "--reviewer", "lead")
    status = run("review", project)
    assert status.exit_code == 0
    # Unanimous leaves document 2's label (two of three gave it): only document 1 is finished.
    assert "reviewed 1 of 3; 4 of 11 units decided; 2 documents need review" in status.output
    data = json.loads(run("review", project, "--json").output)
    assert data["reviewed"] == 1 and data["units"] == 11 and data["states"]["conflict"] == 3
    auto = json.loads(run("review", project, "--auto", "majority", "--json", "--reviewer", "lead").output)
    assert auto["reviewed_skipped"] == 1 and auto["decided"] == {"entity": 3, "doc": 1} and auto["left"] == 3


def test_cli_review_redo_needs_yes_and_leaves_the_project_as_it_was(project):
    run("review", project, "--auto", "majority", "--mark-reviewed", "--reviewer", "lead")
    before = rows(project, "SELECT * FROM gold_view ORDER BY id")
    refused = run("review", project, "--auto", "majority", "--redo")
    assert refused.exit_code == 2
    assert "--redo would delete the gold of 2 reviewed document(s)" in refused.output
    assert rows(project, "SELECT * FROM gold_view ORDER BY id") == before
    done = run("review", project, "--auto", "majority", "--redo", "--yes", "--reviewer", "lead")
    assert done.exit_code == 0 and "2 reviewed documents started over" in done.output


@pytest.mark.parametrize("args, message", [
    (("--auto", "majority", "--annotators", "alice,dave"), "no annotator named 'dave'"),
    (("--auto", "majority", "--documents", "1,x"), "--documents: '1,x' is not a list of document ids"),
    (("--auto", "majority", "--documents", "77"), "no document with id 77"),
    (("--auto", "majority", "--annotators", "alice,,bob"), "an empty name"),
    (("--mark-reviewed",), "go with --auto"),
])
def test_cli_review_bad_options_exit_2(project, args, message):
    done = run("review", project, *args)
    assert done.exit_code == 2 and message in done.output, done.output
    assert gold_count(project) == 0


def test_cli_review_not_a_project_exits_3(tmp_path):
    bad = tmp_path / "bad.annotator"
    bad.write_text("not sqlite", encoding="utf-8")
    done = run("review", bad, "--auto", "majority")
    assert done.exit_code == 3 and "not an annotator project" in done.output


def test_cli_review_export_and_agreement_with_gold(project, tmp_path):
    run("review", project, "--auto", "majority", "--mark-reviewed", "--reviewer", "lead")
    out = tmp_path / "gold.jsonl"
    exported = run("export", project, "--format", "prodigy", "--no-tokens", "-o", out)
    assert exported.exit_code == 0 and "layer: gold" in exported.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    alice = run("export", project, "--format", "prodigy", "--no-tokens", "--layer", "alice", "-o", tmp_path / "a.jsonl")
    assert alice.exit_code == 0 and "layer: alice" in alice.output
    agreement = run("agreement", project, "--gold", "--json")
    data = json.loads(agreement.output)
    assert data["reference"] == "gold" and [p["b"] for p in data["entities"]["pairs"]] == ["gold"] * 3
