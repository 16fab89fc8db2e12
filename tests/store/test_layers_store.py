"""Annotators, layers and per-annotator status in the store (store/annotators.py, store/layers.py)."""

from __future__ import annotations

import dataclasses

import pytest

from annotator.core.model import Label
from annotator.core.team import Layer, scheme_fingerprint
from annotator.store import EditRefused, ProjectError

TEXTS = ["Ann Lee met Bo Chen in Paris.", "Rome is far from Oslo.", "Cy Dow stayed home."]


@pytest.fixture
def docs(project):
    from ui_free_docs import add_document

    return [add_document(project, text, status=status) for text, status in zip(TEXTS, ("done", "todo", "skipped"))]


# ------------------------------------------------------------------ annotators
def test_layers_store_namesakes_are_two_annotators_told_apart_by_ref(project):
    first, second = project.add_annotator("alex"), project.add_annotator("alex")
    assert first.uuid != second.uuid
    refs = project.annotators()
    assert len(set(refs)) == 2 and all(ref.startswith("alex#") for ref in refs)
    with pytest.raises(ProjectError, match="2 annotators are called 'alex'; choose one of alex#"):
        project.find_annotator("alex")
    assert project.find_annotator(refs[1]).uuid == second.uuid
    assert project.find_annotator(second.uuid).ref == refs[1]
    with pytest.raises(ProjectError, match="no annotator named 'sam'"):
        project.find_annotator("sam")
    # The project's own annotator wins the plain name.
    project.set_own_annotator(refs[0])
    assert project.find_annotator("alex").uuid == first.uuid


def test_layers_store_annotator_known_from_another_file_keeps_its_uuid(project):
    alice = project.add_annotator("alice", "5a1f0c3e-98b2-4c4e-9a55-9f2d3a4b5c6d", "2026-01-02T03:04:05.000000Z")
    assert project.annotator_id("alice") == alice.id
    with pytest.raises(ProjectError, match="already in this project"):
        project.add_annotator("alicia", alice.uuid)
    with pytest.raises(ProjectError, match="must not start or end"):
        project.add_annotator(" alice")


# ------------------------------------------------------------------ statuses
def test_layers_store_status_is_per_annotator_once_they_set_one(project, docs):
    # In a file that is nobody's own copy, a new name shares the project's status (as before layers) ...
    project.add_annotator("bob")
    assert [project.document_status(d, "bob") for d in docs] == ["done", "todo", "skipped"]
    assert project.set_status(docs[1], "done", annotator="bob") == "todo"
    assert project.find_annotator("bob").separate_status
    # ... until he sets one: then the rest of his stay what they were, the project's are untouched.
    project.add_annotator("alice")
    project.set_own_annotator("alice")
    assert [project.document_status(d, "bob") for d in docs] == ["done", "done", "skipped"]
    assert [project.document_status(d, "alice") for d in docs] == ["done", "todo", "skipped"]
    assert [project.document_status(d) for d in docs] == ["done", "todo", "skipped"]
    project.set_status(docs[0], "todo", annotator="alice")
    assert project.document_status(docs[0], "bob") == "done"
    assert project.document_count("done", annotator="bob") == 2
    assert project.document_count("done", annotator="alice") == 0 == project.document_count("done")
    assert [s.status for s in project.document_summaries(0, 10, annotator="bob")] == ["done", "done", "skipped"]
    assert [s.id for s in project.document_summaries(0, 10, "done", annotator="bob")] == docs[:2]
    assert project.document_row(docs[1], "done", annotator="bob") == 1
    assert project.document_row(docs[1], "done") is None
    assert project.next_document_with_status(docs[0], "done", annotator="bob") == docs[1]
    assert project.next_document_with_status(docs[0], "done") is None
    assert [s.id for s in project.search_documents("Rome", 0, 10, "done", annotator="bob")] == [docs[1]]
    assert project.search_count("Rome", "done") == 0
    assert project.statuses(docs[1]) == {"alice": "todo", "bob": "done"}
    view = {(r["annotator"], r["doc_id"]): r["status"] for r in project.db.query("SELECT * FROM annotator_status")}
    assert view[("bob", docs[1])] == "done" and view[("alice", docs[1])] == "todo"
    # In someone's own copy a guest has done nothing yet.
    project.add_annotator("guest")
    assert [project.document_status(d, "guest") for d in docs] == ["todo"] * 3


