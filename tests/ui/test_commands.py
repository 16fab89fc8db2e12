"""Undo commands on a bare QUndoStack against a real project file."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from PySide6.QtGui import QUndoStack

from annotator.core.changes import Change
from annotator.ui.session.commands import (
    AddSpanCommand,
    DeleteSpanCommand,
    RelabelSpanCommand,
    ResizeSpanCommand,
    SetStatusCommand,
)
from annotator.ui.session.outcome import Outcome, describe_error
from annotator.ui.session.suggestion_commands import SetSuggestionsStateCommand

TEXT = "Ana Núñez 😀 met ORG people in Lisbon\r\non Tuesday."


@pytest.fixture
def setup(make_project, qapp):
    project = make_project([("One", TEXT), ("Two", "Second article about Kenya.")])
    ids = [s.id for s in project.document_summaries(0, 10)]
    effects: list[Outcome] = []
    return project, ids, QUndoStack(), effects


def rows(project):
    return [(r["doc_id"], r["start"], r["end"], r["label"], r["text"], r["annotator"], r["state"])
            for r in project.db.query('SELECT doc_id, start, "end", label, text, annotator, state FROM span_view'
                                      " ORDER BY id")]


def test_commands_add_span_undo_redo_keeps_the_id(setup):
    project, (doc, _), stack, effects = setup
    start = TEXT.index("Lisbon")
    command = AddSpanCommand(project, doc, start, start + 6, "GPE", annotator="ann", kind="entity",
                             report=effects.append, surface="Lisbon")
    stack.push(command)
    assert rows(project) == [(doc, start, start + 6, "GPE", "Lisbon", "ann", "accepted")]
    span_id = command.span_id
    # The outcome carries the Span the store returned: nothing is read again to show it.
    assert effects[-1] == Outcome(doc, added=(command.span,))
    assert command.span.text == "Lisbon" and command.span.id == span_id
    assert effects[-1].change == Change.SPANS
    stack.undo()
    assert rows(project) == []
    assert effects[-1].undo and effects[-1].removed == (span_id,)
    stack.redo()
    assert rows(project) == [(doc, start, start + 6, "GPE", "Lisbon", "ann", "accepted")]
    assert project.spans(doc)[0].id == span_id
    assert stack.undoText() == "Tag “Lisbon” GPE"


def test_commands_refused_first_redo_leaves_the_stack_unchanged(setup):
    project, (doc, _), stack, effects = setup
    stack.push(AddSpanCommand(project, doc, 0, 9, "PERSON", annotator=None, kind="entity", report=effects.append))
    assert stack.count() == 1
    stack.push(AddSpanCommand(project, doc, 4, 12, "ORG", annotator=None, kind="entity", report=effects.append))
    assert stack.count() == 1 and stack.index() == 1
    assert "may not overlap" in effects[-1].error and effects[-1].change == Change.NONE and effects[-1].first
    assert [r[3] for r in rows(project)] == ["PERSON"]
    stack.undo()
    assert rows(project) == []


def test_commands_claim_label_makes_a_claim_and_undo_removes_it(setup):
    project, (doc, _), stack, effects = setup
    command = AddSpanCommand(project, doc, 0, 16, "CLAIM", annotator="ann", kind="claim", report=effects.append)
    stack.push(command)
    assert project.claim_count() == 1
    assert effects[-1].change == Change.SPANS | Change.CLAIMS
    assert effects[-1].focus == command.span_id  # the new claim opens in the editor
    stack.undo()
    assert project.claim_count() == 0 and rows(project) == []
    stack.redo()
    assert project.claim_count() == 1 and project.claims(doc)[0].content.id == command.span_id


def test_commands_delete_relabel_resize_state_round_trip(setup):
    project, (doc, _), stack, effects = setup
    span = project.add_span(doc, 0, 3, "PERSON", annotator="ann")
    before = rows(project)
    stack.push(RelabelSpanCommand(project, span.id, "ORG", report=effects.append))
    assert rows(project)[0][3] == "ORG"
    assert effects[-1].changed == (dataclasses.replace(span, label="ORG"),)
    stack.push(ResizeSpanCommand(project, span.id, 0, 9, report=effects.append, surface=TEXT[0:9]))
    assert rows(project)[0][1:5] == (0, 9, "ORG", "Ana Núñez")
    assert effects[-1].changed == (project.span(span.id),)  # what the views get is what is stored
    stack.push(DeleteSpanCommand(project, span.id, report=effects.append))
    assert rows(project) == [] and effects[-1].removed == (span.id,)
    for _ in range(3):
        stack.undo()
    assert rows(project) == before
    assert effects[-1].changed == (project.span(span.id),)
    for _ in range(3):
        stack.redo()
    assert rows(project) == []
    stack.undo()
    assert effects[-1].added == (project.span(span.id),)


def test_commands_accept_suggestion_is_one_transaction(setup):
    project, (doc, _), stack, effects = setup
    suggestion = project.add_span(doc, 0, 9, "ORG", origin="model:x", state="suggested")
    gold = project.add_span(doc, 0, 3, "PERSON")
    stack.push(SetSuggestionsStateCommand(project, doc, [(suggestion.id, "GPE")], "accepted", report=effects.append))
    assert stack.count() == 0 and "overlap" in effects[-1].error
    assert project.span(suggestion.id).label == "ORG"  # the relabel was rolled back too
    project.delete_span(gold.id)
    stack.push(SetSuggestionsStateCommand(project, doc, [(suggestion.id, "GPE")], "accepted", report=effects.append,
                                          annotator="ann"))
    accepted = project.span(suggestion.id)
    assert (accepted.label, accepted.state, accepted.annotator) == ("GPE", "accepted", "ann")
    assert effects[-1].changed == (accepted,)
    stack.undo()
    assert (project.span(suggestion.id).label, project.span(suggestion.id).state) == ("ORG", "suggested")


def test_commands_status_and_undo_across_documents(setup):
    project, (one, two), stack, effects = setup
    stack.push(SetStatusCommand(project, one, "done", report=effects.append, title="One"))
    stack.push(AddSpanCommand(project, two, 21, 26, "GPE", annotator=None, kind="entity", report=effects.append))
    assert project.document_status(one) == "done"
    stack.undo()
    stack.undo()
    assert effects[-2].doc_id == two and effects[-1].doc_id == one
    assert effects[-1] == Outcome(one, status="todo", undo=True, first=False)
    assert effects[-1].change == Change.DOCUMENT_STATUS
    assert project.document_status(one) == "todo" and rows(project) == []
    assert stack.redoText() == "Mark “One” done"


def test_commands_undo_is_idempotent_when_the_span_is_already_gone(setup):
    project, (doc, _), stack, effects = setup
    command = AddSpanCommand(project, doc, 0, 3, "PERSON", annotator=None, kind="entity", report=effects.append)
    stack.push(command)
    project.delete_span(command.span_id)  # e.g. removed by an earlier, partly failed step
    stack.undo()
    assert effects[-1].error is None
    stack.redo()  # nothing was snapshotted, so redo tags the range again
    assert [r[1:4] for r in rows(project)] == [(0, 3, "PERSON")]


def test_commands_read_only_project_refuses_without_pushing(setup):
    project, (doc, _), stack, effects = setup
    project.read_only = True
    stack.push(AddSpanCommand(project, doc, 0, 3, "PERSON", annotator=None, kind="entity", report=effects.append))
    assert stack.count() == 0 and "read-only" in effects[-1].error


def test_commands_busy_database_is_a_message_not_a_crash(setup, monkeypatch):
    project, (doc, _), stack, effects = setup

    def busy(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(project, "set_status", busy)
    stack.push(SetStatusCommand(project, doc, "done", report=effects.append))
    assert stack.count() == 0
    assert effects[-1].error == describe_error(sqlite3.OperationalError("database is locked"))
    assert "busy" in effects[-1].error
