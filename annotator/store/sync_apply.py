"""Writing what a pull brought into the project file (inside the pull's transaction, with the
change log paused: store/sync_state.py).

Documents come with their text exactly as the server holds it (the lead's project's), after
the project's last document, todo for the file's own annotator; their undecided suggestions
come with them, belonging to no layer, as ``team split`` copies them. Layers are reconciled
by the workflow with core.layer_merge, as a merge does, and written with layer_rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..core.model import is_valid_origin
from .layer_rows import first_free_id
from .project import Project


def insert_documents(project: Project, documents: Sequence[tuple[int, str, str, str, str, str, str, str]]
                     ) -> dict[int, int]:
    """(server id, content hash, text, title, source, meta, created_at, updated_at) in order;
    returns server id -> local id."""
    conn = project.db.conn
    first = first_free_id(project, "documents")
    position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM documents").fetchone()[0]
    rows = [(first + i, text, digest, title, source, meta, position + i, created, updated)
            for i, (_, digest, text, title, source, meta, created, updated) in enumerate(documents)]
    conn.executemany("INSERT INTO documents (id, text, content_hash, title, source, meta, status, position,"
                     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'todo', ?, ?, ?)", rows)
    return {documents[i][0]: row[0] for i, row in enumerate(rows)}


def insert_suggestions(project: Project, rows: Iterable[tuple[int, int, int, str, str, str, str, str]],
                       label_ids: Mapping[str, int]) -> int:
    """(local doc id, start, end, label, text, origin, created_at, updated_at) as undecided
    suggestions; a label the project lacks or an origin that is not a model's or pattern's is
    left out (the server's rows are read as untrusted input)."""
    kept = [(doc, start, end, label_ids[label], text, origin, created, updated)
            for doc, start, end, label, text, origin, created, updated in rows
            if label in label_ids and is_valid_origin(origin) and isinstance(start, int) and isinstance(end, int)
            and 0 <= start < end]
    project.db.conn.executemany(
        'INSERT INTO spans (doc_id, start, "end", label_id, text, annotator_id, origin, state, created_at, updated_at)'
        " VALUES (?, ?, ?, ?, ?, NULL, ?, 'suggested', ?, ?)", kept)
    return len(kept)


def undecided_suggestions(project: Project, doc_ids: Sequence[int]) -> list[tuple]:
    """(doc id, start, end, label, text, origin, created_at, updated_at) of suggestions nobody
    has decided on, for publishing."""
    result: list[tuple] = []
    conn = project.db.conn
    for i in range(0, len(doc_ids), 500):
        chunk = list(doc_ids[i:i + 500])
        result.extend(conn.execute(
            'SELECT s.doc_id, s.start, s."end", l.name, s.text, s.origin, s.created_at, s.updated_at FROM spans s'
            " JOIN labels l ON l.id = s.label_id WHERE s.annotator_id IS NULL AND s.state = 'suggested'"
            f" AND s.doc_id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    return result


def documents_for_publishing(project: Project) -> list[tuple[int, str, str, str, str, str, str, str]]:
    """(id, content hash, text, title, source, meta, created_at, updated_at) in list order."""
    return project.db.conn.execute(
        "SELECT id, content_hash, text, title, source, meta, created_at, updated_at FROM documents"
        " ORDER BY position, id").fetchall()


def content_hashes(project: Project) -> dict[str, int]:
    return dict(project.db.conn.execute("SELECT content_hash, id FROM documents").fetchall())


def units_with_content(project: Project, annotator_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(doc_id, annotator_id) of these annotators' units that hold anything (for publishing)."""
    result: list[tuple[int, int]] = []
    for annotator_id in annotator_ids:
        expr, join, params = project.status_sql(
            project.db.conn.execute("SELECT uuid FROM annotators WHERE id = ?", [annotator_id]).fetchone()[0])
        result.extend((doc, annotator_id) for (doc,) in project.db.conn.execute(
            "SELECT doc_id FROM spans WHERE annotator_id = ? UNION SELECT doc_id FROM doc_labels WHERE annotator_id = ?"
            f" UNION SELECT documents.id FROM documents{join} WHERE {expr} != 'todo' ORDER BY 1",
            [annotator_id, annotator_id, *params]))
    return result
