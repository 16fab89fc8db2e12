"""Exports that other programs read safely: CoNLL tags never hold white space, CSV cells never
run as spreadsheet formulas (unless --raw-cells), the spaCy command saves its model."""

from __future__ import annotations

import csv
import json
import re

from cli_driver import rows, run

TEXTS = ["=HYPERLINK(\"http://x\") met Ann in Rome.", "+1 said Bob.", "-2 said Cy.", "@SUM(A1) said Di.",
         "\tTabbed start by Ed.", "'=quoted already by Flo.", "Plain text by Gus."]


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_cli_export_safety_conll_labels_with_white_space(tmp_path):
    project = tmp_path / "p.annotator"
    text = "Ann Lee met Bob in Rome."
    source = _jsonl(tmp_path / "a.jsonl", [{"text": text, "answer": "accept", "spans": [
        {"start": 0, "end": 7, "label": "A B"}, {"start": 12, "end": 15, "label": "TAB\tX"}]}])
    assert run("import", project, source, "--add-labels").exit_code == 0
    out = tmp_path / "out.conll"
    done = run("export", project, "--format", "conll", "-o", out, "--include", "all")
    assert done.exit_code == 0, done.stderr
    assert "label 'A B' written as 'A_B'" in done.stderr and "label 'TAB\\tX' written as 'TAB_X'" in done.stderr
    written = out.read_text(encoding="utf-8")
    assert "Ann _ _ B-A_B\nLee _ _ I-A_B\n" in written and "Bob _ _ B-TAB_X\n" in written
    for line in written.splitlines():  # every row: token and three columns, no more
        assert not line or len(line.split()) == 4 or line.startswith("-DOCSTART-"), repr(line)
    back = run("import", tmp_path / "back.annotator", out, "--add-labels")
    assert back.exit_code == 0, back.stderr
    assert sorted(r[0] for r in rows(tmp_path / "back.annotator", "SELECT label FROM span_view")) == ["A_B", "TAB_X"]


def _project_with_formula_cells(tmp_path):
    project = tmp_path / "p.annotator"
    records = [{"text": t, "meta": {"title": t.split(" ")[0]}, "answer": "accept",
                "spans": [{"start": 0, "end": len(t.split(" ")[0]), "label": "PERSON"}]} for t in TEXTS]
    assert run("import", project, _jsonl(tmp_path / "a.jsonl", records)).exit_code == 0
    return project


def _cells(folder) -> list[list[str]]:
    with (folder / "entities.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


def test_cli_export_safety_csv_cells_never_start_a_formula(tmp_path):
    project = _project_with_formula_cells(tmp_path)
    out = tmp_path / "csv"
    assert run("export", project, "--format", "csv", "-o", out, "--include", "all").exit_code == 0
    cells = [cell for row in _cells(out) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    titles = [row[1] for row in _cells(out)]
    assert titles == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tTabbed", "''=quoted", "Plain"]
    # The documented undo (docs/formats.md) gives back every cell exactly.
    undone = [re.sub(r"^'(?='*[=+\-@\t\r])", "", row[7]) for row in _cells(out)]
    assert undone == [t.split(" ")[0] for t in TEXTS]


def test_cli_export_safety_csv_raw_cells_as_they_are(tmp_path):
    project = _project_with_formula_cells(tmp_path)
    out = tmp_path / "csv"
    assert run("export", project, "--format", "csv", "-o", out, "--include", "all", "--raw-cells").exit_code == 0
    assert [row[7] for row in _cells(out)] == [t.split(" ")[0] for t in TEXTS]


def test_cli_export_safety_spacy_command_saves_the_model(tmp_path):
    project = tmp_path / "p.annotator"
    assert run("import", project, _jsonl(tmp_path / "a.jsonl", [
        {"text": f"Ann Lee met Bob {i}.", "answer": "accept", "spans": [{"start": 0, "end": 7, "label": "PERSON"}]}
        for i in range(6)])).exit_code == 0
    done = run("export", project, "-o", tmp_path / "corpus", "--include", "all")
    assert done.exit_code == 0, done.stderr
    command = done.stdout.strip().splitlines()[-1]
    assert "python -m spacy train" in command and command.endswith(f"--output {tmp_path / 'corpus' / 'model'}")
