"""Claim statistics, claimant groups, unmerging and claim removal in the store."""

from __future__ import annotations

import pytest
from ui_free_docs import add_document

from annotator.core.model import ClaimAttribute, Label, Scheme
from annotator.store import Project
from annotator.store.claims import ClaimantLink

TEXT = "Antonov said Russia would respond. Anatoly Antonov denied it. Tass cited sources."


def _at(part: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.fixture
def filled(project):
    doc = add_document(project, TEXT)
    other = add_document(project, "Antonov spoke again. " + TEXT)
    a = project.add_claim(doc, *_at("Russia would respond"), "CLAIM")
    b = project.add_claim(doc, *_at("denied it"), "CLAIM")
    c = project.add_claim(other, 0, 7, "CLAIM")
    antonov = project.add_span(doc, *_at("Antonov"), "PERSON")
    said = project.add_span(doc, *_at("said"), "CUE")
    project.set_claimant(a.id, ClaimantLink(span_id=antonov.id))
    project.set_cue(a.id, said.id)
    project.set_claimant(b.id, ClaimantLink(text="Anatoly Antonov"))
    project.set_claimant(c.id, ClaimantLink(text="Antonov"))
    project.set_claim_value(a.id, "stance", "asserts")
    project.set_claim_value(b.id, "stance", "denies")
    project.set_claim_value(a.id, "note", "first")
    return project, (doc, other), (a, b, c)


def test_claim_stats_counts_labels_links_and_every_choice(filled):
    project, _docs, _claims = filled
    stats = project.claim_stats()
    assert stats["total"] == 3 and stats["by_label"] == {"CLAIM": 3}
    assert stats["claimant"] == {"span": 1, "text": 2, "none": 0} and stats["cue"] == 1
    stance = stats["attributes"]["stance"]
    assert stance["values"] == {"asserts": 1, "denies": 1, "hedges": 0, "questions": 0}
    assert (stance["set"], stance["unset"]) == (2, 1)
    assert stats["attributes"]["verdict"]["values"]["unverified"] == 3  # the scheme's default
    assert stats["attributes"]["note"] == {"title": "Note", "kind": "text", "required": False, "values": {},
                                           "set": 1, "unset": 2}
    assert stats["missing_required"] == 0
    assert project.stats()["claim_details"] == stats and project.stats()["claims"] == 3


def test_claim_stats_empty_project(project):
    stats = project.claim_stats()
    assert stats["total"] == 0 and stats["by_label"] == {"CLAIM": 0}
    assert stats["attributes"]["stance"]["values"]["asserts"] == 0


def test_claim_stats_custom_scheme_required_attribute_and_label(tmp_path):
    scheme = Scheme(
        labels=(Label("PERSON", key="1"), Label("CLAIM", "claim", key="c"), Label("PREDICTION", "claim", key="p")),
        attributes=(ClaimAttribute("confidence", "Confidence", "choice", ("low", "high"), required=True, key="f"),),
    )
    with Project.create(tmp_path / "custom.annotator", scheme) as project:
        doc = add_document(project, TEXT)
        first = project.add_claim(doc, 0, 7, "PREDICTION")
        project.add_claim(doc, 8, 12, "CLAIM")
        project.set_claim_value(first.id, "confidence", "high")
        stats = project.claim_stats()
        assert stats["by_label"] == {"CLAIM": 1, "PREDICTION": 1}
        assert stats["missing_required"] == 1
        assert stats["attributes"]["confidence"]["values"] == {"low": 0, "high": 1}


def test_claim_stats_claimant_groups_and_unmerge(filled):
    project, _docs, _claims = filled
    project.merge_claimants(["Antonov"], "Anatoly Antonov")
    [group] = project.claimant_groups()
    assert (group.canonical, group.claims, group.documents) == ("Anatoly Antonov", 3, 2)
    assert {n.name: n.claims for n in group.names} == {"Antonov": 2, "Anatoly Antonov": 1}
    # Unmerging the canonical name lets go of its aliases; the return value undoes it.
    previous = project.unmerge_claimants(["Anatoly Antonov"])
    assert previous == {"Antonov": "Anatoly Antonov"}
    assert sorted((g.canonical, g.claims) for g in project.claimant_groups()) == [
        ("Anatoly Antonov", 1), ("Antonov", 2)]
    project.set_claimant_aliases(previous)
    assert project.canonical_claimant("Antonov") == "Anatoly Antonov"
    assert project.unmerge_claimants(["Antonov"]) == {"Antonov": "Anatoly Antonov"}
    assert project.unmerge_claimants(["nobody"]) == {}


def test_claim_stats_delete_and_restore_claim_keeps_the_span(filled):
    project, (doc, _other), (a, _b, _c) = filled
    row, values = project.delete_claim(a.id)
    assert project.claim_for_span(a.content.id) is None
    assert project.span(a.content.id).label == "CLAIM"
    restored = project.restore_claim(row, values)
    assert restored == project.claim(a.id)
    assert restored.values == a.values | {"stance": "asserts", "note": "first"}
    assert restored.claimant is not None and restored.claimant.text == "Antonov" and restored.cue is not None


def test_claim_stats_claim_on_a_span_of_another_kind_is_counted_under_its_label(filled):
    """A claim whose content span has an entity label (an imported file, a label's kind changed):
    the count from the claim labels' index misses it, so every claim is followed to its span."""
    project, _docs, (a, _b, _c) = filled
    person = project.label_ids()["PERSON"]
    with project.transaction():
        project.db.execute("UPDATE spans SET label_id = ? WHERE id = ?", [person, a.content.id])
    stats = project.claim_stats()
    assert stats["total"] == 3 and stats["by_label"] == {"PERSON": 1, "CLAIM": 2}
