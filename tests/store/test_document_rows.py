"""Where a document sits in the window's (filtered, searched) list, and the next one to do."""

from __future__ import annotations

import pytest
from ui_free_docs import add_document, unindex


@pytest.fixture
def ids(project):
    return [
        add_document(project, "Lisbon talks end.", title="A", status="done"),
        add_document(project, "Kenya vaccine story.", title="B"),
        add_document(project, "Lisbon port strike.", title="C", status="skipped"),
        add_document(project, "Another Lisbon piece.", title="D"),
    ]


@pytest.mark.parametrize("indexed", [False, True])
def test_document_rows_match_the_listed_order(project, ids, indexed):
    if not indexed:
        unindex(project)
    for status in (None, "todo", "done", "skipped"):
        for query in (None, "lisbon"):
            listed = ([s.id for s in project.search_documents(query, 0, 10, status)] if query
                      else [s.id for s in project.document_summaries(0, 10, status)])
            for doc_id in ids:
                expected = listed.index(doc_id) if doc_id in listed else None
                assert project.document_row(doc_id, status, query) == expected, (status, query, doc_id)


def test_document_rows_next_with_status_wraps(project, ids):
    a, b, c, d = ids
    assert project.next_document_with_status(a, "todo") == b
    assert project.next_document_with_status(b, "todo") == d
    assert project.next_document_with_status(d, "todo") == b
    assert project.next_document_with_status(d, "todo", wrap=False) is None
    assert project.next_document_with_status(None, "todo") == b
    assert project.next_document_with_status(a, "done") is None  # only itself
    project.set_status(b, "done")
    project.set_status(d, "done")
    assert project.next_document_with_status(c, "todo") is None


def test_summaries_of_keeps_the_given_order_and_the_annotators_status(project, ids):
    a, b, c, d = ids
    summaries = project.summaries_of([d, a, 999_999, c])  # a gone document is left out
    assert [(s.id, s.title, s.status) for s in summaries] == [(d, "D", "todo"), (a, "A", "done"), (c, "C", "skipped")]
    page = {s.id: s for s in project.document_summaries(0, 10)}
    assert summaries == [page[d], page[a], page[c]]  # the same rows as the paged list's
    assert project.summaries_of([]) == []
    project.add_annotator("alice", separate_status=True)
    project.set_status(c, "done", annotator="alice")
    assert [s.status for s in project.summaries_of([a, c], "alice")] == ["todo", "done"]  # alice's own
    assert project.in_list_order([d, 999_999, b, a]) == [a, b, d]
