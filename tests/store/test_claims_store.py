"""Claims in the store: defaults, links, values, aliases; everything returns what undo needs."""

from __future__ import annotations

import pytest
from ui_free_docs import add_document

from annotator.store import EditRefused
from annotator.store.claims import ClaimantLink

TEXT = "Ministers said on Tuesday that the fund was “within reach”, according to diplomats."


def _at(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


@pytest.fixture
def doc_id(project):
    return add_document(project, TEXT)


def test_claims_store_create_fills_scheme_defaults(project, doc_id):
    claim = project.add_claim(doc_id, *_at("the fund was “within reach”"), "CLAIM", annotator="ana")
    assert claim.values == {"verdict": "unverified"}
    assert claim.content.text == "the fund was “within reach”" and claim.label == "CLAIM"
    assert project.claims(doc_id) == [claim]


def test_claims_store_refuses_non_claim_labels_and_bad_values(project, doc_id):
    span = project.add_span(doc_id, *_at("Ministers"), "PERSON")
    with pytest.raises(EditRefused, match="not a claim label"):
        project.create_claim(span.id)
    claim = project.add_claim(doc_id, *_at("the fund"), "CLAIM")
    with pytest.raises(EditRefused, match="not one of"):
        project.set_claim_value(claim.id, "stance", "shouts")
    with pytest.raises(EditRefused, match="no claim attribute"):
        project.set_claim_value(claim.id, "mood", "x")
    with pytest.raises(EditRefused, match="its own"):
        project.set_cue(claim.id, claim.content.id)


def test_claims_store_setters_return_previous_values(project, doc_id):
    ministers = project.add_span(doc_id, *_at("Ministers"), "NORP")
    cue = project.add_span(doc_id, *_at("said"), "CUE")
    claim = project.add_claim(doc_id, *_at("the fund was “within reach”"), "CLAIM")
    assert project.set_claimant(claim.id, ClaimantLink(span_id=ministers.id)) == ClaimantLink()
    assert project.set_claimant(claim.id, ClaimantLink(text="diplomats")) == ClaimantLink(span_id=ministers.id)
    assert project.set_cue(claim.id, cue.id) is None
    assert project.set_claim_value(claim.id, "note", "first pass") is None
    assert project.set_claim_value(claim.id, "note", None) == "first pass"
    stored = project.claim(claim.id)
    assert stored.claimant is None and stored.claimant_text == "diplomats" and stored.cue == cue
    assert stored.claimant_name == "diplomats" and "note" not in stored.values


def test_claims_store_other_document_span_is_refused(project, doc_id):
    other = add_document(project, "Another text entirely.")
    elsewhere = project.add_span(other, 0, 7, "PERSON")
    claim = project.add_claim(doc_id, *_at("the fund"), "CLAIM")
    with pytest.raises(EditRefused, match="same document"):
        project.set_claimant(claim.id, ClaimantLink(span_id=elsewhere.id))


def test_claims_store_alias_merge_and_counts(project, doc_id):
    for start, claimant in enumerate(("Antonov", "Anatoly Antonov", "Antonov", "Tass")):
        claim = project.add_claim(doc_id, start, start + 1, "CLAIM")
        project.set_claimant(claim.id, ClaimantLink(text=claimant))
    previous = project.merge_claimants(["Antonov"], "Anatoly Antonov")
    assert previous == {"Antonov": None, "Anatoly Antonov": None}
    counts = {c.name: (c.canonical, c.claims) for c in project.claimant_counts()}
    assert counts == {"Antonov": ("Anatoly Antonov", 2), "Anatoly Antonov": ("Anatoly Antonov", 1),
                      "Tass": ("Tass", 1)}
    # Merging the canonical into another name carries its aliases along.
    project.merge_claimants(["Anatoly Antonov"], "A. Antonov")
    assert project.canonical_claimant("Antonov") == "A. Antonov"
    rows = list(project.db.query("SELECT claimant, canonical_claimant FROM claim_view ORDER BY id"))
    assert {r["canonical_claimant"] for r in rows} == {"A. Antonov", "Tass"}
    project.set_claimant_aliases(previous)
    assert project.canonical_claimant("Antonov") == "Antonov"
