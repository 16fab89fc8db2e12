"""Deleting a label so that it can come back: spans, claims, links and document labels under
the same ids (the window's label edits are undoable)."""

from __future__ import annotations

import pytest

from annotator.core.model import Label
from annotator.core.records import DocumentRecord
from annotator.store import ProjectError
from annotator.store.claims import ClaimantLink
from annotator.store.import_writer import ImportWriter, PreparedDocument

TEXT = "Ana Souza said in Lisbon that prices would fall, a source added."


def at(part: str) -> tuple[int, int]:
    return TEXT.index(part), TEXT.index(part) + len(part)


def dump(project) -> dict:
    tables = ("labels", "spans", "claims", "claim_values", "doc_labels", "relations")
    return {t: [tuple(r.values()) for r in project.db.query(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in tables}


@pytest.fixture
def filled(project):
    with project.transaction():
        ImportWriter(project, "t").write([PreparedDocument(DocumentRecord(text=TEXT, line=1, title="One"))])
    doc_id = project.document_summaries(0, 1)[0].id
    project.add_label(Label("TOPIC", "doc"))
    project.set_doc_label(doc_id, "TOPIC", True)
    return project, doc_id


@pytest.mark.parametrize("name", ["CUE", "CLAIM", "PERSON", "TOPIC", "DATE"])
def test_label_history_remove_and_restore_is_exact(filled, name):
    project, doc_id = filled
    person = project.add_span(doc_id, *at("Ana Souza"), "PERSON", annotator="a")
    cue = project.add_span(doc_id, *at("said"), "CUE")
    other_cue = project.add_span(doc_id, *at("added"), "CUE")
    claim = project.add_claim(doc_id, *at("prices would fall"), "CLAIM")
    project.set_claimant(claim.id, ClaimantLink(span_id=person.id))
    project.set_cue(claim.id, cue.id)
    project.set_claim_value(claim.id, "stance", "denies")
    assert other_cue.id
    before = dump(project)
    snapshot = project.remove_label_saving(name)
    assert name not in {label.name for label in project.labels()}
    assert not list(project.db.query("SELECT 1 FROM spans WHERE label_id = ?", [snapshot.label["id"]]))
    restored = project.restore_label(snapshot)
    assert restored.name == name and restored.id == snapshot.label["id"]
    assert dump(project) == before


def test_label_history_restore_refuses_a_name_taken_meanwhile(filled):
    project, _doc_id = filled
    snapshot = project.remove_label_saving("DATE")
    project.add_label(Label("DATE"))
    with pytest.raises(ProjectError, match="exists again"):
        project.restore_label(snapshot)