def test_layers_store_changing_the_own_annotator_moves_statuses_not_changes_them(project, docs):
    project.add_annotator("alice")
    project.add_annotator("bob")
    project.set_own_annotator("alice")
    project.set_status(docs[1], "done", annotator="bob")
    project.set_status(docs[2], "todo", annotator="alice")
    before = {name: [project.document_status(d, name) for d in docs] for name in ("alice", "bob")}
    assert project.set_own_annotator("bob").own
    assert project.own_annotator().name == "bob"
    assert {name: [project.document_status(d, name) for d in docs] for name in ("alice", "bob")} == before
    assert [project.document_status(d) for d in docs] == before["bob"]
    assert not project.find_annotator("bob").separate_status and project.find_annotator("alice").separate_status


def test_layers_store_editing_annotator_claims_a_project_nobody_owns(project, docs):
    assert project.editing_annotator(None) is None
    assert project.editing_annotator("carol") == "carol"
    assert project.own_annotator().name == "carol"
    assert project.editing_annotator(None) == "carol"
    assert project.editing_annotator("dave") == "dave"  # a guest in carol's copy
    assert project.own_annotator().name == "carol" and "dave" not in project.annotators()


def test_layers_store_editing_annotator_never_claims_for_someone_with_own_statuses(project, docs):
    project.add_annotator("erin")
    project.set_status(docs[1], "done", annotator="erin")  # erin has statuses of her own now
    assert project.editing_annotator("erin") == "erin"
    assert project.own_annotator() is None
    assert project.document_status(docs[1]) == "todo"  # the project's status is not overwritten


# ------------------------------------------------------------------ layers
def test_layers_store_entity_overlap_rule_holds_within_a_layer_only(project, docs):
    doc = docs[0]
    project.add_span(doc, 0, 7, "PERSON", annotator="alice")
    project.add_span(doc, 0, 3, "ORG", annotator="bob")  # another layer: allowed
    project.add_span(doc, 0, 7, "PERSON", annotator="carol")  # the same span in carol's layer too
    with pytest.raises(EditRefused, match="may not overlap"):
        project.add_span(doc, 4, 7, "ORG", annotator="alice")
    project.add_span(doc, 4, 7, "ORG")  # nobody's layer is free of alice's spans ...
    project.add_span(doc, 12, 19, "PERSON")  # ... and keeps the rule within itself
    with pytest.raises(EditRefused, match="may not overlap"):
        project.add_span(doc, 15, 19, "ORG")
    # A suggestion belongs to no layer: accepting it checks the decider's layer.
    suggestion = project.add_span(doc, 23, 28, "GPE", origin="model:m", state="suggested")
    project.add_span(doc, 23, 28, "LOC", annotator="alice")
    with pytest.raises(EditRefused):
        project.set_span_state(suggestion.id, "accepted", annotator="alice")
    project.set_span_state(suggestion.id, "accepted", annotator="bob")
    assert project.span(suggestion.id).annotator == "bob"


def test_layers_store_layers_and_layer_reads(project, docs):
    alice_person = project.add_span(docs[0], 0, 7, "PERSON", annotator="alice")
    project.add_claim(docs[0], 0, 28, "CLAIM", annotator="alice")
    project.add_span(docs[0], 0, 7, "PERSON", annotator="bob")
    project.add_span(docs[1], 0, 4, "GPE")
    project.add_span(docs[1], 17, 21, "GPE", origin="model:m", state="suggested")
    project.add_label(Label("SPORT", "doc"))
    project.set_doc_label(docs[2], "SPORT", True, annotator="bob")
    project.set_doc_label(docs[2], "SPORT", True, annotator="alice")
    project.set_own_annotator("bob")
    layers = project.layers()
    assert [(layer.title, layer.spans, layer.claims, layer.doc_labels, layer.documents) for layer in layers] == [
        ("bob", 1, 0, 1, 2), ("alice", 2, 1, 1, 2), ("(no annotator)", 1, 0, 0, 1)]
    assert isinstance(layers[0], Layer) and layers[-1].ref == "" and layers[0].annotator.own
    assert project.layer_holders() == [layer.annotator for layer in layers]  # the same, without counting
    assert [s.id for s in project.layer_spans(docs[0], "alice")][0] == alice_person.id
    assert [s.label for s in project.layer_spans(docs[0], "alice")] == ["PERSON", "CLAIM"]
    assert [s.text for s in project.layer_spans(docs[1], "")] == ["Rome"]
    assert [s.state for s in project.layer_spans(docs[1], "", suggestions=True)] == ["accepted", "suggested"]
    assert [s.state for s in project.layer_spans(docs[1], "bob", suggestions=True)] == ["suggested"]
    assert len(project.layer_claims(docs[0], "alice")) == 1 and project.layer_claims(docs[0], "bob") == []
    assert project.doc_labels(docs[2], "alice") == ["SPORT"] == project.doc_labels(docs[2])
    assert project.set_doc_label(docs[2], "SPORT", False, annotator="alice") is True
    assert project.doc_labels(docs[2], "alice") == [] and project.doc_labels(docs[2], "bob") == ["SPORT"]


