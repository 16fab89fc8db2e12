"""Span attributes, notes, events, equivalences and a document's own tokens in the store:
read for the window, kept through delete and undo, defined and widened by imports."""

from __future__ import annotations

import pytest

from annotator.core.model import SpanAttribute
from annotator.store import ProjectError
from annotator.store import migrations
from annotator.workflows.importing import ImportOptions, import_paths

ANN = ("T1\tPERSON 0 3\tAnn\nT2\tPERSON 8 11\tBob\nT3\tCUE 4 7\tmet\nE1\tMeet:T3 Agent:T1 Partner:T2\n"
       "R1\tKNOWS Arg1:T1 Arg2:T2\n*\tEquiv T1 T2\nA1\tMention T1 Name\nA2\tNegation E1\nA3\tCertain R1\n"
       "#1\tAnnotatorNotes T1\tseen twice\n#2\tAnnotatorNotes E1\tan event note\n")


@pytest.fixture
def doc_id(project, tmp_path):
    (tmp_path / "d.txt").write_text("Ann met Bob.", encoding="utf-8")
    (tmp_path / "d.ann").write_text(ANN, encoding="utf-8")
    report = import_paths(project, [tmp_path / "d.ann"], ImportOptions(add_labels=True))
    assert report.ok, [str(p) for f in report.files for p in f.problems]
    return next(project.db.query("SELECT id FROM documents"))["id"]


def _rows(project):
    return {table: sorted(tuple(r.values()) for r in project.db.query(f"SELECT * FROM {table}"))
            for table in ("spans", "relations", "events", "equivalence_members", "annotation_notes",
                          "attribute_values")}


def test_extras_store_span_details_for_the_window(project, doc_id):
    spans = {s.text: s.id for s in project.spans(doc_id)}
    details = project.span_details(doc_id)
    assert details[spans["Ann"]].values == {"Mention": "Name"} and details[spans["Ann"]].note == "seen twice"
    assert spans["Bob"] not in details  # nothing on it


@pytest.mark.parametrize("text", ["Ann", "met", "Bob"])
def test_extras_store_delete_and_undo_keep_everything(project, doc_id, text):
    before = _rows(project)
    span = next(s for s in project.spans(doc_id) if s.text == text)
    snapshot = project.delete_span(span.id)
    after = _rows(project)
    assert after != before
    if text == "met":  # the trigger: its event, the roles and the event's note and attribute go with it
        assert not after["events"] and not [r for r in after["relations"] if r[-2] is not None]
    project.restore_span(snapshot)
    assert _rows(project) == before


def test_extras_store_undo_order_two_deletions(project, doc_id):
    before = _rows(project)
    spans = {s.text: s.id for s in project.spans(doc_id)}
    first = project.delete_span(spans["Ann"])
    second = project.delete_span(spans["met"])
    project.restore_span(second)
    project.restore_span(first)
    assert _rows(project) == before


def test_extras_store_attribute_definitions_widen(project):
    project.add_span_attribute(SpanAttribute("Mention", "choice", ("Name",)))
    project.add_span_attribute(SpanAttribute("Mention", "choice", ("Nominal", "Name")))
    project.add_claim_attribute("mood", ("angry",))
    project.add_claim_attribute("mood", ("calm",))
    assert project.span_attributes() == [SpanAttribute("Mention", "choice", ("Name", "Nominal"))]
    assert {a.name: a.choices for a in project.claim_attributes()}["mood"] == ("angry", "calm")
    assert project.scheme().span_attributes == (SpanAttribute("Mention", "choice", ("Name", "Nominal")),)
    with pytest.raises(ProjectError):
        project.add_span_attribute(SpanAttribute("x", "number"))


def test_extras_store_tokens_of_a_conll_document(project, tmp_path):
    path = tmp_path / "a.conll"
    path.write_text("AL-AIN B-LOC\n, O\nUnited B-LOC\n\nnext O\n", encoding="utf-8")
    assert import_paths(project, [path], ImportOptions(add_labels=True)).ok
    doc_id = next(project.db.query("SELECT id FROM documents"))["id"]
    assert project.document(doc_id).text == "AL-AIN , United\nnext"
    assert project.document_tokens(doc_id) == ((0, 6), (7, 8), (9, 15), (16, 20))
    assert next(project.db.query("SELECT source, count FROM document_tokens")) == {"source": "conll", "count": 4}


def test_extras_store_migration_is_registered():
    step = next(m for m in migrations.MIGRATIONS if m.description.startswith("span attributes, notes, events"))
    assert step.version <= migrations.LATEST_VERSION
