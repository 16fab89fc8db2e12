"""Document search: FTS5 over indexed documents, a scan over pending ones, same answers."""

from __future__ import annotations

import pytest
from ui_free_docs import add_document

from annotator.store.search import fts_query


@pytest.fixture
def docs(project):
    ids = [
        add_document(project, "José Núñez said the talks were constructive.", title="Lisbon talks"),
        add_document(project, "Vaccine shortage in Marsabit 😔 #VaccinesNow", title="Kenya", status="done"),
        add_document(project, 'He wrote "<script>alert(1)</script>" AND OR NOT', title="Odd"),
    ]
    return ids


@pytest.mark.parametrize("indexed", [False, True])
@pytest.mark.parametrize("query, expected", [
    ("talks", [0]), ("TALK", [0]), ("lisbon", [0]), ("vaccine", [1]), ("script alert", [2]),
    ('AND "OR" NOT(', [2]), ("nothing-here", []), ("said constructive", [0]),
])
def test_search_store_finds_words_by_prefix(project, docs, indexed, query, expected):
    if indexed:
        assert project.update_search_index() == 0
    found = [docs.index(s.id) for s in project.search_documents(query, 0, 10)]
    assert found == expected
    assert project.search_count(query) == len(expected)


def test_search_store_diacritics_fold_once_indexed(project, docs):
    project.update_search_index()
    assert [s.id for s in project.search_documents("nunez", 0, 10)] == [docs[0]]


def test_search_store_status_filter_and_pending_count(project, docs):
    assert project.search_pending_count() == 3
    assert project.update_search_index(limit=2) == 1
    assert [s.id for s in project.search_documents("vaccine", 0, 10, status="todo")] == []
    assert project.search_count("vaccine", status="done") == 1


def test_search_store_query_is_never_fts_syntax():
    assert fts_query('a" OR b*') == '"a"* "OR"* "b"*'
    assert fts_query("  -- ") is None
