"""The annotator-layers migration: a project made before it keeps every annotation and status."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.store import Project
from annotator.store import migrations

LAYERS = next(m for m in migrations.MIGRATIONS if m.description.startswith("annotator layers"))


def _old_project(path, monkeypatch, annotators: list[str]):
    """A project at the schema just before the layers migration, with two documents, spans
    by each annotator (and one by nobody), a document label each, and statuses."""
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", [m for m in migrations.MIGRATIONS if m.version < LAYERS.version])
        patch.setattr(migrations, "LATEST_VERSION", LAYERS.version - 1)
        project = Project.create(path)
        db = project.db
        with project.transaction():
            for i, text in enumerate(["Ann Lee spoke in Paris.", "Bo Chen left Rome."]):
                db.execute("INSERT INTO documents (id, text, content_hash, position, status, created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, 'then', 'then')", [i + 1, text, f"h{i}", i, ("done", "skipped")[i]])
            person = project.label_ids()["PERSON"]
            db.execute("INSERT INTO labels (name, kind, color, position) VALUES ('NEWS', 'doc', '#888888', 99)")
            news = project.label_ids()["NEWS"]
            for n, name in enumerate(annotators, start=1):
                db.execute("INSERT INTO annotators (id, name, created_at) VALUES (?, ?, 'then')", [n, name])
                db.execute('INSERT INTO spans (doc_id, start, "end", label_id, text, annotator_id, created_at,'
                           " updated_at) VALUES (1, 0, 7, ?, 'Ann Lee', ?, 'then', 'then')", [person, n])
                db.execute("INSERT INTO doc_labels (doc_id, label_id, annotator_id, created_at)"
                           " VALUES (?, ?, ?, 'then')", [n, news, n])
            db.execute('INSERT INTO spans (doc_id, start, "end", label_id, text, created_at, updated_at)'
                       " VALUES (2, 0, 7, ?, 'Bo Chen', 'then', 'then')", [person])
        project.close()


@pytest.mark.parametrize("annotators", [["alice"], ["alice", "bob"], []])
def test_migration_layers_keeps_annotations_and_statuses(tmp_path, monkeypatch, annotators):
    path = tmp_path / "old.annotator"
    _old_project(path, monkeypatch, annotators)
    with Project.open(path) as project:
        assert migrations.schema_version(project.db) == migrations.LATEST_VERSION
        everyone = project.annotator_list()
        assert [a.name for a in everyone] == annotators
        assert len({a.uuid for a in everyone}) == len(annotators)
        # Exactly one annotator: the project becomes theirs; otherwise nobody's.
        assert [a.name for a in everyone if a.own] == (annotators if len(annotators) == 1 else [])
        for name in annotators:
            assert project.document_status(1, name) == "done" and project.document_status(2, name) == "skipped"
            assert [s.text for s in project.layer_spans(1, name)] == ["Ann Lee"]
        assert [s.text for s in project.layer_spans(2, "")] == ["Bo Chen"]
        assert sorted(project.doc_labels(1)) == (["NEWS"] if annotators else [])
        view = list(project.db.query("SELECT doc_id, annotator, status FROM annotator_status ORDER BY 1, 2"))
        assert view == [{"doc_id": d, "annotator": a, "status": s} for d, s in ((1, "done"), (2, "skipped"))
                        for a in sorted(annotators)]
        assert [r["annotator"] for r in project.db.query("SELECT annotator FROM span_view ORDER BY id")] == [
            *annotators, None]
        assert next(project.db.query("PRAGMA foreign_keys"))["foreign_keys"] == 1
        assert list(project.db.query("PRAGMA foreign_key_check")) == []


def test_migration_layers_names_may_repeat_after_it(project):
    project.add_annotator("alex")
    project.add_annotator("alex")
    with pytest.raises(sqlite3.IntegrityError):
        project.db.execute("INSERT INTO annotators (uuid, name, created_at) VALUES (?, 'x', 'now')",
                           [project.annotator_list()[0].uuid])
    # One document label per document, label and layer: two layers may both put it on.
    project.db.execute("INSERT INTO documents (id, text, content_hash, position, created_at, updated_at)"
                       " VALUES (1, 'x', 'h', 0, 'now', 'now')")
    first, second = (a.id for a in project.annotator_list())
    insert = "INSERT INTO doc_labels (doc_id, label_id, annotator_id, created_at) VALUES (1, 1, ?, 'now')"
    for annotator_id in (first, second, None):
        project.db.execute(insert, [annotator_id])
    for annotator_id in (first, None):
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            project.db.execute(insert, [annotator_id])
