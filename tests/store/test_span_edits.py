"""Span edits in the store: exact surface text, the NER rule, and lossless delete/restore."""

from __future__ import annotations

import pytest

from annotator.store import EditRefused
from annotator.store.claims import ClaimantLink

TEXT = "🌍 Anatoly Antonov said\r\nRussia's embassy “urged” Washington to act."


@pytest.fixture
def doc_id(project):
    from ui_free_docs import add_document

    return add_document(project, TEXT)


def _find(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_spans_add_stores_code_point_offsets_and_surface(project, doc_id):
    start, end = _find(TEXT, "Anatoly Antonov")
    span = project.add_span(doc_id, start, end, "PERSON", annotator="ana")
    assert (span.start, span.end) == (2, 17)  # the emoji counts one
    stored = project.span(span.id)
    assert stored.text == "Anatoly Antonov" and stored.annotator == "ana" and stored.origin == "manual"


@pytest.mark.parametrize("start, end", [(-1, 3), (5, 5), (7, 3), (0, len(TEXT) + 1), (True, 3), (1.0, 3)])
def test_spans_add_refuses_bad_ranges(project, doc_id, start, end):
    before = project.row_counts()
    with pytest.raises(EditRefused):
        project.add_span(doc_id, start, end, "PERSON")
    assert project.row_counts() == before


def test_spans_add_refuses_overlapping_entities_and_duplicates(project, doc_id):
    project.add_span(doc_id, *_find(TEXT, "Anatoly Antonov"), "PERSON")
    with pytest.raises(EditRefused, match="may not overlap"):
        project.add_span(doc_id, *_find(TEXT, "Antonov said"), "ORG")
    with pytest.raises(EditRefused, match="already tagged"):
        project.add_span(doc_id, *_find(TEXT, "Anatoly Antonov"), "PERSON")
    # Claims and role spans may overlap entities.
    project.add_span(doc_id, *_find(TEXT, "Antonov said"), "CLAIM")
    project.add_span(doc_id, *_find(TEXT, "said"), "CUE")


def test_spans_overlap_allowed_by_project_setting(project, doc_id):
    project.set_setting("allow_overlapping_entities", "1")
    project.add_span(doc_id, *_find(TEXT, "Anatoly Antonov"), "PERSON")
    project.add_span(doc_id, *_find(TEXT, "Antonov"), "PERSON")
    assert len(project.spans(doc_id)) == 2


def test_spans_suggestion_never_duplicates_or_overlaps_a_manual_span(project, doc_id):
    project.add_span(doc_id, *_find(TEXT, "Anatoly Antonov"), "PERSON")
    with pytest.raises(EditRefused):
        project.add_span(doc_id, *_find(TEXT, "Anatoly Antonov"), "PERSON", origin="model:x", state="suggested")
    with pytest.raises(EditRefused):
        project.add_span(doc_id, *_find(TEXT, "Antonov"), "ORG", origin="model:x", state="suggested")
    # Suggestions may compete with each other until one is accepted.
    a = project.add_span(doc_id, *_find(TEXT, "Washington"), "GPE", origin="model:x", state="suggested")
    b = project.add_span(doc_id, *_find(TEXT, "Washington to"), "ORG", origin="pattern:p.jsonl", state="suggested")
    assert project.set_span_state(a.id, "accepted") == "suggested"
    with pytest.raises(EditRefused, match="may not overlap"):
        project.set_span_state(b.id, "accepted")


def test_spans_relabel_and_resize_return_previous_values(project, doc_id):
    span = project.add_span(doc_id, *_find(TEXT, "Antonov"), "PERSON")
    assert project.relabel_span(span.id, "ORG") == "PERSON"
    assert project.resize_span(span.id, *_find(TEXT, "Anatoly Antonov")) == _find(TEXT, "Antonov")
    stored = project.span(span.id)
    assert (stored.label, stored.text) == ("ORG", "Anatoly Antonov")
    with pytest.raises(EditRefused, match="claim label"):
        project.relabel_span(span.id, "CLAIM")


def test_spans_delete_and_restore_bring_back_claim_links_with_same_ids(project, doc_id):
    person = project.add_span(doc_id, *_find(TEXT, "Anatoly Antonov"), "PERSON")
    cue = project.add_span(doc_id, *_find(TEXT, "urged"), "CUE")
    claim = project.add_claim(doc_id, *_find(TEXT, "Washington to act"), "CLAIM", values={"stance": "asserts"})
    project.set_claimant(claim.id, ClaimantLink(span_id=person.id))
    project.set_cue(claim.id, cue.id)
    before = project.row_counts()

    snapshot = project.delete_span(person.id)
    assert project.claim(claim.id).claimant is None  # unlinked, not dangling
    content_snapshot = project.delete_span(claim.content.id)  # deleting the content deletes the claim
    assert project.claims(doc_id) == []
    assert [s.label for s in project.spans(doc_id)] == ["CUE"]

    project.restore_span(content_snapshot)
    project.restore_span(snapshot)
    restored = project.claim(claim.id)
    assert restored.claimant.id == person.id and restored.cue.id == cue.id
    assert restored.values == {"stance": "asserts", "verdict": "unverified"}
    assert project.row_counts() == before
    assert project.integrity_check() == ["ok"]


def test_spans_ids_are_never_reused_after_delete(project, doc_id):
    span = project.add_span(doc_id, 0, 1, "PERSON")
    project.delete_span(span.id)
    again = project.add_span(doc_id, 0, 1, "PERSON")
    assert again.id != span.id


def test_spans_deciding_a_suggestion_stamps_who_decided_and_only_a_suggestion(project, doc_id):
    suggestion = project.add_span(doc_id, *_find(TEXT, "Washington"), "GPE", origin="model:x", state="suggested")
    manual = project.add_span(doc_id, *_find(TEXT, "Antonov"), "PERSON", annotator="bob")
    project.set_span_state(suggestion.id, "accepted", annotator="alice")
    assert project.span(suggestion.id).annotator == "alice"
    project.set_span_state(suggestion.id, "suggested", annotator="alice")  # undo: nobody's again
    assert project.span(suggestion.id).annotator is None
    project.set_span_state(suggestion.id, "rejected", annotator="carol")
    assert project.span(suggestion.id).annotator == "carol"
    project.set_span_state(manual.id, "rejected", annotator="alice")  # a hand-made span keeps its author
    assert project.span(manual.id).annotator == "bob"
