"""``annotator train`` through click's runner: epoch lines, the per-label table, the models row."""

from __future__ import annotations

from cli_driver import rows, run as _run
from suggest_helpers import tiny_project

from annotator.store import Project


def test_cli_train_prints_epochs_and_per_label_scores(tmp_path):
    path = tmp_path / "tiny.annotator"
    with Project.create(path) as project:
        tiny_project(project, 24)
    result = _run("train", path, "--epochs", "2", "--name", "first", "--output", tmp_path / "model")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("epoch")] == ["0", "1", "2"]
    assert any(line.startswith("ner        PERSON") for line in lines)
    assert "use it: annotator suggest" in result.stdout and "--model first" in result.stdout
    [(name, model_path, documents)] = rows(path, "SELECT name, path, documents FROM models")
    # Beside the project: stored relative to its folder, so they move together.
    assert (name, model_path, documents) == ("first", "model/output/model-best", 24)
    suggest = _run("suggest", path, "--model", "first", "--only", "all")
    assert suggest.exit_code == 0 and "(model first)" in suggest.stdout


def test_cli_train_refuses_without_done_documents(tmp_path):
    path = tmp_path / "todo.annotator"
    with Project.create(path) as project:
        tiny_project(project, 5, status="todo")
    result = _run("train", path)
    assert result.exit_code == 2 and "at least 2 done documents" in result.stderr
    result = _run("train", path, "--components", "parser")
    assert result.exit_code == 2 and "components must be among ner, spancat" in result.stderr
    assert not (tmp_path / "todo.models").exists() or not any((tmp_path / "todo.models").iterdir())
