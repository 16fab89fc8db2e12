"""Imports assign ids themselves (for executemany); they must never reuse a deleted one."""

from __future__ import annotations

import json

from annotator.store import Project
from annotator.workflows.importing import import_paths


def _write(path, text, spans):
    path.write_text(json.dumps({"text": text, "spans": [{"start": s, "end": e, "label": "PERSON"} for s, e in spans]})
                    + "\n", encoding="utf-8")
    return path


def test_importing_ids_deleted_last_span_restores_after_another_import(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project:
        import_paths(project, [_write(tmp_path / "a.jsonl", "Ann and Bob", [(0, 3), (8, 11)])])
        (doc_id,) = [r["id"] for r in project.db.query("SELECT id FROM documents")]
        last = max(s.id for s in project.spans(doc_id))
        snapshot = project.delete_span(last)  # the highest span id: max(id) + 1 would hand it out again

        report = import_paths(project, [_write(tmp_path / "b.jsonl", "Cy met Di", [(0, 2), (7, 9)])])
        project.restore_span(snapshot)  # undo of the delete: needs its old id to be free

        assert report.ok and report.total("spans") == 2
        ids = [r["id"] for r in project.db.query("SELECT id FROM spans ORDER BY id")]
        assert len(ids) == len(set(ids)) == 4 and last in ids
        (new_doc,) = [r["id"] for r in project.db.query("SELECT id FROM documents WHERE text = 'Cy met Di'")]
        assert all(s.id > last for s in project.spans(new_doc))
