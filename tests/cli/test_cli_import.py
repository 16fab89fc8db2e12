"""``annotator import`` / ``new`` / ``stats`` through click's runner, checked in the SQLite file."""

from __future__ import annotations

import json

import pytest
from cli_driver import rows as _rows, run as _run

from annotator import __version__

GOOD = [
    {"text": "Alice met Bob in Rome.", "spans": [{"start": 0, "end": 5, "label": "PERSON"},
                                                  {"start": 17, "end": 21, "label": "GPE"}]},
    {"text": "A second article."},
    {"text": "Third: Zoë 👩‍🔬 in 東京.", "spans": [{"start": 18, "end": 20, "label": "GPE"}]},
]


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _snapshot(path):
    return {t: _rows(path, f"SELECT * FROM {t} ORDER BY 1")
            for t in ("documents", "spans", "labels", "annotators", "relations")}


def test_cli_import_version():
    result = _run("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_cli_import_creates_project(tmp_path):
    project = tmp_path / "p.annotator"
    result = _run("import", project, _jsonl(tmp_path / "a.jsonl", GOOD))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("3 added, 0 duplicates")
    assert "error" not in result.stderr
    assert _rows(project, "SELECT count(*) FROM documents") == [(3,)]
    assert _rows(project, 'SELECT s.start, s."end", l.name, s.text FROM spans s JOIN labels l ON l.id = s.label_id'
                          " ORDER BY s.id") == [(0, 5, "PERSON", "Alice"), (17, 21, "GPE", "Rome"),
                                                (18, 20, "GPE", "東京")]


def test_cli_import_again_counts_duplicates(tmp_path):
    project = tmp_path / "p.annotator"
    source = _jsonl(tmp_path / "a.jsonl", GOOD)
    _run("import", project, source)
    result = _run("import", project, source)
    assert result.exit_code == 0
    assert result.stdout.startswith("0 added, 3 duplicates")
    assert _rows(project, "SELECT count(*) FROM documents") == [(3,)]


def test_cli_import_bad_file_refused_project_unchanged(tmp_path):
    project = tmp_path / "p.annotator"
    _run("import", project, _jsonl(tmp_path / "a.jsonl", GOOD[:1]))
    before = _snapshot(project)
    bad = _jsonl(tmp_path / "bad.jsonl", [{"text": "fine"}, {"text": "short", "spans": [
        {"start": 0, "end": 9, "label": "PERSON"}]}, {"text": 5}])
    result = _run("import", project, bad)
    assert result.exit_code == 2
    assert f"{bad}:2: spans[0].end: " in result.stderr
    assert f"{bad}:3: text: " in result.stderr
    assert "refused" in result.stderr
    assert "1 file(s) refused" in result.stdout
    assert _snapshot(project) == before


def test_cli_import_skip_invalid_keeps_good_records(tmp_path):
    project = tmp_path / "p.annotator"
    bad = _jsonl(tmp_path / "bad.jsonl", [{"text": "fine"}, {"text": 5}, {"text": "also fine"}])
    result = _run("import", project, bad, "--skip-invalid")
    assert result.exit_code == 0
    assert result.stdout.startswith("2 added")
    assert f"{bad}:2: text: " in result.stderr
    assert _rows(project, "SELECT text FROM documents ORDER BY position") == [("fine",), ("also fine",)]


def test_cli_import_unknown_label_refused_then_added(tmp_path):
    project = tmp_path / "p.annotator"
    source = _jsonl(tmp_path / "z.jsonl", [{"text": "A zebra.", "spans": [{"start": 2, "end": 7, "label": "ANIMAL"}]}])
    result = _run("import", project, source)
    assert result.exit_code == 2
    assert "ANIMAL" in result.stderr and "--add-labels" in result.stderr
    assert _rows(project, "SELECT count(*) FROM labels WHERE name = 'ANIMAL'") == [(0,)]
    result = _run("import", project, source, "--add-labels")
    assert result.exit_code == 0, result.output
    [(kind, color)] = _rows(project, "SELECT kind, color FROM labels WHERE name = 'ANIMAL'")
    assert kind == "entity" and color.startswith("#")
    assert _rows(project, "SELECT text FROM spans") == [("zebra",)]


def test_cli_import_csv_text_column(tmp_path):
    project = tmp_path / "p.annotator"
    table = tmp_path / "t.csv"
    table.write_text('id,title,body\n1,First,"Hello, world"\n2,Second,"Line one\nline two"\n', encoding="utf-8")
    result = _run("import", project, table, "--format", "csv", "--text-column", "body")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2 added")
    assert _rows(project, "SELECT title, text FROM documents ORDER BY position") == [
        ("First", "Hello, world"), ("Second", "Line one\nline two")]


def test_cli_import_folder(tmp_path):
    project = tmp_path / "p.annotator"
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text("First plain article.", encoding="utf-8")
    (folder / "sub" / "two.txt").write_text("Second plain article.", encoding="utf-8")
    _jsonl(folder / "three.jsonl", GOOD[:1])
    result = _run("import", project, folder)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("3 added")
    texts = {t for (t,) in _rows(project, "SELECT text FROM documents")}
    assert texts == {"First plain article.", "Second plain article.", GOOD[0]["text"]}


def test_cli_import_unknown_format(tmp_path):
    project = tmp_path / "p.annotator"
    source = _jsonl(tmp_path / "a.jsonl", GOOD)
    result = _run("import", project, source, "--format", "xml")
    assert result.exit_code == 2
    assert "unknown format 'xml'" in result.stderr and "jsonl" in result.stderr
    assert not project.exists()


def test_cli_import_missing_input(tmp_path):
    result = _run("import", tmp_path / "p.annotator", tmp_path / "nope.jsonl")
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


@pytest.mark.parametrize("content", [b"my notes\n", b"\x00garbage\xff" * 100])
def test_cli_import_not_a_project_exit_3(tmp_path, content):
    target = tmp_path / "notes.annotator"
    target.write_bytes(content)
    result = _run("import", target, _jsonl(tmp_path / "a.jsonl", GOOD))
    assert result.exit_code == 3
    assert "not an annotator project" in result.stderr
    assert target.read_bytes() == content


@pytest.mark.parametrize("command", ["stats", "labels"])
def test_cli_import_other_commands_not_a_project_exit_3(tmp_path, command):
    target = tmp_path / "notes.txt"
    target.write_text("hello\n")
    result = _run(command, target)
    assert result.exit_code == 3
    assert result.stderr.startswith("error: ") and "not an annotator project" in result.stderr


def test_cli_import_stats_text_and_json(tmp_path):
    project = tmp_path / "p.annotator"
    _run("import", project, _jsonl(tmp_path / "a.jsonl", GOOD))
    result = _run("stats", project)
    assert result.exit_code == 0
    assert "documents: 3 (0 done, 3 todo, 0 skipped)" in result.stdout
    result = _run("stats", project, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["documents"] == {"total": 3, "todo": 3, "done": 0, "skipped": 0}
    assert data["spans"]["GPE"]["accepted"] == 2 and data["spans"]["PERSON"]["accepted"] == 1
    assert data["project"] == str(project)


def test_cli_import_new_with_scheme(tmp_path):
    scheme = tmp_path / "s.toml"
    scheme.write_text('[[labels]]\nname = "HERO"\nkey = "h"\ncolor = "#102030"\n', encoding="utf-8")
    project = tmp_path / "p.annotator"
    result = _run("new", project, "--scheme", scheme)
    assert result.exit_code == 0, result.output
    assert _rows(project, "SELECT name, color, shortcut FROM labels") == [("HERO", "#102030", "h")]
    again = _run("new", project)
    assert again.exit_code == 3 and "already exists" in again.stderr


def test_cli_import_new_with_bad_scheme(tmp_path):
    scheme = tmp_path / "s.toml"
    scheme.write_text('[[labels]]\nname = "HERO"\ncolor = "red"\n', encoding="utf-8")
    project = tmp_path / "p.annotator"
    result = _run("new", project, "--scheme", scheme)
    assert result.exit_code == 2
    assert f"{scheme}: labels[0].color: " in result.stderr
    assert not project.exists()


def test_cli_import_new_default_scheme(tmp_path):
    project = tmp_path / "p.annotator"
    result = _run("new", project)
    assert result.exit_code == 0
    assert _rows(project, "SELECT count(*) FROM labels") == [(11,)]


@pytest.mark.parametrize(("option", "title"), [([], "Port strike ends after ten days"),
                                               (["--title-from", "filename"], "3f9a2c"),
                                               (["--title-from", "first-line"], "Port strike ends after ten days")])
def test_cli_import_text_title_from_the_first_line(tmp_path, option, title):
    article = tmp_path / "3f9a2c.txt"
    article.write_text("Port strike ends after ten days\n\nDock workers voted on Monday.", encoding="utf-8")
    project = tmp_path / "p.annotator"
    result = _run("import", project, article, *option)
    assert result.exit_code == 0, result.output
    assert _rows(project, "SELECT title, source, text FROM documents") == [
        (title, str(article), "Port strike ends after ten days\n\nDock workers voted on Monday.")]


def test_cli_import_title_from_refuses_an_unknown_choice(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("T\n\nbody", encoding="utf-8")
    result = _run("import", tmp_path / "p.annotator", article, "--title-from", "middle")
    assert result.exit_code == 2 and "--title-from" in result.output and not (tmp_path / "p.annotator").exists()
