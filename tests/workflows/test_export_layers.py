"""Export and layers: one layer per export, chosen or the only one; its statuses select documents."""

from __future__ import annotations

import json

import pytest

from annotator.workflows.exporting import ExportError, ExportOptions, export_project

from export_projects import make_project


def _labels(path) -> list[list]:
    return [row["label"] for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())]


def test_export_layers_refused_with_several_and_no_choice_lists_them(tmp_path):
    with make_project(tmp_path, 3) as project:  # imported with no annotator: the unattributed layer
        first = next(project.db.query("SELECT id FROM documents ORDER BY position"))["id"]
        project.add_span(first, 0, 7, "PERSON", annotator="alice")
        with pytest.raises(ExportError) as refused:
            export_project(project, tmp_path / "x.jsonl", ExportOptions(format="doccano"))
        message = str(refused.value)
        assert "2 annotators' layers: alice (1 spans, 0 document labels); (no annotator) (9 spans" in message
        assert "--annotator ''" in message
        assert not (tmp_path / "x.jsonl").exists()
        nobody = export_project(project, tmp_path / "nobody.jsonl", ExportOptions(format="doccano", annotator=""))
        assert nobody.documents == 3 and len(_labels(tmp_path / "nobody.jsonl")[0]) == 3
        alice = export_project(project, tmp_path / "alice.jsonl", ExportOptions(format="doccano", annotator="alice"))
        assert _labels(tmp_path / "alice.jsonl") == [[[0, 7, "PERSON"]], [], []]
        assert alice.summary["selection"]["annotator"] == "alice"


def test_export_layers_documents_chosen_by_the_layers_own_status(tmp_path):
    with make_project(tmp_path, 4, statuses=("todo",), annotator="bob") as project:
        ids = [r["id"] for r in project.db.query("SELECT id FROM documents ORDER BY position")]
        project.set_own_annotator("bob")
        project.add_span(ids[0], 0, 7, "PERSON", annotator="carol")
        project.set_status(ids[2], "done", annotator="carol")  # carol's own status, not the project's
        project.set_status(ids[1], "done")  # bob's (the project's)
        carol = export_project(project, tmp_path / "c.jsonl", ExportOptions(format="doccano", annotator="carol"))
        assert carol.documents == 1 and "Person2" in (tmp_path / "c.jsonl").read_text(encoding="utf-8")
        bob = export_project(project, tmp_path / "b.jsonl", ExportOptions(format="doccano", annotator="bob"))
        assert bob.documents == 1 and "Person1" in (tmp_path / "b.jsonl").read_text(encoding="utf-8")


def test_export_layers_the_only_layer_uses_its_annotators_status(tmp_path):
    with make_project(tmp_path, 3, statuses=("todo",), annotator="dana") as project:
        ids = [r["id"] for r in project.db.query("SELECT id FROM documents ORDER BY position")]
        project.add_annotator("erin")
        project.set_own_annotator("erin")  # the file is erin's; dana's statuses are her own from now on
        project.set_status(ids[1], "done", annotator="dana")
        result = export_project(project, tmp_path / "d.jsonl", ExportOptions(format="doccano"))
        assert result.documents == 1 and "Person1" in (tmp_path / "d.jsonl").read_text(encoding="utf-8")
        assert result.summary["selection"]["annotator"] is None
