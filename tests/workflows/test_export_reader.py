"""The export reader: documents in batches with a fixed handful of queries each, selections, claims."""

from __future__ import annotations

import pytest
from export_projects import make_project

from annotator.store import ProjectError
from annotator.store.claims import ClaimantLink
from annotator.store.export_reader import ExportReader, ExportSelection


def test_export_reader_batches_in_order_with_few_queries(tmp_path):
    with make_project(tmp_path, 60, statuses=("done", "todo")) as project:
        reader = ExportReader(project, ExportSelection(("done", "todo")), batch_documents=25)
        statements = []
        project.db.conn.set_trace_callback(statements.append)
        batches = list(reader.batches())
        project.db.conn.set_trace_callback(None)
    assert [len(b) for b in batches] == [25, 25, 10]
    titles = [doc.document.title for batch in batches for doc in batch]
    assert titles == [f"Doc {i}" for i in range(60)]
    # documents (lengths, rows), spans, claims, claim values, document labels, relations: per batch,
    # however many documents it holds.
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 8 * len(batches) + 1
    doc = batches[0][0]
    assert [s.label for s in doc.spans] == ["PERSON", "CLAIM", "GPE"]
    (claim,) = doc.claims
    assert claim.claimant.text == "Person0 Smith" and claim.claimant_relation == "SAID"
    assert doc.canonical == {claim.id: "Person0 Smith"}


def test_export_reader_character_budget_cuts_batches(tmp_path):
    with make_project(tmp_path, 10) as project:
        reader = ExportReader(project, batch_documents=100, batch_characters=120)
        sizes = [len(batch) for batch in reader.batches()]
    assert sum(sizes) == 10 and max(sizes) <= 3 and min(sizes) >= 1


def test_export_reader_statuses_and_annotator(tmp_path):
    with make_project(tmp_path, 6, statuses=("done", "todo", "skipped"), annotator="ann") as project:
        assert ExportReader(project).count() == 2
        assert ExportReader(project, ExportSelection(("todo", "skipped"))).count() == 4
        texts = [r["text"] for r in project.db.query("SELECT text FROM documents WHERE status = 'done'")]
        assert ExportReader(project).text_bytes() == sum(len(t.encode("utf-8")) for t in texts) > 0
        assert ExportReader(project, ExportSelection(("done", "todo", "skipped"))).text_bytes() > \
            ExportReader(project).text_bytes()
        doc_id = next(project.db.query("SELECT id FROM documents ORDER BY position"))["id"]
        claim = project.claims(doc_id)[0]
        cue = project.add_span(doc_id, 14, 18, "CUE", annotator="bob")
        project.set_cue(claim.id, cue.id)
        project.set_claimant(claim.id, ClaimantLink(text="the ministry"))
        project.set_claimant_aliases({"the ministry": "Ministry of Health"})
        (first, *_), = list(ExportReader(project, ExportSelection(annotator="ann")).batches())
        assert "CUE" not in [s.label for s in first.spans]
        (claim,) = first.claims
        assert claim.cue.text == "said" and claim.cue.annotator == "bob"  # the partner is still named
        assert first.canonical == {claim.id: "Ministry of Health"}
        assert first.links() == []  # the cue span is not exported: no relation to it
        with pytest.raises(ProjectError, match="no annotator named"):
            ExportReader(project, ExportSelection(annotator="carol"))
        with pytest.raises(ProjectError, match="finished"):
            ExportSelection(("finished",))


def test_export_reader_fast_span_equals_span_from_row():
    from annotator.store.export_reader import _SPAN_FIELDS, fast_span
    from annotator.store.spans import span_from_row

    row = {"doc_id": 3, "start": 1, "end": 4, "label": "PERSON", "kind": "entity", "text": "Ann", "annotator": None,
           "origin": "import", "state": "accepted", "id": 9}
    fast, slow = fast_span(tuple(row[k] for k in _SPAN_FIELDS)), span_from_row(row)
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert vars(fast) == vars(slow)
