"""Documents in the store: paging, status, spans with exact text, stale spans, stats."""

from __future__ import annotations

import pytest

from annotator.core.model import Span
from annotator.core.records import DocumentRecord, SpanRecord
from annotator.store import ProjectError
from annotator.store.import_writer import ImportWriter, PreparedDocument


def _add_docs(project, records):
    with project.transaction():
        return ImportWriter(project, "ann").write([PreparedDocument(r) for r in records])


def _doc(text, line=1, spans=(), status="todo", title=""):
    return DocumentRecord(text, line, title=title, status=status, spans=[SpanRecord(*s) for s in spans])


@pytest.fixture
def ten(project):
    statuses = ["todo", "done", "skipped", "todo", "done", "todo", "todo", "done", "todo", "skipped"]
    ids = _add_docs(project, [_doc(f"Document number {i}. " + "x" * 500, i + 1, status=s, title=f"T{i}")
                              for i, s in enumerate(statuses)])
    return project, ids, statuses


def test_documents_store_summaries_page_in_order(ten):
    project, ids, _ = ten
    first = project.document_summaries(0, 4)
    second = project.document_summaries(4, 4)
    last = project.document_summaries(8, 4)
    assert [s.id for s in first + second + last] == ids
    assert [s.position for s in first] == [0, 1, 2, 3]
    assert first[0].title == "T0" and first[0].snippet.startswith("Document number 0.")
    assert len(first[0].snippet) <= 200
    assert project.document_summaries(20, 5) == []


@pytest.mark.parametrize("status", ["todo", "done", "skipped"])
def test_documents_store_summaries_filter_by_status(ten, status):
    project, ids, statuses = ten
    expected = [i for i, s in zip(ids, statuses) if s == status]
    rows = project.document_summaries(0, 100, status)
    assert [r.id for r in rows] == expected
    assert {r.status for r in rows} == {status}
    assert project.document_count(status) == len(expected)
    assert [r.id for r in project.document_summaries(1, 2, status)] == expected[1:3]


def test_documents_store_summaries_bad_status_refused(ten):
    project, _, _ = ten
    with pytest.raises(ProjectError, match="must be one of"):
        project.document_summaries(0, 10, "finished")


def test_documents_store_set_status_returns_previous(ten):
    project, ids, _ = ten
    assert project.set_status(ids[0], "done") == "todo"
    assert project.set_status(ids[0], "skipped") == "done"
    row = next(project.db.query("SELECT status FROM documents WHERE id = ?", [ids[0]]))
    assert row["status"] == "skipped"


@pytest.mark.parametrize("status", ["finished", "", "DONE", None])
def test_documents_store_set_status_refuses_bad(ten, status):
    project, ids, _ = ten
    with pytest.raises(ProjectError):
        project.set_status(ids[0], status)
    assert project.document_status(ids[0]) == "todo"


def test_documents_store_set_status_missing_document(project):
    with pytest.raises(ProjectError, match="no document"):
        project.set_status(999, "done")


def test_documents_store_spans_exact_text(project):
    text = "Zoë Ünal 👩‍🔬 visited 東京 on Monday.\r\nNext line."
    start = text.index("東京")
    [doc] = _add_docs(project, [_doc(text, spans=[(0, 8, "PERSON"), (start, start + 2, "GPE")])])
    spans = project.spans(doc)
    assert spans == [
        Span(doc, 0, 8, "PERSON", "Zoë Ünal", "ann", "import", "accepted", spans[0].id),
        Span(doc, start, start + 2, "GPE", "東京", "ann", "import", "accepted", spans[1].id),
    ]
    assert project.document(doc).text == text  # stored exactly, CRLF and all
    assert project.stale_spans(doc) == []


def test_documents_store_stale_spans_reported(project):
    [doc] = _add_docs(project, [_doc("Alice met Bob in Rome.", spans=[(0, 5, "PERSON"), (17, 21, "GPE")])])
    with project.transaction():
        project.db.execute("UPDATE documents SET text = ? WHERE id = ?", ["Alicia met Bob in Rome.", doc])
    stale = project.stale_spans(doc)
    assert [(s.start, s.end, s.text) for s in stale] == [(0, 5, "Alice"), (17, 21, "Rome")]
    # reported, never shifted
    assert [(s.start, s.end) for s in project.spans(doc)] == [(0, 5), (17, 21)]


def test_documents_store_stats(project):
    _add_docs(project, [
        _doc("Alice met Bob.", 1, spans=[(0, 5, "PERSON"), (10, 13, "PERSON", "", None, "suggested")],
             status="done"),
        _doc("In Rome.", 2, spans=[(3, 7, "GPE", "", "other")]),
        _doc("Nothing here.", 3, status="skipped"),
    ])
    stats = project.stats()
    assert stats["documents"] == {"total": 3, "todo": 1, "done": 1, "skipped": 1}
    assert stats["spans"]["PERSON"] == {"kind": "entity", "accepted": 1, "suggested": 1, "rejected": 0}
    assert stats["spans"]["GPE"]["accepted"] == 1
    assert stats["spans"]["ORG"] == {"kind": "entity", "accepted": 0, "suggested": 0, "rejected": 0}
    assert stats["spans"]["CLAIM"]["kind"] == "claim"
    assert stats["annotators"] == {"ann": 2, "other": 1}
    assert stats["claims"] == 0 and stats["relations"] == 0
    assert stats["project"] == str(project.path)


def test_documents_store_document_missing(project):
    with pytest.raises(ProjectError, match="no document with id 5"):
        project.document(5)
