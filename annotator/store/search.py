"""Full-text search over document titles and texts (SQLite FTS5).

Every search path folds case and diacritics with ONE tokenizer, SQLite's own
``unicode61 remove_diacritics 2`` (TOKENIZER), so a query finds the same documents whether
they are indexed or not:

- the query is split into tokens by that tokenizer (in a private in-memory database), and
  each token becomes a quoted prefix term, so no FTS syntax leaks in and every word must
  occur as a word or the start of one ("REYKJAVÍK" and "reykjavik" are one token);
- indexed documents are found in ``documents_fts``;
- documents not indexed yet (``search_pending``) are indexed on the fly into an in-memory
  FTS5 table with the same tokenizer, in document id order, at most ``CATCH_UP_SECONDS`` per
  new search; what the budget did not reach is counted in ``SearchResult.unsearched``.
  (A Python fold such as casefold + stripping marks differs from unicode61 on hundreds of
  characters: "ß", "İ", "Ł", letters unassigned in Unicode 6.1.)

Imports index their documents in the same transaction (store.import_writer: about a tenth of
the import's time), so pending documents are rare: projects from before that, or documents a
future code path inserts without indexing; the window's background indexer catches them up.

Results: a count and pages in list order. A page walks the position index and stops after
it, so the first page of a word in every document costs as little as that of a rare word.
Each statement that needs the matches evaluates the FTS query once, and that evaluation is
most of a search's cost (a phrase of two prefix terms in 88 % of 100,000 documents: about
20 ms), so a search without filters asks for as few as it can: its count comes with the
list's first page in one statement (the matches kept in a materialized CTE), and whether a
document matches comes with its row (before: three evaluations for a search and its row).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field

from ..core.model import DocumentSummary
from ..core.textutil import snippet
from .annotators import PROJECT_STATUS, StatusSource

TOKENIZER = "unicode61 remove_diacritics 2"  # documents_fts's (migrations.py): every path uses it
SNIPPET_CHARS = 200
CATCH_UP_SECONDS = 0.2  # per new search, indexing pending documents in memory (< 300 ms in all)
CATCH_UP_BATCH = 100
MAX_QUERY_TOKENS = 64
FIRST_PAGE = 200  # ui.views.document_model.PAGE_SIZE: the list's first page comes with the count
# The matches of an FTS query, evaluated once for the statement that follows it.
_HITS = "WITH hits(id) AS MATERIALIZED (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?) "


class _QueryTokenizer(threading.local):
    """An in-memory FTS5 table per thread that tells the tokens of a query."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect(":memory:", check_same_thread=False)
        self.conn.execute(f"CREATE VIRTUAL TABLE q USING fts5(x, tokenize='{TOKENIZER}')")
        self.conn.execute("CREATE VIRTUAL TABLE qv USING fts5vocab(q, instance)")

    def tokens(self, text: str) -> list[str]:
        with self.conn:
            self.conn.execute("INSERT INTO q (rowid, x) VALUES (1, ?)", [text])
            found = [row[0] for row in self.conn.execute("SELECT term FROM qv ORDER BY offset")]
            self.conn.execute("DELETE FROM q")
        return found


_query_tokenizer = _QueryTokenizer()


def query_tokens(text: str) -> list[str]:
    """The tokens of what the user typed, folded as the index folds them (duplicates dropped)."""
    return list(dict.fromkeys(_query_tokenizer.tokens(text)))[:MAX_QUERY_TOKENS]


def fts_query(text: str) -> str | None:
    """Every token of what the user typed as a quoted prefix term; None when there is none.

    A token never holds a quote or a space (the tokenizer splits on both), so the quoting is
    safe, and each term is a single token, which an index without positions can answer."""
    tokens = query_tokens(text)
    if not tokens:
        return None
    return " ".join(f'"{token}"*' for token in tokens)


