"""``annotator import`` under bad input: clean ``file:line: field:`` refusals (exit 2) with the
project unchanged, short quotes of long values, an empty file that is not a project, and a
summary that gives every file's outcome, each file committed on its own."""

from __future__ import annotations

import json

import pytest
from cli_driver import rows, run

from annotator.store import Project

GOOD_TASK = {"data": {"text": "Ann met Bob."}, "annotations": [{"result": [
    {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
     "value": {"start": 0, "end": 3, "text": "Ann", "labels": ["PERSON"]}}]}]}


def _task(result: list) -> dict:
    return {"data": {"text": "Ann met Bob in Rome."}, "annotations": [{"result": result}]}


def _ls(path, *tasks):
    path.write_text("[\n" + ",\n".join(json.dumps(t) for t in tasks) + "\n]\n", encoding="utf-8")
    return path


def _snapshot(path):
    return {t: rows(path, f"SELECT * FROM {t} ORDER BY 1") for t in ("documents", "spans", "labels", "claims")}


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.annotator"
    assert run("import", path, _ls(tmp_path / "seed.json", GOOD_TASK)).exit_code == 0
    return path


@pytest.mark.parametrize("result, field", [
    ([{"id": "r", "type": 5, "value": {"start": 0, "end": 3, "labels": ["PERSON"]}}],
     "annotations[0].result[0]"),  # type that is not a string: was AttributeError (endswith)
    ([{"type": "choices", "value": {"choices": 1.5}}],
     "annotations[0].result[0]"),  # choices that is not a list: was TypeError (float not iterable)
    ([{"type": ["labels"], "value": {"start": 0, "end": 3, "labels": ["PERSON"]}}],
     "annotations[0].result[0]"),
], ids=["type-number", "choices-float", "type-list"])
def test_cli_import_hardening_labelstudio_wrong_types_are_clean_refusals(project, tmp_path, result, field):
    before = _snapshot(project)
    source = _ls(tmp_path / "bad.json", GOOD_TASK, _task(result))
    done = run("import", project, source)
    assert done.exit_code == 2
    # The reader names the field itself (".type", ".value.choices"); the guard names the result.
    assert f"error: {source}:3: {field}" in done.stderr and "Traceback" not in done.stderr
    assert f"refused: {source}" in done.stderr
    assert _snapshot(project) == before


def test_cli_import_hardening_long_value_quoted_short(project, tmp_path):
    text = "Ann met Bob. " + "z" * 100_100
    source = _ls(tmp_path / "long.json", {"data": {"text": text}, "annotations": [{"result": [
        {"id": "r", "type": "labels", "value": {"start": 0, "end": len(text), "text": "y" * len(text),
                                                 "labels": ["PERSON"]}}]}]})
    done = run("import", project, source)
    assert done.exit_code == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert lines and max(len(line) for line in lines) < 600, [len(line) for line in lines]
    assert "(100,113 characters)" in done.stderr


def test_cli_import_hardening_empty_file_is_not_a_project(tmp_path):
    target = tmp_path / "empty.annotator"
    target.write_bytes(b"")
    done = run("import", target, _ls(tmp_path / "a.json", GOOD_TASK))
    assert done.exit_code == 3
    assert "empty (0 bytes), not an annotator project" in done.stderr
    assert target.read_bytes() == b""
    for command in ("stats", "labels"):
        assert run(command, target).exit_code == 3


def test_cli_import_hardening_summary_gives_each_file_and_commits_each(project, tmp_path):
    good = _ls(tmp_path / "a-good.json", {"data": {"text": "A first new article."}})
    bad = _ls(tmp_path / "b-bad.json", _task([{"type": 7}]))
    later = _ls(tmp_path / "c-later.json", {"data": {"text": "A later article."}})
    done = run("import", project, good, bad, later)
    assert done.exit_code == 2
    assert f"imported: {good}: 1 added" in done.stderr
    assert f"refused: {bad}: nothing from this file was imported" in done.stderr
    assert f"imported: {later}: 1 added" in done.stderr
    assert rows(project, "SELECT count(*) FROM documents") == [(3,)]


def test_cli_import_hardening_docbin_user_data_of_a_wrong_type(project, tmp_path):
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

    doc = Doc(Vocab(), words=["Ann", "met", "Bob"])
    doc.user_data["annotator"] = {"relations": 7, "title": "t"}  # was: TypeError in docbin_import
    path = tmp_path / "bad.spacy"
    DocBin(store_user_data=True, docs=[doc]).to_disk(path)
    before = _snapshot(project)
    done = run("import", project, path)
    assert done.exit_code == 2, done.stderr
    assert f'error: {path}:1: user_data["annotator"].relations: must be a list' in done.stderr
    assert _snapshot(project) == before


def test_cli_import_hardening_import_still_creates_a_new_project(tmp_path):
    path = tmp_path / "new.annotator"
    assert run("import", path, _ls(tmp_path / "a.json", GOOD_TASK)).exit_code == 0
    with Project.open(path, read_only=True) as opened:
        assert opened.document_count() == 1


def test_cli_import_hardening_webanno_tsv_2_is_named_not_read_as_a_table(project, tmp_path):
    # WebAnno 2's TSV has no #FORMAT line (it starts " # <layer> | <feature>"): guessed as a
    # table it got "no text column"; the user must learn what the file is and what to do.
    path = tmp_path / "old.tsv"
    path.write_text(" # de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity | value\n#id=1\n"
                    "#text=Ann met Bob .\n1-1\tAnn\tB-PER\t\n1-2\tmet\tO\t\n1-3\tBob\tB-PER\t\n1-4\t.\tO\t\n",
                    encoding="utf-8")
    before = _snapshot(project)
    result = run("import", project, path)
    assert result.exit_code == 2
    assert f"{path}:1: a WebAnno TSV 1/2 file (WebAnno 2 and older)" in result.output
    assert "WebAnno TSV v3.x" in result.output and "Traceback" not in result.output
    assert _snapshot(project) == before
