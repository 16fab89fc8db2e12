"""Full-text search over document titles and texts (SQLite FTS5).

Indexing is deferred: an insert only notes the document in ``search_pending`` (a trigger),
so imports stay near raw-insert speed; ``update_search_index`` indexes pending documents in
batches, off the GUI thread. Until then, pending documents are searched with a plain
substring scan, so results are complete either way.
"""

from __future__ import annotations

import re

from ..core.model import DocumentSummary
from ..core.textutil import snippet

WORD_RE = re.compile(r"\w+", re.UNICODE)
SNIPPET_CHARS = 200


def fts_query(text: str) -> str | None:
    """Every word of what the user typed, as a quoted prefix term (so no FTS syntax leaks in)."""
    words = WORD_RE.findall(text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


class SearchStore:
    """Mixed into ``Project``."""

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

    def _search_where(self, query: str, status: str | None, status_expr: str = "status") -> tuple[str, list]:
        match = fts_query(query)
        if match is None:
            return "0", []
        words = WORD_RE.findall(query)
        scan = " AND ".join(["instr(lower(title || ' ' || text), lower(?)) > 0"] * len(words))
        where = (f"(documents.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
                 f" OR (documents.id IN (SELECT doc_id FROM search_pending) AND {scan}))")
        params: list = [match, *words]
        if status is not None:
            where += f" AND {status_expr} = ?"
            params.append(status)
        return where, params

    def search_count(self, query: str, status: str | None = None, annotator: str | None = None, *,
                     assigned: str | None = None) -> int:
        expr, join, joined = self.status_sql(annotator)
        where, params = self._search_where(query, status, expr)
        mine, chosen = self.assigned_sql(assigned)
        return next(self.db.query(f"SELECT count(*) AS n FROM documents{join} WHERE {where} AND {mine}",
                                  [*joined, *params, *chosen]))["n"]

    def search_documents(self, query: str, offset: int, limit: int, status: str | None = None,
                         annotator: str | None = None, *, assigned: str | None = None) -> list[DocumentSummary]:
        """A page of matching documents in document order (every word must occur, as a prefix);
        the status shown and filtered is ``annotator``'s (None: the project's own); ``assigned``:
        only the documents assigned to that annotator."""
        expr, join, joined = self.status_sql(annotator)
        where, params = self._search_where(query, status, expr)
        mine, chosen = self.assigned_sql(assigned)
        where, params = f"{where} AND {mine}", [*params, *chosen]
        rows = self.db.query(
            f"SELECT documents.id, title, substr(text, 1, {SNIPPET_CHARS}) AS head, {expr} AS status, position"
            f" FROM documents{join} WHERE {where} ORDER BY position LIMIT ? OFFSET ?",
            [*joined, *params, limit, offset])
        return [DocumentSummary(r["id"], r["title"], snippet(r["head"]), r["status"], r["position"]) for r in rows]
