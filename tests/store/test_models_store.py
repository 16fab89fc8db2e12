"""Suggestions written in bulk, trained model records and document scores (store/models.py)."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.suggestions import ClaimLabels, ClaimProposal, DocSuggestions, Proposal
from annotator.store import EditRefused, ProjectError

TEXT = "Anna Berg said the port of Oslo will close in May."


@pytest.fixture
def doc_id(project):
    from annotator.core.records import DocumentRecord
    from annotator.store.import_writer import ImportWriter, PreparedDocument

    with project.transaction():
        ImportWriter(project, None).write([PreparedDocument(DocumentRecord(text=TEXT, line=1, title="t"))])
    return next(project.db.query("SELECT id FROM documents"))["id"]


def rows(project):
    return [tuple(r.values()) for r in project.db.query(
        'SELECT start, "end", label, origin, state FROM span_view ORDER BY start, "end", label')]


def test_models_store_writes_suggestions_and_counts_what_it_left_out(project, doc_id):
    project.add_span(doc_id, 0, 9, "PERSON", annotator="ann")  # manual, accepted
    batch = [DocSuggestions(doc_id, TEXT, (Proposal(0, 9, "PERSON"),      # duplicate of the manual span
                                           Proposal(0, 4, "ORG"),         # overlaps an accepted entity
                                           Proposal(27, 31, "GPE"),       # new
                                           Proposal(46, 49, "DATE"),      # new
                                           Proposal(10, 14, "NOPE"),      # not a label of the project
                                           Proposal(40, 99, "DATE")))]    # outside the text: dropped
    written = project.write_suggestions(batch, "model:test")
    counts = written.counts
    assert (counts.added, counts.duplicates, counts.conflicts, counts.unknown_labels["NOPE"]) == (2, 1, 1, 1)
    assert rows(project) == [(0, 9, "PERSON", "manual", "accepted"), (27, 31, "GPE", "model:test", "suggested"),
                             (46, 49, "DATE", "model:test", "suggested")]
    # Run again: nothing piles up.
    again = project.write_suggestions(batch, "model:other")
    assert again.counts.added == 0 and again.counts.duplicates == 3
    # A rejected suggestion is a decision: not proposed again.
    gpe = next(s for s in project.spans(doc_id) if s.label == "GPE")
    project.set_span_state(gpe.id, "rejected")
    third = project.write_suggestions(batch, "model:test")
    assert third.counts.added == 0 and third.counts.rejected_before == 1
    assert project.integrity_check() == ["ok"]


def test_models_store_claim_suggestion_links_entity_cue_and_defaults(project, doc_id):
    person = project.add_span(doc_id, 0, 9, "PERSON")
    claim = ClaimProposal(content=(15, 49), cue=(10, 14), claimant=(0, 9), values=(("quote_type", "indirect"),))
    written = project.write_suggestions([DocSuggestions(doc_id, TEXT, (), (claim,))], "pattern:cues",
                                        claim_labels=ClaimLabels("CLAIM", "CUE", "SOURCE"))
    assert written.counts.claims == 1 and written.counts.added == 2  # content + cue
    [stored] = project.claims(doc_id)
    assert stored.content.state == "suggested" and stored.content.text == "the port of Oslo will close in May"
    assert stored.claimant.id == person.id and stored.cue.text == "said"
    assert stored.values == {"quote_type": "indirect", "verdict": "unverified"}
    assert project.claim_parts(stored.content.id) == [stored.cue.id]
    # The same claim again: refused as a duplicate, no second claim row.
    project.write_suggestions([DocSuggestions(doc_id, TEXT, (), (claim,))], "pattern:cues",
                              claim_labels=ClaimLabels("CLAIM", "CUE", "SOURCE"))
    assert project.claim_count() == 1


def test_models_store_claimant_without_entity_becomes_source_or_text(project, doc_id):
    claim = ClaimProposal(content=(15, 49), cue=(10, 14), claimant=(0, 9))
    project.write_suggestions([DocSuggestions(doc_id, TEXT, (), (claim,))], "pattern:cues",
                              claim_labels=ClaimLabels("CLAIM", None, "SOURCE"))
    [stored] = project.claims(doc_id)
    assert stored.claimant.label == "SOURCE" and stored.claimant.state == "suggested" and stored.cue is None
    project.clear_suggestions([doc_id])
    assert project.claims(doc_id) == [] and project.suggestion_count() == 0
    project.write_suggestions([DocSuggestions(doc_id, TEXT, (), (claim,))], "pattern:cues",
                              claim_labels=ClaimLabels("CLAIM"))
    [stored] = project.claims(doc_id)
    assert stored.claimant is None and stored.claimant_text == "Anna Berg"


def test_models_store_a_batch_is_one_transaction(project, doc_id, monkeypatch):
    batch = [DocSuggestions(doc_id, TEXT, (Proposal(27, 31, "GPE"), Proposal(46, 49, "DATE")))]
    original = project._insert_suggestion
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return original(*args)

    monkeypatch.setattr(project, "_insert_suggestion", failing)
    with pytest.raises(ProjectError, match="could not be read or written"):  # the store's words for it
        project.write_suggestions(batch, "model:test")
    assert project.suggestion_count() == 0


def test_models_store_refuses_manual_origin(project, doc_id):
    with pytest.raises(ProjectError):
        project.write_suggestions([DocSuggestions(doc_id, TEXT)], "manual")


def test_models_store_model_records_and_uncertain_order(project, doc_id):
    model = project.add_model("ner-1", "/tmp/m", components=["ner"], documents=3,
                              scores={"per_label": {"ner": {"GPE": {"p": 1.0, "r": 0.5, "f": 0.667}}}})
    assert project.models() == [model] and model.per_label() == [("ner", "GPE", 1.0, 0.5, 0.667)]
    assert model.path == "/tmp/m"  # outside the project's folder: kept absolute
    assert project.unique_model_name("ner-1") == "ner-1-2"
    with pytest.raises(ProjectError):
        project.add_model("ner-1", "/x", components=[], documents=0, scores={})
    assert project.next_uncertain_document(model.id) is None
    project.set_document_scores(model.id, {doc_id: 0.4})
    assert project.next_uncertain_document(model.id) == doc_id
    assert project.next_uncertain_document(model.id, current=doc_id) is None
    assert project.latest_scored_model() == model
    project.remove_model("ner-1")
    assert project.models() == [] and project.scored_document_count(model.id) == 0


def test_models_store_suggestion_documents_pages_in_list_order(project, doc_id):
    page = project.suggestion_documents("todo", limit=10)
    assert [(i, t) for _p, i, t in page] == [(doc_id, TEXT)]
    assert project.suggestion_documents("todo", after=page[-1][:2]) == []
    project.set_status(doc_id, "done")
    assert project.suggestion_documents("todo") == [] and len(project.suggestion_documents("all")) == 1
    with pytest.raises(ProjectError):
        project.suggestion_documents("some")


def test_models_store_add_span_still_refuses_what_suggestions_skip(project, doc_id):
    project.write_suggestions([DocSuggestions(doc_id, TEXT, (Proposal(27, 31, "GPE"),))], "model:test")
    with pytest.raises(EditRefused):
        project.add_span(doc_id, 27, 31, "GPE", state="suggested", origin="model:x")


def test_models_store_model_beside_the_project_moves_with_it(tmp_path):
    import shutil

    from annotator.store import Project

    path = tmp_path / "a" / "news.annotator"
    path.parent.mkdir()
    with Project.create(path) as project:
        folder = path.parent / "news.models" / "m" / "model-best"
        project.add_model("m", str(folder), components=["ner"], documents=1, scores={})
        assert project.model("m").path == str(folder.resolve())
        assert next(project.db.query("SELECT path FROM models"))["path"] == "news.models/m/model-best"
    shutil.move(str(tmp_path / "a"), str(tmp_path / "b"))
    with Project.open(tmp_path / "b" / "news.annotator") as moved:
        assert moved.model("m").path == str((tmp_path / "b" / "news.models" / "m" / "model-best").resolve())
