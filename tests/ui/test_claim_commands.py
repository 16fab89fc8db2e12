"""Claim commands on a bare QUndoStack against a real project file."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from annotator.core.changes import Change
from annotator.store.claims import ClaimantLink
from annotator.ui.session.claim_commands import (
    AliasCommand,
    CreateClaimCommand,
    LinkNewSpanCommand,
    SetClaimantCommand,
    SetClaimValueCommand,
    SetCueCommand,
)
from annotator.ui.session.commands import DeleteSpanCommand
from annotator.ui.session.outcome import Outcome

TEXT = "😀 Antonov said\r\nthat Russia would respond, a source at the ministry added."


def _at(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


@pytest.fixture
def setup(make_project, qapp):
    project = make_project([("One", TEXT), ("Two", "Antonov spoke again.")])
    doc, other = (s.id for s in project.document_summaries(0, 10))
    claim = project.add_claim(doc, *_at("Russia would respond"), "CLAIM")
    antonov = project.add_span(doc, *_at("Antonov"), "PERSON")
    effects: list[Outcome] = []
    return project, doc, other, claim, antonov, QUndoStack(), effects


def claim_row(project, claim_id):
    return next(project.db.query(
        "SELECT claimant, claimant_start, claimant_end, cue, cue_start, cue_end FROM claim_view WHERE id = ?",
        [claim_id]))


def test_claim_commands_set_claimant_span_then_text_undo_redo(setup):
    project, doc, _other, claim, antonov, stack, effects = setup
    stack.push(SetClaimantCommand(project, claim.id, ClaimantLink(span_id=antonov.id), report=effects.append))
    assert claim_row(project, claim.id)["claimant"] == "Antonov"
    assert effects[-1] == Outcome(doc, claims=True, focus=claim.content.id)
    assert stack.undoText() == "Claimant “Antonov” of “Russia would respond”"
    stack.push(SetClaimantCommand(project, claim.id, ClaimantLink(text="the Kremlin"), report=effects.append))
    assert project.claim(claim.id).claimant_text == "the Kremlin" and project.claim(claim.id).claimant is None
    stack.undo()
    assert project.claim(claim.id).claimant == antonov
    stack.undo()
    assert project.claim(claim.id).claimant is None and effects[-1].undo
    stack.redo()
    stack.redo()
    assert project.claim(claim.id).claimant_text == "the Kremlin"


def test_claim_commands_cue_and_values(setup):
    project, _doc, _other, claim, _antonov, stack, effects = setup
    said = project.add_span(claim.doc_id, *_at("said"), "CUE")
    stack.push(SetCueCommand(project, claim.id, said.id, report=effects.append))
    stack.push(SetClaimValueCommand(project, claim.id, "stance", "denies", report=effects.append, title="Stance"))
    stack.push(SetClaimValueCommand(project, claim.id, "verdict", None, report=effects.append, title="Verdict"))
    stored = project.claim(claim.id)
    assert stored.cue == said and stored.values == {"stance": "denies"}
    assert stack.undoText() == "Clear Verdict of “Russia would respond”"
    stack.undo()
    stack.undo()
    stack.undo()
    stored = project.claim(claim.id)
    assert stored.cue is None and stored.values == {"verdict": "unverified"}


def test_claim_commands_refused_value_is_not_pushed(setup):
    project, doc, _other, claim, _antonov, stack, effects = setup
    stack.push(SetClaimValueCommand(project, claim.id, "stance", "shouts", report=effects.append))
    assert stack.count() == 0 and "not one of" in effects[-1].error
    assert effects[-1].change == Change.NONE and effects[-1].doc_id == doc


def test_claim_commands_link_new_source_span_in_one_command(setup):
    project, doc, _other, claim, _antonov, stack, effects = setup
    start, end = _at("a source at the ministry")
    command = LinkNewSpanCommand(project, claim.id, "claimant", start, end, "SOURCE", annotator="ann",
                                 report=effects.append, surface="a source at the ministry")
    stack.push(command)
    span_id = command.span_id
    assert claim_row(project, claim.id)["claimant"] == "a source at the ministry"
    assert (claim_row(project, claim.id)["claimant_start"], claim_row(project, claim.id)["claimant_end"]) == (start,
                                                                                                                end)
    assert effects[-1].change == Change.SPANS | Change.CLAIMS and effects[-1].added == (project.span(span_id),)
    assert effects[-1].focus == claim.content.id
    stack.undo()
    assert project.claim(claim.id).claimant is None
    assert [s.label for s in project.spans(doc)] == ["PERSON", "CLAIM"]
    stack.redo()
    assert project.claim(claim.id).claimant.id == span_id  # the same id again
    # A cue span the same way; a refused range (outside the text) is not pushed.
    cue = LinkNewSpanCommand(project, claim.id, "cue", *_at("added"), "CUE", annotator=None, report=effects.append)
    stack.push(cue)
    assert claim_row(project, claim.id)["cue"] == "added"
    before = stack.count()
    stack.push(LinkNewSpanCommand(project, claim.id, "cue", 0, 10_000, "CUE", annotator=None, report=effects.append))
    assert stack.count() == before and effects[-1].error


def test_claim_commands_undo_in_another_document_reports_that_document(setup):
    project, doc, other, claim, antonov, stack, effects = setup
    stack.push(SetClaimantCommand(project, claim.id, ClaimantLink(span_id=antonov.id), report=effects.append))
    other_claim = project.add_claim(other, 0, 7, "CLAIM")
    stack.push(SetClaimValueCommand(project, other_claim.id, "stance", "asserts", report=effects.append))
    stack.undo()
    assert effects[-1].doc_id == other and effects[-1].undo
    stack.undo()
    assert effects[-1].doc_id == doc and effects[-1].focus == claim.content.id


def test_claim_commands_deleting_a_claimant_unlinks_and_undo_relinks(setup):
    project, doc, _other, claim, antonov, stack, effects = setup
    stack.push(SetClaimantCommand(project, claim.id, ClaimantLink(span_id=antonov.id), report=effects.append))
    stack.push(DeleteSpanCommand(project, antonov.id, report=effects.append))
    assert project.claim(claim.id).claimant is None
    stack.undo()
    assert project.claim(claim.id).claimant == antonov
    # Deleting the claim's content keeps the claimant entity.
    stack.push(DeleteSpanCommand(project, claim.content.id, report=effects.append))
    assert project.claim_count() == 0 and [s.text for s in project.spans(doc)] == ["Antonov"]
    stack.undo()
    assert project.claim(claim.id).claimant == antonov


def test_claim_commands_create_claim_of_an_existing_claim_span(setup):
    project, doc, _other, _claim, _antonov, stack, effects = setup
    span = project.add_span(doc, *_at("respond"), "CLAIM", state="suggested")
    project.set_span_state(span.id, "accepted")
    assert project.claim_for_span(span.id) is None
    command = CreateClaimCommand(project, span.id, report=effects.append)
    stack.push(command)
    assert project.claim_for_span(span.id).id == command.claim_id
    project.set_claim_value(command.claim_id, "stance", "hedges")
    stack.undo()
    assert project.claim_for_span(span.id) is None and project.span(span.id).label == "CLAIM"
    stack.redo()
    assert project.claim_for_span(span.id).values["stance"] == "hedges"


def test_claim_commands_alias_merge_and_unmerge(setup):
    project, _doc, other, claim, antonov, stack, effects = setup
    project.set_claimant(claim.id, ClaimantLink(span_id=antonov.id))
    second = project.add_claim(other, 0, 7, "CLAIM")
    project.set_claimant(second.id, ClaimantLink(text="Anatoly Antonov"))
    stack.push(AliasCommand(project, report=effects.append, merge=["Antonov", "Anatoly Antonov"],
                            into="Anatoly Antonov"))
    assert project.claimant_aliases() == {"Antonov": "Anatoly Antonov"}
    assert effects[-1] == Outcome(None, aliases=True)
    assert stack.undoText() == "Merge “Antonov” into “Anatoly Antonov”"
    stack.push(AliasCommand(project, report=effects.append, unmerge=["Anatoly Antonov"]))
    assert project.claimant_aliases() == {}
    stack.undo()
    assert project.claimant_aliases() == {"Antonov": "Anatoly Antonov"}
    stack.undo()
    assert project.claimant_aliases() == {}
    stack.redo()
    assert project.canonical_claimant("Antonov") == "Anatoly Antonov"
