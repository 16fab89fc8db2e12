"""``annotator suggest`` through click's runner, checked in the SQLite file."""

from __future__ import annotations

import pytest
from cli_driver import rows, run as _run
from suggest_helpers import add_documents, ruler_pipeline

from annotator.store import Project


def _rows(path, sql='SELECT label, text, origin, state FROM span_view ORDER BY doc_id, start, label'):
    return rows(path, sql)


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "news.annotator"
    with Project.create(path) as project:
        add_documents(project, statuses=["todo", "done", "todo", "todo"])
    return path


def test_cli_suggest_model_folder_todo_only(project_path, tmp_path):
    model = ruler_pipeline(tmp_path / "ruler")
    result = _run("suggest", project_path, "--model", model)
    assert result.exit_code == 0, result.output
    assert "Suggested in 3 of 3 documents" in result.stdout and "4 suggestions added" in result.stdout
    assert "labels not in the project skipped: PER (1)" in result.stdout
    rows = _rows(project_path)
    assert ("PERSON", "Anna Berg", "model:ruler", "suggested") in rows
    assert not any(r[1] == "Lima" for r in rows)  # document 2 is done
    again = _run("suggest", project_path, "--model", model, "--only", "all")
    assert "3 suggestions added" in again.stdout and "4 already there" in again.stdout


def test_cli_suggest_patterns_and_claims(project_path, tmp_path):
    patterns = tmp_path / "people.jsonl"
    patterns.write_text('{"label": "PERSON", "pattern": [{"TEXT": "Anna"}, {"TEXT": "Berg"}]}\n', encoding="utf-8")
    result = _run("suggest", project_path, "--patterns", patterns, "--claims")
    assert result.exit_code == 0, result.output
    claims = _rows(project_path, "SELECT claimant, cue, text, state FROM claim_view ORDER BY id")
    assert claims[0] == ("Anna Berg", "said", "the port of Oslo will close in May", "suggested")
    assert ("PERSON", "Anna Berg", "pattern:people.jsonl", "suggested") in _rows(project_path)


def test_cli_suggest_claims_alone(project_path):
    result = _run("suggest", project_path, "--claims", "--only", "all")
    assert result.exit_code == 0 and "(claim cues)" in result.stdout
    assert {r[2] for r in _rows(project_path)} == {"pattern:claim-cues"}


@pytest.mark.parametrize(("args", "message"), [
    ((), "give --model NAME_OR_PATH, --patterns FILE or --claims"),
    (("--model", "no_such_pipeline_xyz"), "no spaCy pipeline named 'no_such_pipeline_xyz'"),
])
def test_cli_suggest_refuses_with_a_reason(project_path, args, message):
    result = _run("suggest", project_path, *args)
    assert result.exit_code == 2 and message in result.stderr
    assert _rows(project_path, "SELECT count(*) FROM spans WHERE state = 'suggested'") == [(0,)]


def test_cli_suggest_bad_pattern_file_names_line_and_field(project_path, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "PERSON", "pattern": "Anna"}\n{"label": "PERSON"}\n', encoding="utf-8")
    result = _run("suggest", project_path, "--patterns", bad)
    assert result.exit_code == 2
    assert f"{bad}:2: pattern: missing" in result.stderr
    assert _rows(project_path, "SELECT count(*) FROM spans WHERE state = 'suggested'") == [(0,)]
