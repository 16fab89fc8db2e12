"""Review decisions in the store: each one transaction, gold rows with provenance, undo and redo."""

from __future__ import annotations

import json
import sqlite3

import pytest
from review_projects import build, offsets, open_built, span_key

from annotator.core.team import GOLD_NAME, GOLD_UUID
from annotator.store import EditRefused, Project, ProjectError, migrations


@pytest.fixture()
def project(tmp_path):
    with open_built(tmp_path / "review.annotator") as opened:
        yield opened


def gold_rows(project, doc_id):
    return [tuple(r) for r in project.db.conn.execute(
        'SELECT start, "end", label, state, decision, agreed, decided_by FROM gold_view WHERE doc_id = ?'
        ' ORDER BY start, "end", state', [doc_id])]


def unit_at(project, doc_id, key):
    review = project.review_document(doc_id)
    return next(u for u in review.units if u.start <= key[0] < u.end and u.group == "entity")


def uuids(project, *names):
    return json.dumps([project.find_annotator(n).uuid for n in names])


def test_review_migration_is_registered_and_gold_view_names_the_gold_uuid():
    step = next(m for m in migrations.MIGRATIONS if m.description.startswith("review: provenance"))
    assert step.version <= migrations.LATEST_VERSION
    assert GOLD_UUID in migrations.SCHEMA_GOLD


def test_review_document_shows_every_state(project):
    review = project.review_document(project.doc_ids[0])
    assert review.annotators == ("alice", "bob", "carol")
    assert [(u.group, u.state, u.differences) for u in review.units] == [
        ("entity", "agreed", ()), ("entity", "conflict", ("label",)), ("entity", "missing", ("missing",)),
        ("claim", "conflict", ("claimant", "cue", "attribute:stance")), ("entity", "missing", ("missing",)),
        ("entity", "conflict", ("boundaries",)), ("entity", "missing", ("missing",))]
    assert project.gold_annotator() is None  # reading writes nothing


def test_review_accept_version_writes_gold_with_provenance(project):
    doc = project.doc_ids[0]
    unit = unit_at(project, doc, offsets(0, "Porto"))
    change = project.accept_version(doc, unit.locator, "carol", "lead")
    assert gold_rows(project, doc) == [(*span_key(0, "Porto", "LOC"), "accepted", "annotator", uuids(project, "carol"),
                                        "lead")]
    assert change.before.count("spans") == 0 and change.after.count("spans") == 1
    gold = project.gold_annotator()
    assert (gold.name, gold.uuid, gold.separate_status) == (GOLD_NAME, GOLD_UUID, True)
    assert unit_at(project, doc, offsets(0, "Porto")).state == "decided"


def test_review_accept_majority_reject_and_the_unit_states(project):
    doc = project.doc_ids[0]
    project.accept_majority(doc, unit_at(project, doc, offsets(0, "May")).locator, "lead")
    project.reject_unit(doc, unit_at(project, doc, offsets(0, "Douro")).locator, "lead")
    assert gold_rows(project, doc) == [
        (*span_key(0, "Douro", "LOC"), "rejected", "rejected", uuids(project, "alice", "bob"), "lead"),
        (*span_key(0, "May", "DATE"), "accepted", "majority", uuids(project, "alice", "carol"), "lead")]
    states = {(u.start, u.state) for u in project.review_document(doc).units}
    assert (offsets(0, "Douro")[0], "rejected") in states and (offsets(0, "in May")[0], "decided") in states


def test_review_undo_and_redo_restore_gold_under_the_same_ids(project):
    doc = project.doc_ids[0]
    change = project.accept_majority(doc, unit_at(project, doc, offsets(0, "Monday")).locator, "lead")
    after = gold_rows(project, doc)
    ids = [r[0] for r in project.db.conn.execute("SELECT span_id FROM gold_provenance")]
    project.restore_gold(change.before)
    assert gold_rows(project, doc) == []
    project.restore_gold(change.after)
    assert gold_rows(project, doc) == after
    assert [r[0] for r in project.db.conn.execute("SELECT span_id FROM gold_provenance")] == ids


