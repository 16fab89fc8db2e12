"""review --auto over a whole project: what agrees goes to gold, in bulk, once."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from review_projects import build, open_built, span_key

from annotator.core.review import UNDECIDED
from annotator.core.team import GOLD_UUID
from annotator.store import Project
from annotator.workflows.reviewing import (
    AutoReviewOptions,
    ReviewCancelled,
    ReviewError,
    auto_review,
    review_progress,
)


@pytest.fixture()
def project(tmp_path):
    with open_built(tmp_path / "review.annotator") as opened:
        yield opened


def gold(project):
    return sorted(tuple(r) for r in project.db.conn.execute(
        'SELECT doc_id, start, "end", label, state, decision, decided_by FROM gold_view'))


def test_review_auto_unanimous_copies_what_all_agree_on(project):
    result = auto_review(project, AutoReviewOptions("unanimous", reviewer="lead"))
    d0, d1, d2 = project.doc_ids
    assert gold(project) == [
        (d0, *span_key(0, "Lena Okafor", "PERSON"), "accepted", "auto unanimous", "lead"),
        (d1, *span_key(1, "Lyon", "GPE"), "accepted", "auto unanimous", "lead"),
        (d2, *span_key(2, "Ada Brook", "PERSON"), "accepted", "auto unanimous", "lead"),
        (d2, *span_key(2, "Norvik Labs", "ORG"), "accepted", "auto unanimous", "lead")]
    assert result.units == Counter({"entity": 4}) and result.spans == 4
    assert result.left == 7 and result.left_documents == 2  # 11 units, 4 agreed
    agreed = json.loads(project.db.conn.execute("SELECT agreed FROM gold_provenance LIMIT 1").fetchone()[0])
    assert agreed == [project.find_annotator(n).uuid for n in ("alice", "bob", "carol")]


def test_review_auto_majority_copies_majority_versions_and_claims(project):
    result = auto_review(project, AutoReviewOptions("majority", reviewer="lead"))
    d0 = project.doc_ids[0]
    rows = [r[1:6] for r in gold(project) if r[0] == d0]
    assert rows == [
        (*span_key(0, "Lena Okafor", "PERSON"), "accepted", "auto unanimous"),
        (*span_key(0, "Porto", "GPE"), "accepted", "auto majority"),
        (*span_key(0, "Monday", "DATE"), "accepted", "auto majority"),
        (*span_key(0, "May", "DATE"), "accepted", "auto majority")]
    # The claim has no exact majority (each annotator's differs somewhere): left for a person,
    # with the units most annotators lack ("Douro", "city council").
    assert result.left_by_state == Counter({"conflict": 1, "missing": 2})
    assert project.doc_labels(project.doc_ids[2], GOLD_UUID) == ["URGENT"]
    assert result.units == Counter({"entity": 7, "doc": 1})


def test_review_auto_majority_copies_a_claim_with_its_claimant_and_cue(tmp_path):
    claims = {"alice": ("Lena Okafor", "told", "asserts"), "bob": ("Lena Okafor", "told", "asserts"),
              "carol": ("city council", "according to", "hedges")}
    path = tmp_path / "p.annotator"
    ids = build(path, claims=claims)
    with Project.open(path) as project:
        result = auto_review(project, AutoReviewOptions("majority", reviewer="lead"))
        assert result.claims == 1
        row = project.db.conn.execute(
            "SELECT text, claimant, cue, (SELECT value FROM claim_values v WHERE v.claim_id = c.id AND"
            " attribute = 'stance') FROM claim_view c WHERE annotator_uuid = ?", [GOLD_UUID]).fetchone()
        assert row == ("the Douro bridge would reopen in May", "Lena Okafor", "told", "asserts")
        cue = project.db.conn.execute("SELECT decision FROM gold_view WHERE label = 'CUE'").fetchone()
        assert cue == ("with claim",)
        assert project.review_document(ids[0]).undecided == 2  # Douro, city council


def test_review_auto_twice_adds_nothing(project):
    auto_review(project, AutoReviewOptions("majority", reviewer="lead"))
    before = gold(project)
    again = auto_review(project, AutoReviewOptions("majority", reviewer="someone else"))
    assert gold(project) == before
    assert again.decided == 0 and again.spans == 0 and again.decided_before == 8


def test_review_auto_leaves_reviewed_documents_alone_and_redo_starts_them_over(project):
    d0 = project.doc_ids[0]
    unit = next(u for u in project.review_document(d0).units if u.state == "conflict" and u.group == "entity")
    project.accept_version(d0, unit.locator, "carol", "lead")
    project.set_reviewed(d0)
    result = auto_review(project, AutoReviewOptions("majority", reviewer="lead"))
    assert result.reviewed_skipped == 1 and result.documents == 2
    assert [r[3] for r in gold(project) if r[0] == d0] == ["LOC"]
    redo = auto_review(project, AutoReviewOptions("majority", documents=(d0,), redo=True, reviewer="lead"))
    assert redo.redone == 1
    assert [r[3] for r in gold(project) if r[0] == d0] == ["PERSON", "GPE", "DATE", "DATE"]
    assert not project.is_reviewed(d0)


def test_review_auto_mark_reviewed_marks_documents_left_with_nothing(project):
    result = auto_review(project, AutoReviewOptions("majority", mark_reviewed=True, reviewer="lead"))
    d0, d1, d2 = project.doc_ids
    assert result.marked_reviewed == 2
    assert project.reviewed_document_ids() == [d1, d2]


def test_review_auto_min_annotators_and_chosen_annotators(project):
    result = auto_review(project, AutoReviewOptions("unanimous", min_annotators=4, reviewer="lead"))
    assert result.decided == 0
    two = auto_review(project, AutoReviewOptions("unanimous", annotators=("alice", "bob"), reviewer="lead"))
    assert two.units["entity"] == 6  # alice and bob agree on all but "May"
    with pytest.raises(ReviewError, match="--annotators: no annotator named 'dave'"):
        auto_review(project, AutoReviewOptions("majority", annotators=("dave",)))


@pytest.mark.parametrize("options, message", [
    (AutoReviewOptions("most"), "--auto must be one of"),
    (AutoReviewOptions("majority", min_annotators=0), "--min-annotators"),
    (AutoReviewOptions("majority", documents=(999,)), "no document with id 999"),
    (AutoReviewOptions("majority", reviewer=" "), "reviewer"),
])
def test_review_auto_bad_options(project, options, message):
    with pytest.raises(ReviewError, match=message):
        auto_review(project, options)
    assert gold(project) == []


def test_review_auto_cancelled_writes_nothing(tmp_path, monkeypatch):
    import annotator.workflows.reviewing as reviewing

    monkeypatch.setattr(reviewing, "BATCH_DOCUMENTS", 1)
    path = tmp_path / "p.annotator"
    build(path)
    with Project.open(path) as project:
        with pytest.raises(ReviewCancelled):
            auto_review(project, AutoReviewOptions("majority", reviewer="lead"), cancelled=lambda: True)
        assert gold(project) == [] and project.gold_annotator() is None


def test_review_bulk_and_one_document_see_the_same_units(project):
    auto_review(project, AutoReviewOptions("unanimous", reviewer="lead"))
    progress = review_progress(project)
    per_document = [project.review_document(doc_id) for doc_id in project.doc_ids]
    assert progress.units == sum(len(r.units) for r in per_document)
    assert progress.by_state == Counter(u.state for r in per_document for u in r.units)
    assert progress.needs_review == [r.doc_id for r in per_document if any(u.state in UNDECIDED for u in r.units)]
    assert progress.text == "reviewed 0 of 3; 4 of 11 units decided"


def test_review_bulk_reads_gold_rejections_and_decisions_as_one_document_does(project):
    # Gold's own spans are read by the bulk reader with a query of their own (a table scan):
    # a rejected unit and a decided one must come out in the same states as per document,
    # and a later --auto must neither copy the rejected unit nor touch the decided one.
    doc = project.doc_ids[0]
    units = [u for u in project.review_document(doc).units if u.group == "entity"]
    assert len(units) >= 2
    project.reject_unit(doc, units[0].locator, "lead")
    project.accept_majority(doc, units[1].locator, "lead")
    before = gold(project)
    progress = review_progress(project)
    per_document = [project.review_document(doc_id) for doc_id in project.doc_ids]
    states = Counter(u.state for r in per_document for u in r.units)
    assert states["rejected"] == 1
    assert progress.by_state == states
    auto_review(project, AutoReviewOptions("majority", reviewer="lead"))
    after = gold(project)
    rejected = [row for row in after if row[4] == "rejected"]
    assert rejected == [row for row in before if row[4] == "rejected"]
    assert not [row for row in after if row[:3] == rejected[0][:3] and row[4] == "accepted"]
    assert set(before) <= set(after)
