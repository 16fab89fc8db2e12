"""Document search: FTS5 over indexed documents, the same tokenizer over pending ones, same answers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ui_free_docs import add_document, unindex

from annotator.store import migrations
from annotator.store.search import TOKENIZER, fts_query, query_tokens


@pytest.fixture
def docs(project):
    ids = [
        add_document(project, "José Núñez said the talks were constructive.", title="Lisbon talks"),
        add_document(project, "Vaccine shortage in Marsabit 😔 #VaccinesNow", title="Kenya", status="done"),
        add_document(project, 'He wrote "<script>alert(1)</script>" AND OR NOT', title="Odd"),
    ]
    return ids


def _found(project, query, status=None):
    result = project.search(query, status)
    return [s.id for s in result.page(0, 1000)], result.count


@pytest.mark.parametrize("indexed", [False, True])
@pytest.mark.parametrize("query, expected", [
    ("talks", [0]), ("TALK", [0]), ("lisbon", [0]), ("vaccine", [1]), ("script alert", [2]),
    ('AND "OR" NOT(', [2]), ("nothing-here", []), ("said constructive", [0]), ("nunez", [0]), ("ALK", []),
])
def test_search_store_finds_words_by_prefix(project, docs, indexed, query, expected):
    if not indexed:
        unindex(project)
    found = [docs.index(s.id) for s in project.search_documents(query, 0, 10)]
    assert found == expected
    assert project.search_count(query) == len(expected)
    assert project.search_pending_count() == (0 if indexed else 3)


def test_search_store_imports_are_indexed_at_once(project, docs):
    assert project.search_pending_count() == 0
    assert _found(project, "marsabit") == ([docs[1]], 1)


# Upper case that SQLite's lower() does not fold (issue 11: "REYKJAVÍK" in a dateline was missed
# before indexing), and letters unicode61 folds its own way (Ł keeps its stroke, ß stays ß,
# final sigma becomes σ): the same answer in both paths is what matters.
NON_ASCII = [
    ("REYKJAVÍK — Ms Halvorsen said", ["reykjavik halvorsen", "Reykjavík", "REYKJAVIK"]),
    ("ÖSTERSUND council", ["östersund", "ostersund", "Öster"]),
    ("ŁÓDŹ mayor", ["łódź", "ŁODZ", "łod"]),
    ("ΟΔΌΣ ΣΟΦΊΑΣ", ["οδός", "σοφίας", "ΟΔΌΣ"]),
    ("МОСКВА и ЙОШКАР-ОЛА", ["москва", "йошкар ола", "Москв"]),
    ("İSTANBUL STRAẞE", ["istanbul", "straße"]),
]


@pytest.mark.parametrize("text, queries", NON_ASCII)
def test_search_store_non_ascii_upper_case_same_indexed_or_not(project, text, queries):
    other = add_document(project, "nothing to see", title="other")
    doc = add_document(project, text, title="dateline")
    for query in queries:
        assert _found(project, query) == ([doc], 1), query
    unindex(project)
    for query in queries:
        assert _found(project, query) == ([doc], 1), query
    assert _found(project, "nothing")[0] == [other]


WORDS = st.sampled_from(["Reykjavík", "REYKJAVÍK", "reykjavik", "Łódź", "ŁÓDŹ", "lodz", "Östersund", "ÖSTER",
                         "ΣΟΦΊΑ", "σοφίας", "ς", "МОСКВА", "москва", "Йошкар", "ёлка", "ЁЛКА", "Straße", "STRASSE",
                         "İstanbul", "ıstanbul", "naïve", "NAÏVE", "e\u0301t\u00e9", "ÉTÉ", "foo_bar", "don't",
                         "U.S.", "😔", "#Tag", "x2", "42", "ǅemal", "Ǆ"])
SEPARATORS = st.sampled_from([" ", "  ", "\n", "-", ", ", "—", "\t", "’"])


@st.composite
def documents(draw):
    words = draw(st.lists(WORDS, min_size=1, max_size=8))
    gaps = draw(st.lists(SEPARATORS, min_size=len(words), max_size=len(words)))
    return "".join(w + g for w, g in zip(words, gaps))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(texts=st.lists(documents(), min_size=1, max_size=6),
       queries=st.lists(st.one_of(WORDS, st.builds(lambda w, n: w[:n], WORDS, st.integers(1, 4)),
                                  st.builds("{} {}".format, WORDS, WORDS)), min_size=1, max_size=6))
def test_search_store_property_indexed_and_pending_agree(tmp_path_factory, texts, queries):
    from annotator.store import Project

    texts = list(dict.fromkeys(texts))  # a project holds a text once
    project = Project.create(tmp_path_factory.mktemp("search") / "p.annotator")
    try:
        ids = [add_document(project, text, title=f"t{i}") for i, text in enumerate(texts)]
        indexed = {q: _found(project, q) for q in queries}
        unindex(project)
        pending = {q: _found(project, q) for q in queries}
        assert pending == indexed
        for query, (found, _count) in indexed.items():  # and the answer is the tokenizer's
            wanted = query_tokens(query)
            for doc_id, text in zip(ids, texts):
                words = query_tokens(f"t{ids.index(doc_id)} {text}")
                hit = bool(wanted) and all(any(w.startswith(t) for w in words) for t in wanted)
                assert (doc_id in found) == hit, (query, text)
    finally:
        project.close()


@pytest.mark.parametrize("indexed", [True, False])
@pytest.mark.parametrize("query, hit", [("lisbon", lambda i: True), ("story", lambda i: i % 5 == 0)])
def test_search_store_status_filter_count_pages_and_rows_agree(project, indexed, query, hit):
    # "lisbon" is in every document (pending: the few that miss are named), "story" in a fifth.
    ids = [add_document(project, f"Lisbon {'story' if i % 5 == 0 else 'note'} {i}", title=f"d{i}",
                        status="done" if i % 3 else "todo") for i in range(25)]
    if not indexed:
        unindex(project)
    for status in (None, "todo", "done"):
        result = project.search(query, status)
        expected = [d for i, d in enumerate(ids) if hit(i) and (status is None or (status == "done") == bool(i % 3))]
        assert result.count == len(expected) and result.unsearched == 0
        pages = [s.id for offset in range(0, 30, 7) for s in result.page(offset, 7)]
        assert pages == expected
        for doc_id in ids:
            row = project.document_row(doc_id, status, query)
            assert row == (expected.index(doc_id) if doc_id in expected else None)


def test_search_store_pending_catch_up_budget_is_reported(project, docs):
    unindex(project)
    starved = project.search("talks", catch_up_seconds=0)
    assert starved.unsearched == 3 and starved.count == 0  # nothing reached yet, and it says so
    complete = project.search("talks")
    assert complete.unsearched == 0 and [s.id for s in complete.page(0, 10)] == [docs[0]]
    assert project.update_search_index() == 0
    assert project.search("talks").unsearched == 0 and project.search_count("talks") == 1


def test_search_store_query_is_never_fts_syntax():
    assert fts_query('a" OR b*') == '"a"* "or"* "b"*'
    assert fts_query("  -- ") is None
    assert fts_query('NEAR("x" "y") title:z ^w') == '"near"* "x"* "y"* "title"* "z"* "w"*'


def test_search_store_migration_uses_the_search_tokenizer(project):
    sql = next(project.db.query("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'"))["sql"]
    assert f"tokenize='{TOKENIZER}'" in sql and "detail=none" in sql and "prefix='1 2'" in sql
    config = dict((r["k"], r["v"]) for r in project.db.query("SELECT k, v FROM documents_fts_config"))
    assert config.get("hashsize") == 8388608
    assert migrations.LATEST_VERSION >= 3


@pytest.mark.parametrize("indexed", [True, False])
def test_search_store_filters_and_shows_an_annotators_own_status(project, indexed):
    # Bob keeps statuses of his own (annotator layers): every other document is done for him
    # (and those the project had done when his became his own), every third for the project;
    # search, pages, count and rows follow whose status is asked.
    ids = [add_document(project, f"Lisbon {'story' if i % 5 == 0 else 'note'} {i}", title=f"d{i}",
                        status="done" if i % 3 == 0 else "todo") for i in range(20)]
    project.add_annotator("bob")
    project.set_statuses(ids[::2], "done", annotator="bob")
    assert project.find_annotator("bob").separate_status
    if not indexed:
        unindex(project)
    bob_done = {d for i, d in enumerate(ids) if i % 2 == 0 or i % 3 == 0}
    assert {d for d in ids if project.document_status(d, "bob") == "done"} == bob_done
    for annotator, done in (("bob", bob_done), (None, {d for i, d in enumerate(ids) if i % 3 == 0})):
        for query, status in (("lisbon", "done"), ("story", "todo"), ("story", None)):
            expected = [d for i, d in enumerate(ids) if (query == "lisbon" or i % 5 == 0)
                        and (status is None or (d in done) == (status == "done"))]
            assert project.search_count(query, status, annotator=annotator) == len(expected)
            page = project.search_documents(query, 0, 50, status, annotator=annotator)
            assert [s.id for s in page] == expected
            assert all(s.status == ("done" if s.id in done else "todo") for s in page)
            assert project.search_unsearched(query, status, annotator) == 0
            for doc_id in ids:
                row = project.document_row(doc_id, status, query, annotator=annotator)
                assert row == (expected.index(doc_id) if doc_id in expected else None), (annotator, query, doc_id)


@pytest.mark.parametrize("indexed", [False, True])
def test_search_store_keeps_to_the_documents_assigned_to_an_annotator(project, indexed):
    # The window's "Only those assigned to NAME" with a search typed: count, pages, rows and
    # what is still being indexed all keep to the assignment, indexed or not.
    ids = [add_document(project, f"Lisbon {'story' if i % 4 == 0 else 'note'} {i}", title=f"d{i}",
                        status="done" if i % 3 == 0 else "todo") for i in range(24)]
    project.add_annotator("carol")
    project.assign({"carol": ids[::3]})
    if not indexed:
        unindex(project)
    carol = set(ids[::3])
    for query, status in (("lisbon", None), ("story", None), ("lisbon", "done"), ("note", "todo")):
        expected = [d for i, d in enumerate(ids) if d in carol and (query == "lisbon" or (i % 4 == 0) == (query == "story"))
                    and (status is None or (i % 3 == 0) == (status == "done"))]
        assert project.search_count(query, status, assigned="carol") == len(expected)
        assert [s.id for s in project.search_documents(query, 0, 50, status, assigned="carol")] == expected
        assert project.search_unsearched(query, status, assigned="carol") == 0
        for doc_id in ids:
            row = project.document_row(doc_id, status, query, assigned="carol")
            assert row == (expected.index(doc_id) if doc_id in expected else None), (query, status, doc_id)
    assert project.search_count("lisbon", assigned="nobody-known") == 0



@pytest.mark.parametrize("first_page", [3, 200])  # pages past the first page / all in it
def test_search_store_plain_search_answers_as_sql_does(project, monkeypatch, first_page):
    """A search without filters gets its count with the first page and its rows in one
    statement each: they must be what the filtered searches' SQL says, with a list order
    (positions) unlike the id order."""
    from annotator.store import search

    monkeypatch.setattr(search, "FIRST_PAGE", first_page)
    ids = [add_document(project, f"report {i} {'common' if i % 3 else 'rare'} {'zebra' if i % 7 == 0 else ''}")
           for i in range(60)]
    with project.transaction():  # a list order unlike the id order (documents moved by hand)
        for rank, doc_id in enumerate(sorted(ids, key=lambda i: (i * 37) % 61)):
            project.db.execute("UPDATE documents SET position = ? WHERE id = ?", [rank, doc_id])
    positions = {r["id"]: r["position"] for r in project.db.query("SELECT id, position FROM documents")}
    offsets = (0, 1, 2, 5, 17, 39, 60)
    for query in ("common", "rare", "zebra", "report", "zzz"):
        reference = project.search(query)
        reference._plain = lambda: False  # noqa: SLF001 - the filtered searches' SQL
        expected = (reference.count, [[s.id for s in reference.page(o, 7)] for o in offsets],
                    [reference.row_of(doc_id, positions[doc_id]) for doc_id in ids])
        for order in ("rows first", "pages first"):  # the count is found with the first page, or later
            result = project.search(query)
            rows = [result.row_of(doc_id, positions[doc_id]) for doc_id in ids] if order == "rows first" else None
            pages = [[s.id for s in result.page(o, 7)] for o in offsets]
            rows = rows or [result.row_of(doc_id, positions[doc_id]) for doc_id in ids]
            assert (result.count, pages, rows) == expected, (query, order)
