"""The document session: one command per edit, the store's result applied once, fine-grained
signals in a fixed order, layers, and a history that never points at rows that are gone."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.model import Label, Span
from annotator.ui.session.claim_commands import SetClaimValueCommand
from annotator.ui.session.document_session import DocumentSession
from annotator.ui.session.layers import Layers
from annotator.ui.session.scheme_commands import AddLabelCommand, EditLabelCommand, RemoveLabelCommand

TEXT = "Ana Souza told Reuters in Lisbon on Monday that prices would fall."
OTHER = "Second article about Kenya."


@pytest.fixture
def session(make_project, qapp):
    project = make_project([("One", TEXT), ("Two", OTHER)])
    session = DocumentSession(project, "ann")
    session.show(project.document_summaries(0, 1)[0].id)
    return session


def record(session: DocumentSession) -> list[tuple]:
    """Every signal the views listen to, in the order the session sends them."""
    seen: list[tuple] = []
    session.document_shown.connect(lambda shown: seen.append(("shown", shown.doc_id if shown else None)))
    session.span_added.connect(lambda span: seen.append(("added", span)))
    session.span_changed.connect(lambda span: seen.append(("changed", span)))
    session.span_removed.connect(lambda span_id: seen.append(("removed", span_id)))
    session.claims_changed.connect(lambda claims, focus: seen.append(("claims", len(claims), focus)))
    session.status_changed.connect(lambda doc_id, status: seen.append(("status", doc_id, status)))
    session.scheme_changed.connect(lambda labels, _attributes: seen.append(("scheme",)))
    session.revealed.connect(lambda span_id: seen.append(("revealed", span_id)))
    session.message.connect(lambda text, error: seen.append(("message", error)))
    return seen


def at(part: str) -> tuple[int, int]:
    return TEXT.index(part), TEXT.index(part) + len(part)


def test_document_session_add_span_sends_the_stored_span_once(session):
    seen = record(session)
    span = session.add_span(*at("Lisbon"), "GPE")
    assert span == session.project.span(span.id) and span.annotator == "ann"
    assert seen == [("added", span)]
    assert session.shown.spans[span.id] == span
    session.undo()
    assert seen[-1] == ("removed", span.id) and span.id not in session.shown.spans
    session.redo()
    assert seen[-1] == ("added", span)


def test_document_session_claim_sends_span_then_claims_with_the_claim_to_open(session):
    seen = record(session)
    span = session.add_span(*at("prices would fall"), "CLAIM")
    assert seen == [("added", span), ("claims", 1, span.id)]
    claim = session.shown.claims[0]
    seen.clear()
    session.run(lambda: SetClaimValueCommand(session.project, claim.id, "stance", "denies"))
    assert seen == [("claims", 1, span.id)]
    assert session.shown.claims[0].values["stance"] == "denies"
    seen.clear()
    session.delete_span(span.id)
    assert seen == [("removed", span.id), ("claims", 0, None)]


def test_document_session_undo_in_another_document_shows_it_then_reveals(session):
    first = session.doc_id
    span = session.add_span(*at("Ana Souza"), "PERSON")
    other = session.project.document_summaries(0, 2)[1].id
    session.show(other)
    seen = record(session)
    session.undo()
    assert seen[:2] == [("shown", first), ("revealed", span.id)]
    assert session.doc_id == first and span.id not in session.shown.spans


def test_document_session_status_is_one_signal(session):
    seen = record(session)
    assert session.set_status(session.doc_id, "done")
    assert seen == [("status", session.doc_id, "done")] and session.shown.status == "done"
    assert session.stack.undoText() == "Mark “One” done"


def test_document_session_refusal_is_a_message_and_no_step(session):
    session.add_span(*at("Ana Souza"), "PERSON")
    seen = record(session)
    assert session.add_span(0, 3, "ORG") is None
    assert seen == [("message", True)] and "overlap" in session.last_error
    assert session.stack.count() == 1


def test_document_session_failed_undo_clears_the_history_and_shows_the_file(session):
    span = session.add_span(*at("Ana Souza"), "PERSON")
    session.relabel_span(span.id, "ORG")
    # Another program deletes the label's span behind the window's back.
    session.project.delete_span(span.id)
    seen = record(session)
    session.undo()
    assert session.stack.count() == 0  # never left pointing at a row that is gone
    assert ("message", True) in seen and ("shown", session.doc_id) in seen
    assert "Undo history cleared" in session.last_error or any(s == ("message", True) for s in seen)
    assert span.id not in session.shown.spans


def test_document_session_label_delete_with_spans_and_an_older_delete_undo_in_order(session):
    """The FOREIGN KEY failure of issue 13: a label removed outside the stack broke an older undo."""
    project = session.project
    gpe = session.add_span(*at("Lisbon"), "GPE")
    session.delete_span(gpe.id)
    session.add_span(*at("Lisbon"), "GPE")
    session.run(lambda: RemoveLabelCommand(project, "GPE", used=1))
    assert "GPE" not in {label.name for label in session.labels}
    session.undo()  # the label and its span come back
    session.undo()  # the second span goes
    session.undo()  # the first span comes back under its id
    assert [(s.id, s.label) for s in project.spans(session.doc_id)] == [(gpe.id, "GPE")]
    assert session.stack.index() == 1


def test_document_session_label_edits_are_undo_steps(session):
    project = session.project
    span = session.add_span(*at("Lisbon"), "GPE")
    seen = record(session)
    session.run(lambda: EditLabelCommand(project, "GPE", new_name="PLACE", color="#112233", key="g"))
    assert ("scheme",) in seen and session.shown.spans[span.id].label == "PLACE"
    assert next(lab for lab in session.labels if lab.name == "PLACE").key == "g"
    session.undo()
    assert session.shown.spans[span.id].label == "GPE"
    gpe = next(lab for lab in session.labels if lab.name == "GPE")
    assert (gpe.color, gpe.key) == ("#6cc28a", "3")
    command = session.run(lambda: AddLabelCommand(project, Label("QUOTE", "claim", "#aa0000", "9")))
    added = command.added
    quote = session.add_span(*at("prices would fall"), "QUOTE")
    session.undo()
    session.undo()
    assert "QUOTE" not in {lab.name for lab in session.labels}
    session.redo()
    session.redo()  # the label came back under its first id, so the span's redo finds it
    assert project.span(quote.id).label == "QUOTE"
    assert next(lab for lab in project.labels() if lab.name == "QUOTE").id == added.id


def test_document_session_layers_keep_other_annotators_read_only(make_project, qapp):
    project = make_project([("One", TEXT)])
    doc_id = project.document_summaries(0, 1)[0].id
    mine = project.add_span(doc_id, *at("Ana Souza"), "PERSON", annotator="gold")
    theirs = project.add_span(doc_id, *at("Lisbon"), "GPE", annotator="bob")
    session = DocumentSession(project, layers=Layers(editable="gold", others=("bob",), merged=False))
    session.show(doc_id)
    assert set(session.shown.spans) == {mine.id}
    assert [s.id for s in session.shown.others["bob"]] == [theirs.id]
    assert not session.relabel_span(theirs.id, "ORG") and not session.delete_span(theirs.id)
    assert project.span(theirs.id).label == "GPE" and "bob's layer" in session.last_error
    made = session.add_span(*at("Reuters"), "ORG")
    assert made.annotator == "gold"


def test_document_session_layers_split(qapp):
    def span(i: int, who: str | None, state: str = "accepted") -> Span:
        return Span(1, i, i + 1, "X", "x", who, state=state, id=i)

    spans = [span(1, "ann"), span(2, "bob"), span(3, None, "suggested"), span(4, "carol")]
    assert Layers("ann").split(spans) == (spans, {})
    mine, others = Layers("ann", ("bob",), merged=False).split(spans)
    assert [s.id for s in mine] == [1, 3] and {k: [s.id for s in v] for k, v in others.items()} == {"bob": [2]}


def test_document_session_read_only_and_blocked_refuse_before_building(session):
    built: list[int] = []
    session.blocked = "checking the file"
    assert session.run(lambda: built.append(1)) is None and session.last_error == "checking the file"
    session.blocked = None
    seen = record(session)
    session.set_read_only("Another session took over")
    assert session.run(lambda: built.append(1)) is None and built == []
    assert "read-only" in session.last_error and ("message", True) in seen


def test_document_session_busy_file_is_a_message(session, monkeypatch):
    def busy(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(session.project, "add_span", busy)
    assert session.add_span(*at("Lisbon"), "GPE") is None
    assert "busy" in session.last_error and session.stack.count() == 0
