"""``annotator labels``: list, add, rename (spans follow), remove (refused while used, then --force)."""

from __future__ import annotations

import json

import pytest
from cli_driver import rows as _rows, run as _run

@pytest.fixture
def annotated(tmp_path):
    project = tmp_path / "p.annotator"
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"text": "Alice met Bob in Rome.", "spans": [
        {"start": 0, "end": 5, "label": "PERSON"}, {"start": 10, "end": 13, "label": "PERSON"},
        {"start": 17, "end": 21, "label": "GPE"}]}) + "\n", encoding="utf-8")
    assert _run("import", project, source).exit_code == 0
    return project


def test_cli_labels_lists_scheme_with_usage(annotated):
    result = _run("labels", annotated)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    person = next(line for line in lines if line.startswith("PERSON"))
    assert "entity" in person and "#7aa6f0" in person and "key 1" in person and "2 spans" in person
    assert any(line.startswith("CLAIM") and "claim" in line for line in lines)
    assert "claim attributes:" in result.stdout
    assert "verdict (key v): unverified / true" in result.stdout


def test_cli_labels_add(annotated):
    result = _run("labels", annotated, "--add", "WEAPON", "--kind", "entity", "--key", "9", "--color", "#123456",
                  "--description", "arms")
    assert result.exit_code == 0, result.output
    assert "added WEAPON" in result.stdout
    assert _rows(annotated, "SELECT kind, color, shortcut, description FROM labels WHERE name = 'WEAPON'") == [
        ("entity", "#123456", "9", "arms")]


def test_cli_labels_add_claim_kind_palette_colour(annotated):
    result = _run("labels", annotated, "--add", "QUOTE", "--kind", "claim")
    assert result.exit_code == 0
    [(kind, color, key)] = _rows(annotated, "SELECT kind, color, shortcut FROM labels WHERE name = 'QUOTE'")
    assert kind == "claim" and key is None and color.startswith("#") and len(color) == 7


@pytest.mark.parametrize("args, message", [
    (["--add", "X", "--color", "red"], "#rrggbb"),
    (["--add", "X", "--key", "1"], "already used by label 'PERSON'"),
    (["--add", "X", "--key", "f12"], "one digit or letter"),
    (["--add", "PERSON"], "already exists"),
    (["--add", " X"], "white space"),
    (["--rename", "PERSON", "GPE"], "already exists"),
    (["--rename", "NOPE", "X"], "no label named"),
    (["--remove", "NOPE"], "no label named"),
    (["--color", "#123456"], "go with --add"),
])
def test_cli_labels_bad_requests_exit_2(annotated, args, message):
    before = _rows(annotated, "SELECT * FROM labels ORDER BY id")
    result = _run("labels", annotated, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert _rows(annotated, "SELECT * FROM labels ORDER BY id") == before


def test_cli_labels_bad_kind_is_usage_error(annotated):
    result = _run("labels", annotated, "--add", "X", "--kind", "relation")
    assert result.exit_code == 2
    assert "relation" in result.stderr


def test_cli_labels_rename_spans_follow(annotated):
    result = _run("labels", annotated, "--rename", "PERSON", "PER")
    assert result.exit_code == 0
    assert "renamed PERSON to PER" in result.stdout
    assert _rows(annotated, "SELECT label, text FROM span_view ORDER BY start") == [
        ("PER", "Alice"), ("PER", "Bob"), ("GPE", "Rome")]


def test_cli_labels_remove_refused_while_used_then_forced(annotated):
    result = _run("labels", annotated, "--remove", "PERSON")
    assert result.exit_code == 2
    assert "PERSON" in result.stderr and "--force" in result.stderr and "2" in result.stderr
    assert _rows(annotated, "SELECT count(*) FROM spans") == [(3,)]
    assert _rows(annotated, "SELECT count(*) FROM labels WHERE name = 'PERSON'") == [(1,)]
    result = _run("labels", annotated, "--remove", "PERSON", "--force")
    assert result.exit_code == 0
    assert "removed PERSON and 2 annotation(s)" in result.stdout
    assert _rows(annotated, "SELECT label, text FROM span_view") == [("GPE", "Rome")]
    assert _rows(annotated, "SELECT count(*) FROM labels WHERE name = 'PERSON'") == [(0,)]


def test_cli_labels_remove_unused(annotated):
    result = _run("labels", annotated, "--remove", "EVENT")
    assert result.exit_code == 0
    assert result.stdout.strip() == "removed EVENT"
