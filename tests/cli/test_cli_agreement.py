"""``annotator agreement``: the readable table, --json in the documented shape, --csv tables, errors."""

from __future__ import annotations

import csv
import json

import pytest
from agreement_projects import build
from cli_driver import rows, run


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "team.annotator"
    build(path)
    return path


def test_cli_agreement_json_has_the_documented_shape(project):
    result = run("agreement", project, "--annotators", "alice,bob", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["annotators"] == ["alice", "bob"] and data["documents"] == 3
    entities = data["entities"]
    assert entities["tokens"] == 33 and isinstance(entities["alpha_tokens"], float)
    [pair] = entities["pairs"]
    assert pair["a"] == "alice" and pair["b"] == "bob" and pair["documents"] == 3
    assert pair["exact_f1"] == 0.6667 and pair["relaxed_f1"] == 0.6667  # 2/3, 4 places
    assert pair["kappa_tokens"] == round(401 / 533, 4)
    assert pair["counts"] == {"a": 6, "b": 6, "matched_exact": 4, "matched_relaxed": 4}
    assert pair["labels"]["PERSON"] == {"exact_f1": 1.0, "relaxed_f1": 1.0, "a": 2, "b": 2, "matched_exact": 2,
                                        "matched_relaxed": 2}
    assert pair["labels"]["NORP"]["exact_f1"] is None  # null where undefined
    assert entities["mean"] == {"exact_f1": 0.6667, "relaxed_f1": 0.6667, "kappa_tokens": 0.7523, "pairs": 1}
    [claims] = data["claims"]["pairs"]
    assert {k: claims[k] for k in ("a", "b", "exact_f1", "relaxed_f1", "matched", "claimant_agreement",
                                   "cue_agreement")} == {
        "a": "alice", "b": "bob", "exact_f1": 0.0, "relaxed_f1": 1.0, "matched": 1, "claimant_agreement": 1.0,
        "cue_agreement": 0.0}
    assert claims["attributes"]["stance"] == {"agreement": 0.0, "kappa": 0.0, "n": 1}
    # both claims got the scheme's default verdict: the same value, but kappa is 0/0
    assert claims["attributes"]["verdict"] == {"agreement": 1.0, "kappa": None, "n": 1}
    assert claims["attributes"]["quote_type"] == {"agreement": None, "kappa": None, "n": 0}
    assert "note" not in claims["attributes"]  # free text is not compared
    mean = data["claims"]["mean"]
    assert {k: mean[k] for k in ("exact_f1", "relaxed_f1", "claimant_agreement", "cue_agreement")} == {
        "exact_f1": 0.0, "relaxed_f1": 1.0, "claimant_agreement": 1.0, "cue_agreement": 0.0}


def test_cli_agreement_readable_table(project):
    result = run("agreement", project, "--annotators", "alice,bob")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    row = next(line for line in lines if line.startswith("alice / bob") and "33" in line)
    assert row.split() == ["alice", "/", "bob", "3", "6", "6", "0.667", "0.667", "0.752", "33"]
    assert any(line.split()[:1] == ["mean"] for line in lines)
    assert "Krippendorff's alpha (nominal, tokens):" in result.stdout


def test_cli_agreement_csv_folder(project, tmp_path):
    out = tmp_path / "tables"
    result = run("agreement", project, "--annotators", "alice,bob", "--csv", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["attributes.csv", "claims.csv", "labels.csv", "pairs.csv",
                                                     "summary.csv"]
    with (out / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        [pair] = list(csv.DictReader(handle))
    assert (pair["a"], pair["b"], pair["exact_f1"], pair["tokens"]) == ("alice", "bob", "0.6667", "33")
    with (out / "labels.csv").open(encoding="utf-8", newline="") as handle:
        labels = {(r["kind"], r["label"]): r for r in csv.DictReader(handle)}
    assert labels[("entity", "NORP")]["exact_f1"] == ""  # undefined: an empty cell
    assert labels[("claim", "CLAIM")]["relaxed_f1"] == "1.0"
    with (out / "attributes.csv").open(encoding="utf-8", newline="") as handle:
        stance = next(r for r in csv.DictReader(handle) if r["attribute"] == "stance")
    assert (stance["n"], stance["agreement"]) == ("1", "0.0")


@pytest.mark.parametrize("args, message", [
    (["--annotators", "alice,zoe"], "no annotator named 'zoe'"),
    (["--annotators", "alice,"], "an empty name"),
    (["--labels", "NOPE"], "no label 'NOPE'"),
    (["--json", "--csv", "x"], "not both"),
])
def test_cli_agreement_bad_input_exits_2(project, args, message):
    before = rows(project, "SELECT count(*) FROM spans")
    result = run("agreement", project, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert rows(project, "SELECT count(*) FROM spans") == before


def test_cli_agreement_not_a_project_exits_3(tmp_path):
    path = tmp_path / "not.annotator"
    path.write_text("hello", encoding="utf-8")
    result = run("agreement", path)
    assert result.exit_code == 3
    assert "error:" in result.stderr


def test_cli_agreement_damaged_rows_exit_3(project):
    import sqlite3

    conn = sqlite3.connect(project)
    conn.execute("PRAGMA ignore_check_constraints = 1")
    conn.execute("UPDATE spans SET \"end\" = start WHERE text = 'Lima'")
    conn.commit()
    conn.close()
    result = run("agreement", project, "--json")
    assert result.exit_code == 3
    assert "damaged" in result.stderr and "Traceback" not in result.output


def test_cli_agreement_unwritable_csv_folder_exits_2(project, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run("agreement", project, "--csv", blocker / "sub")
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def test_cli_agreement_after_team_split_and_merge(tmp_path):
    """The whole team workflow: split, each annotates their own copy, merge, agreement."""
    from agreement_projects import TEXTS, offsets

    from annotator.store import Project

    texts = tmp_path / "texts.jsonl"
    texts.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in TEXTS), encoding="utf-8")
    lead = tmp_path / "lead.annotator"
    assert run("import", lead, texts, "--format", "jsonl").exit_code == 0
    assert run("team", "split", lead, "--annotators", "alice,bob", "--overlap", "1", "-o", tmp_path / "split"
               ).exit_code == 0
    work = {"alice": [(0, "Ana Ruiz", "PERSON"), (1, "Pedro Alves", "PERSON"), (1, "Friday", "DATE")],
            "bob": [(0, "Ana Ruiz", "PERSON"), (1, "Pedro", "PERSON")]}
    for who, spans in work.items():
        with Project.open(tmp_path / "split" / f"{who}.annotator") as mine:
            me = mine.own_annotator().ref
            ids = {mine.document(s.id).text: s.id for s in mine.document_summaries(0, 10)}
            for doc, surface, label in spans:
                mine.add_span(ids[TEXTS[doc]], *offsets(doc, surface), label, annotator=me)
            for doc in (0, 1):  # neither finished document 2
                mine.set_status(ids[TEXTS[doc]], "done", annotator=me)
    merged = run("merge", lead, tmp_path / "split" / "alice.annotator", tmp_path / "split" / "bob.annotator")
    assert merged.exit_code == 0, merged.output
    data = json.loads(run("agreement", lead, "--json").stdout)
    assert data["annotators"] == ["alice", "bob"] and data["documents"] == 2
    [pair] = data["entities"]["pairs"]
    # alice 3, bob 2; Ana Ruiz equal; Pedro Alves ~ Pedro overlaps: exact 2·1/5, relaxed 2·2/5
    assert (pair["exact_f1"], pair["relaxed_f1"]) == (0.4, 0.8)
    assert pair["tokens"] == 18 + 10  # document 2 is nobody's done work