def test_layers_store_assignment_and_progress(project, docs):
    project.assign({"alice": docs[:2], "bob": docs[1:]})
    assert project.assignment() == {"alice": docs[:2], "bob": docs[1:]}
    assert project.assigned_to(docs[1]) == ["alice", "bob"]
    project.set_own_annotator("alice")
    project.set_status(docs[1], "done", annotator="alice")  # bob has his own statuses since alice owns the file
    project.set_status(docs[2], "todo", annotator="bob")
    project.set_status(docs[1], "done", annotator="bob")
    project.add_span(docs[0], 0, 7, "PERSON", annotator="alice")
    progress = {p.annotator.name: p for p in project.progress()}
    assert (progress["alice"].assigned, progress["alice"].done, progress["alice"].skipped,
            progress["alice"].todo, progress["alice"].spans) == (2, 2, 0, 0, 1)
    assert (progress["bob"].total, progress["bob"].done, progress["bob"].skipped, progress["bob"].todo) == (2, 1, 0, 1)
    project.assign({"carol": docs[2:]})  # replaces the assignment
    assert project.assignment() == {"carol": docs[2:]}
    (carol,) = project.progress("carol")
    assert carol.assigned == 1 and carol.total == 1


def test_layers_store_scheme_fingerprint_ignores_colours_and_keys(project):
    before = project.scheme_fingerprint()
    project.update_label("PERSON", color="#123456", key="x")
    assert project.scheme_fingerprint() == before
    project.add_label(Label("SPORT", "doc"))
    assert project.scheme_fingerprint() != before
    scheme = project.scheme()
    relabelled = dataclasses.replace(scheme, labels=tuple(
        dataclasses.replace(label, kind="role") if label.name == "SPORT" else label for label in scheme.labels))
    assert scheme_fingerprint(relabelled) != scheme_fingerprint(scheme)
    fewer_choices = dataclasses.replace(scheme, attributes=tuple(
        dataclasses.replace(a, choices=a.choices[:-1]) if a.kind == "choice" else a for a in scheme.attributes))
    assert scheme_fingerprint(fewer_choices) != scheme_fingerprint(scheme)


def test_layers_store_layer_holders_are_the_counted_layers_without_counting(project, docs):
    """``layer_holders`` (what the window asks as it opens) names exactly the layers
    ``layers()`` counts, in its order: spans in any state of a named annotator, decided spans
    of nobody's, document labels alone; a suggestion of nobody's makes no layer."""
    def holders():
        return [a.ref if a else "" for a in project.layer_holders()]

    def counted():
        return [layer.ref for layer in project.layers()]

    assert holders() == counted() == []
    project.add_span(docs[1], 17, 21, "GPE", origin="model:m", state="suggested")  # nobody's suggestion
    assert holders() == counted() == []
    project.add_span(docs[1], 0, 4, "GPE", origin="model:m", state="suggested", annotator="dan")
    assert holders() == counted() == ["dan"]
    project.add_label(Label("SPORT", "doc"))
    project.set_doc_label(docs[2], "SPORT", True, annotator="erin")  # labels only
    project.add_span(docs[0], 0, 7, "PERSON", annotator="bob", state="rejected")
    project.add_span(docs[0], 12, 19, "PERSON")  # nobody's, accepted
    project.set_own_annotator("bob")
    assert holders() == counted() == ["bob", "dan", "erin", ""]
    project.set_doc_label(docs[0], "SPORT", True, annotator="bob")  # a document bob has a span in
    project.set_doc_label(docs[1], "SPORT", True, annotator="erin")
    documents = {layer.ref: layer.documents for layer in project.layers()}
    assert documents == {"bob": 1, "dan": 1, "erin": 2, "": 1}