class _PendingIndex:
    """Pending documents indexed in memory with the same tokenizer, caught up in id order."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect(":memory:", check_same_thread=False)
        self.conn.execute(f"CREATE VIRTUAL TABLE p USING fts5(title, text, content='', detail=none,"
                          f" columnsize=0, tokenize='{TOKENIZER}')")
        self.last_id = 0  # every pending document up to this id is in the table

    def catch_up(self, db: object, seconds: float) -> None:
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            rows = list(db.execute(  # type: ignore[attr-defined]
                "SELECT id, title, text FROM documents WHERE id IN (SELECT doc_id FROM search_pending"
                " WHERE doc_id > ? ORDER BY doc_id LIMIT ?) ORDER BY id", [self.last_id, CATCH_UP_BATCH]))
            if not rows:
                return
            with self.conn:
                self.conn.executemany("INSERT INTO p (rowid, title, text) VALUES (?, ?, ?)", rows)
            self.last_id = rows[-1][0]

    def matches(self, match: str) -> list[int]:
        return [row[0] for row in self.conn.execute("SELECT rowid FROM p WHERE p MATCH ?", [match])]


@dataclass
class SearchResult:
    """One search: the count and pages of matching documents in list order.

    ``unsearched``: pending documents the time budget did not reach (0: the answer is complete).
    Pages and count agree with each other: they read the same snapshot of pending matches.
    ``status`` filters, and pages show, ``annotator``'s status as ``source`` reads it
    (store.annotators.status_sql; the project's own: ``documents.status``); ``assigned_filter``
    keeps the documents assigned to ``assigned``.
    """

    store: SearchStore
    query: str
    status: str | None
    match: str | None
    annotator: str | None = None
    source: StatusSource = PROJECT_STATUS
    assigned: str | None = None
    assigned_filter: tuple[str, list] = ("1", [])  # store.layers.assigned_sql: "1" is no filter
    pending: list[int] = field(default_factory=list)  # pending documents that match
    pending_misses: list[int] | None = None  # or, when shorter: those in memory that do not
    pending_reached: int = 0  # pending documents up to this id are in memory
    unsearched: int = 0
    _count: int | None = None
    _first: list[int] | None = None  # a plain search's first page of ids, found with its count

    def _plain(self) -> bool:
        """No filter and nothing pending: the FTS index alone says which documents match."""
        return (self.status is None and not self.pending and self.pending_misses is None
                and self.assigned_filter[0] == "1")

    def _where(self) -> tuple[str, list]:
        """A WHERE clause over ``documents`` for the matches (and the status filter)."""
        if self.match is None:
            return "0", []
        where = "documents.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
        params: list = [self.match]
        if self.pending_misses is not None:  # most pending documents match (a common word)
            where = (f"({where} OR (documents.id IN (SELECT doc_id FROM search_pending WHERE doc_id <= ?)"
                     " AND documents.id NOT IN (SELECT value FROM json_each(?))))")
            params += [self.pending_reached, json.dumps(self.pending_misses)]
        elif self.pending:
            where = (f"({where} OR (documents.id IN (SELECT value FROM json_each(?))"
                     " AND documents.id IN (SELECT doc_id FROM search_pending)))")
            params.append(json.dumps(self.pending))
        if self.status is not None:
            where += f" AND {self.source[0]} = ?"
            params.append(self.status)
        mine, chosen = self.assigned_filter
        if mine != "1":
            where += f" AND {mine}"
            params += chosen
        return where, params

    def _from(self, index: str | None = None) -> tuple[str, list]:
        """``documents`` (read through ``index``) with the join the status needs, and its parameters."""
        _expr, join, joined = self.source
        return f"documents{f' INDEXED BY {index}' if index else ''}{join}", joined

    @property
    def count(self) -> int:
        if self._count is None:
            db = self.store.db
            if self.match is None:
                self._count = 0
            elif self._plain():  # the count and the first page from one evaluation of the query
                rows = db.conn.execute(
                    f"{_HITS}SELECT (SELECT count(*) FROM hits), documents.id FROM documents INDEXED BY"
                    " documents_position WHERE documents.id IN hits ORDER BY position LIMIT ?",
                    [self.match, FIRST_PAGE]).fetchall()
                self._count = rows[0][0] if rows else 0
                self._first = [row[1] for row in rows]
            else:
                where, params = self._where()
                # The (status, position) index holds everything the filter needs: no row is read
                # (a row's status lies past its text, in the overflow pages).
                source, joined = self._from("documents_status_position")
                self._count = next(db.query(f"SELECT count(*) AS n FROM {source} WHERE {where}",
                                            [*joined, *params]))["n"]
        return self._count

    def page(self, offset: int, limit: int) -> list[DocumentSummary]:
        """Matching documents ``offset`` to ``offset + limit`` in list order."""
        if self.match is None or limit <= 0 or self._count == 0:
            return []
        offset = max(0, offset)
        first = self._first
        if first is not None and (offset + limit <= len(first) or len(first) == self._count):
            ids = first[offset:offset + limit]
        else:
            where, params = self._where()
            # Walk the position index and stop at the page's end, instead of reading every match's
            # row to sort them (86 ms for a common word at 100,000 documents).
            source, joined = self._from(self._index())
            ids = [r["id"] for r in self.store.db.query(
                f"SELECT documents.id AS id FROM {source} WHERE {where} ORDER BY position LIMIT ? OFFSET ?",
                [*joined, *params, limit, offset])]
        if not ids:
            return []
        source, joined = self._from()
        rows = {r["id"]: r for r in self.store.db.query(
            f"SELECT documents.id AS id, title, substr(text, 1, {SNIPPET_CHARS}) AS head, {self.source[0]} AS status,"
            f" position FROM {source} WHERE documents.id IN (SELECT value FROM json_each(?))",
            [*joined, json.dumps(ids)])}
        return [DocumentSummary(r["id"], r["title"], snippet(r["head"]), r["status"], r["position"])
                for r in (rows[i] for i in ids if i in rows)]

    def row_of(self, doc_id: int, position: int) -> int | None:
        """The row of a document (at ``position`` in the list) among the results, or None."""
        if self._plain():
            return self._plain_row(doc_id, position)
        where, params = self._where()
        db = self.store.db
        source, joined = self._from()
        if not next(db.query(f"SELECT count(*) AS n FROM {source} WHERE documents.id = ? AND {where}",
                             [*joined, doc_id, *params]))["n"]:
            return None
        # Count on the shorter side of the document in the position index: a late document's
        # row is the count of all matches less those from it on.
        last = next(db.query("SELECT max(position) AS p FROM documents"))["p"] or 0
        source, joined = self._from(self._index())
        if position <= last / 2:
            return next(db.query(f"SELECT count(*) AS n FROM {source} WHERE position < ? AND {where}",
                                 [*joined, position, *params]))["n"]
        return self.count - next(db.query(f"SELECT count(*) AS n FROM {source} WHERE position >= ? AND {where}",
                                          [*joined, position, *params]))["n"]

    def _plain_row(self, doc_id: int, position: int) -> int | None:
        """``row_of`` for a search without filters: from the first page when it is there, else
        the matches on the shorter side of the document and whether it is one of them, in one
        statement."""
        if self.match is None:
            return None
        count = self.count
        first = self._first or []
        if doc_id in first:
            return first.index(doc_id)
        if len(first) == count:
            return None
        conn = self.store.db.conn
        last = conn.execute("SELECT max(position) FROM documents").fetchone()[0] or 0
        # The side's matches counted with the document among them: whether it matches comes
        # from the same evaluation of the query.
        before = position <= last / 2
        side, found = conn.execute(
            f"SELECT {'sum(position < ?)' if before else 'count(*) + 0 * ?'}, max(documents.id = ?) FROM documents"
            f" INDEXED BY documents_position WHERE position {'<=' if before else '>='} ? AND documents.id IN"
            " (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)",
            [position, doc_id, position, self.match]).fetchone()
        if not found:
            return None
        return side if before else count - side

    def _index(self) -> str:
        # The (status, position) index serves a filter on the project's own status only.
        own_status = self.source[0] == PROJECT_STATUS[0]
        return "documents_status_position" if self.status is not None and own_status else "documents_position"


class SearchStore:
    """Mixed into ``Project``: needs ``db`` and ``transaction``."""

    _pending_index: _PendingIndex | None = None
    _last_search: SearchResult | None = None

    def search_pending_count(self) -> int:
        return next(self.db.query("SELECT count(*) AS n FROM search_pending"))["n"]

    def update_search_index(self, limit: int = 1000) -> int:
        """Index up to ``limit`` pending documents in one transaction; returns how many remain."""
        with self.transaction():
            ids = [r["doc_id"] for r in self.db.query(
                "SELECT doc_id FROM search_pending ORDER BY doc_id LIMIT ?", [limit])]
            if ids:
                marks = ",".join("?" * len(ids))
                self.db.execute(f"INSERT INTO documents_fts (rowid, title, text) SELECT id, title, text"
                                f" FROM documents WHERE id IN ({marks})", ids)
                self.db.execute(f"DELETE FROM search_pending WHERE doc_id IN ({marks})", ids)
        return self.search_pending_count()

    def search(self, query: str, status: str | None = None, *, annotator: str | None = None,
               assigned: str | None = None, catch_up_seconds: float | None = None) -> SearchResult:
        """Documents holding every word of ``query`` (as a word or a word's start), with
        ``annotator``'s ``status`` only if given (None: the project's own status). Costs an FTS
        lookup; pending documents cost at most ``catch_up_seconds`` more (see the module
        docstring). ``assigned``: only the documents assigned to that annotator. Count and
        pages come lazily from the result."""
        match = fts_query(query)
        result = SearchResult(self, query, status, match, annotator, self.status_sql(annotator), assigned,
                              self.assigned_sql(assigned))
        if match is None:
            return result
        pending = next(self.db.query("SELECT max(doc_id) AS last, count(*) AS n FROM search_pending"))
        if not pending["n"]:
            self._pending_index = None  # everything is indexed: free the memory
            return result
        index = self._pending_index
        if index is None:
            index = self._pending_index = _PendingIndex()
        index.catch_up(self.db, CATCH_UP_SECONDS if catch_up_seconds is None else catch_up_seconds)
        result.pending_reached = index.last_id
        result.pending = index.matches(match)
        reached = next(self.db.query("SELECT count(*) AS n FROM search_pending WHERE doc_id <= ?",
                                     [index.last_id]))["n"]
        result.unsearched = pending["n"] - reached if pending["last"] is not None else 0
        if len(result.pending) > reached // 2:  # name the few that miss instead of the many that match
            hits = set(result.pending)
            result.pending_misses = [r[0] for r in self.db.execute(
                "SELECT doc_id FROM search_pending WHERE doc_id <= ?", [index.last_id]) if r[0] not in hits]
            result.pending = []
        return result

    def search_among(self, query: str, ids: list[int]) -> set[int]:
        """Which of ``ids`` hold every word of ``query`` (as a search finds them, documents not
        indexed yet included within the search's time budget): review mode's lists searched."""
        result = self.search(query)
        if result.match is None or not ids:
            return set()
        where, params = result._where()
        return {row[0] for row in self.db.conn.execute(
            f"SELECT documents.id FROM documents WHERE documents.id IN (SELECT value FROM json_each(?)) AND {where}",
            [json.dumps(ids), *params])}

    def _search_result(self, query: str, status: str | None, annotator: str | None, fresh: bool,
                       assigned: str | None = None) -> SearchResult:
        last = self._last_search
        asked = (query, status, annotator, assigned)
        if fresh or last is None or (last.query, last.status, last.annotator, last.assigned) != asked:
            last = self._last_search = self.search(query, status, annotator=annotator, assigned=assigned)
        return last

    # The list model's calls: the count of a search starts it afresh, its pages reuse it.
    def search_count(self, query: str, status: str | None = None, annotator: str | None = None, *,
                     assigned: str | None = None) -> int:
        return self._search_result(query, status, annotator, fresh=True, assigned=assigned).count

    def search_documents(self, query: str, offset: int, limit: int, status: str | None = None,
                         annotator: str | None = None, *, assigned: str | None = None) -> list[DocumentSummary]:
        """A page of matching documents in document order (every word must occur, as a prefix);
        the status shown and filtered is ``annotator``'s (None: the project's own); ``assigned``:
        only the documents assigned to that annotator."""
        return self._search_result(query, status, annotator, fresh=False, assigned=assigned).page(offset, limit)

    def search_unsearched(self, query: str, status: str | None = None, annotator: str | None = None, *,
                          assigned: str | None = None) -> int:
        """Pending documents the last search of ``query`` could not reach in its time budget."""
        return self._search_result(query, status, annotator, fresh=False, assigned=assigned).unsearched

    def search_row(self, doc_id: int, position: int, status: str | None, query: str,
                   annotator: str | None = None, *, assigned: str | None = None) -> int | None:
        """The row of a document (at ``position``) in the results of ``query``, or None."""
        return self._search_result(query, status, annotator, fresh=False, assigned=assigned).row_of(doc_id, position)