def test_review_claim_majority_brings_claimant_and_cue_and_fields_can_be_chosen(project):
    doc = project.doc_ids[0]
    claim = next(u for u in project.review_document(doc).units if u.group == "claim")
    project.accept_majority(doc, claim.locator, "lead")
    row = project.db.conn.execute(
        "SELECT claimant, cue, (SELECT value FROM claim_values v WHERE v.claim_id = c.id AND attribute = 'stance')"
        " FROM claim_view c WHERE annotator_uuid = ?", [GOLD_UUID]).fetchone()
    assert row == ("Lena Okafor", "told", "asserts")
    decisions = dict(project.db.conn.execute("SELECT label, decision FROM gold_view WHERE label != 'CLAIM'"))
    assert decisions == {"PERSON": "with claim", "CUE": "with claim"}
    change = project.choose_claim_field(doc, claim.locator, "claimant", "carol", "lead")
    project.choose_claim_field(doc, claim.locator, "attribute:stance", "bob", "lead")
    row = project.db.conn.execute(
        "SELECT claimant, cue, (SELECT value FROM claim_values v WHERE v.claim_id = c.id AND attribute = 'stance')"
        " FROM claim_view c WHERE annotator_uuid = ?", [GOLD_UUID]).fetchone()
    assert row == ("city council", "told", "hedges")
    # The claimant that came with the claim went when the claim stopped linking it.
    assert dict(project.db.conn.execute("SELECT label, decision FROM gold_view WHERE label != 'CLAIM'")) == {
        "ORG": "with claim", "CUE": "with claim"}
    project.restore_gold(change.before)
    assert project.db.conn.execute("SELECT claimant FROM claim_view WHERE annotator_uuid = ?",
                                   [GOLD_UUID]).fetchone() == ("Lena Okafor",)


def test_review_accept_agreed_takes_every_agreed_unit_in_one_transaction(project):
    doc = project.doc_ids[2]
    change = project.accept_agreed(doc, "lead")
    assert change.units == 2
    assert {r[2] for r in gold_rows(project, doc)} == {"PERSON", "ORG"}
    assert {r[4] for r in gold_rows(project, doc)} == {"unanimous"}


def test_review_document_labels_are_decided_and_rejected(project):
    doc = project.doc_ids[2]
    unit = next(u for u in project.review_document(doc).units if u.group == "doc")
    project.accept_majority(doc, unit.locator, "lead")
    assert project.doc_labels(doc, GOLD_UUID) == ["URGENT"]
    change = project.reject_unit(doc, unit.locator, "lead")
    assert project.doc_labels(doc, GOLD_UUID) == []
    assert project.db.conn.execute("SELECT rejected, decision FROM gold_label_provenance").fetchall() == [
        (1, "rejected")]
    assert next(u for u in project.review_document(doc).units if u.group == "doc").state == "rejected"
    project.restore_gold(change.before)
    assert project.doc_labels(doc, GOLD_UUID) == ["URGENT"]


def test_review_set_reviewed_is_gold_status(project):
    doc = project.doc_ids[1]
    change = project.set_reviewed(doc)
    assert project.is_reviewed(doc) and project.reviewed_document_ids() == [doc]
    project.restore_gold(change.before)
    assert not project.is_reviewed(doc)


def test_review_refusals_write_nothing(project):
    doc = project.doc_ids[0]
    unit = unit_at(project, doc, offsets(0, "Porto"))
    with pytest.raises(ProjectError, match="reviewer"):
        project.accept_majority(doc, unit.locator, " ")
    with pytest.raises(EditRefused, match="no entity unit"):
        project.accept_majority(doc, ("entity", 0, 2, "PERSON"), "lead")
    three_way = project.review_document(doc)
    assert three_way.units  # nothing changed
    assert project.db.conn.execute("SELECT count(*) FROM gold_provenance").fetchone() == (0,)


def test_review_a_claims_entity_claimant_that_overlaps_gold_is_refused(project):
    doc = project.doc_ids[0]
    # Gold gets "Mayor Lena" (edit in gold), overlapping the claimant "Lena Okafor" of the majority claim.
    start = offsets(0, "Mayor Lena")[0]
    project.add_span(doc, start, start + len("Mayor Lena"), "PERSON", annotator=GOLD_UUID)
    claim = next(u for u in project.review_document(doc).units if u.group == "claim")
    with pytest.raises(EditRefused, match="cannot join gold"):
        project.accept_majority(doc, claim.locator, "lead")
    assert project.db.conn.execute("SELECT count(*) FROM claims c JOIN spans s ON s.id = c.span_id"
                                   " WHERE s.annotator_id = ?", [project.gold_annotator().id]).fetchone() == (0,)


def test_review_annotators_excludes_gold_and_refuses_it(project):
    project.accept_agreed(project.doc_ids[1], "lead")
    assert [a.ref for a in project.review_annotators()] == ["alice", "bob", "carol"]
    with pytest.raises(ProjectError, match="gold is the layer review writes"):
        project.review_annotators(["alice", GOLD_UUID])


def test_review_unfinished_annotator_is_not_compared(tmp_path):
    path = tmp_path / "p.annotator"
    ids = build(path, done=("alice", "bob"))
    with Project.open(path) as project:
        review = project.review_document(ids[0])
        assert review.annotators == ("alice", "bob") and review.unfinished == ("carol",)


def test_review_bad_rows_give_a_message_not_a_traceback(project):
    doc = project.doc_ids[1]
    conn = sqlite3.connect(project.path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE spans SET start = -3 WHERE doc_id = ?", [doc])
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match=r"spans row \d+ \(document \d+\)\.start: offset -3"):
        project.review_document(doc)
