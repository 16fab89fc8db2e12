"""What the lead puts on the server (``server publish``) and reads back (``server status``).

Publishing adds, never replaces: the scheme once (a project with another scheme is refused,
compared by fingerprint, core.team), annotators by UUID, documents by content hash (with
their undecided suggestions), and assignments. The lead's role owns the tables, so these
writes are not subject to the team's row-level security; annotators can only read them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .connection import ServerError
from .schema import WRITE_LOCK, meta, set_meta

GOLD_NAME = "gold"


class SchemeConflict(ServerError):
    """The project's label scheme is not the server project's."""


@dataclass(frozen=True)
class ServerAnnotator:
    uuid: str
    name: str
    role: str | None
    kind: str  # "annotator" | "gold"
    reviewer: bool


def annotators(cur: Any) -> list[ServerAnnotator]:
    cur.execute("SELECT uuid::text, name, role::text, kind, reviewer FROM annotator.annotators ORDER BY created_at, name")
    return [ServerAnnotator(*r) for r in cur.fetchall()]


def current_role(cur: Any) -> str:
    cur.execute("SELECT current_user::text")
    return cur.fetchone()[0]


def is_owner(cur: Any) -> bool:
    """Whether this connection's role owns the server's tables (the lead's)."""
    cur.execute("SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables"
                " WHERE schemaname = 'annotator' AND tablename = 'layers'")
    row = cur.fetchone()
    return bool(row and row[0])


# ------------------------------------------------------------------ publishing
def publish_scheme(cur: Any, scheme: dict, fingerprint: str, published_at: str) -> bool:
    """Put the scheme on the server the first time; afterwards it must be the same. Returns
    whether it was put there now."""
    current = meta(cur)
    if "scheme_fingerprint" in current:
        if current["scheme_fingerprint"] != fingerprint:
            raise SchemeConflict("the project's labels and claim attributes are not the server project's (their "
                                 "fingerprints differ); publish from a project with the same scheme")
        return False
    set_meta(cur, {"scheme": json.dumps(scheme, ensure_ascii=False), "scheme_fingerprint": fingerprint,
                   "published_at": published_at})
    return True


def add_annotators(cur: Any, people: Iterable[tuple[str, str, str | None, str, bool, str]]) -> None:
    """(uuid, name, role, kind, reviewer, created_at): new ones added; a known one keeps its
    row but takes a role or the reviewer flag given now."""
    for uid, name, role, kind, reviewer, created in people:
        cur.execute("SELECT role::text FROM annotator.annotators WHERE role = %s AND uuid <> %s", [role, uid])
        if role is not None and cur.fetchone() is not None:
            raise ServerError(f"the PostgreSQL role {role!r} already writes another annotator's layer on this server")
        cur.execute("INSERT INTO annotator.annotators (uuid, name, role, kind, reviewer, created_at)"
                    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (uuid) DO UPDATE SET"
                    " role = coalesce(excluded.role, annotator.annotators.role),"
                    " reviewer = annotator.annotators.reviewer OR excluded.reviewer",
                    [uid, name, role, kind, reviewer, created])


def gold_annotator(cur: Any) -> ServerAnnotator | None:
    return next((a for a in annotators(cur) if a.kind == "gold"), None)


def add_documents(cur: Any, documents: Iterable[tuple[str, str, str, str, str, str, str]]
                  ) -> tuple[dict[str, int], set[str]]:
    """(content hash, text, title, source, meta, created_at, updated_at) in the project's order,
    placed after the server's last; documents it has (by hash) are left as they are. Returns
    content hash -> server id for every document given, and the hashes of those added."""
    cur.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
    cur.execute("CREATE TEMP TABLE publish_docs (n bigint, content_hash text, text text, title text, source text,"
                " meta text, created_at text, updated_at text) ON COMMIT DROP")
    with cur.copy("COPY publish_docs FROM STDIN") as copy:
        for n, row in enumerate(documents):
            copy.write_row((n, *row))
    cur.execute("INSERT INTO annotator.documents (content_hash, text, title, source, meta, position, created_at,"
                " updated_at) SELECT p.content_hash, p.text, p.title, p.source, p.meta,"
                " (SELECT coalesce(max(position), -1) + 1 FROM annotator.documents) + p.n, p.created_at, p.updated_at"
                " FROM publish_docs p WHERE NOT EXISTS (SELECT 1 FROM annotator.documents d"
                " WHERE d.content_hash = p.content_hash) ORDER BY p.n RETURNING content_hash")
    added = {r[0] for r in cur.fetchall()}
    cur.execute("SELECT d.content_hash, d.id FROM annotator.documents d JOIN publish_docs p USING (content_hash)")
    return dict(cur.fetchall()), added


def add_suggestions(cur: Any, rows: Iterable[tuple]) -> int:
    """(doc, start, end, label, text, origin, created_at, updated_at) of documents that have none yet."""
    cur.execute("CREATE TEMP TABLE publish_suggestions (LIKE annotator.suggestions) ON COMMIT DROP")
    with cur.copy('COPY publish_suggestions (doc, start, "end", label, text, origin, created_at, updated_at)'
                  " FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cur.execute("INSERT INTO annotator.suggestions SELECT * FROM publish_suggestions p WHERE NOT EXISTS"
                " (SELECT 1 FROM annotator.suggestions s WHERE s.doc = p.doc)")
    return cur.rowcount


def assigned_documents(cur: Any) -> set[int]:
    cur.execute("SELECT DISTINCT doc FROM annotator.assignments")
    return {r[0] for r in cur.fetchall()}


def add_assignments(cur: Any, rows: Sequence[tuple[int, str, str]]) -> int:
    """(doc, annotator uuid, assigned_at); ones the server has are kept."""
    cur.execute("CREATE TEMP TABLE publish_assignments (doc bigint, annotator uuid, assigned_at text) ON COMMIT DROP")
    with cur.copy("COPY publish_assignments FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cur.execute("INSERT INTO annotator.assignments (doc, annotator, assigned_at) SELECT doc, annotator, assigned_at"
                " FROM publish_assignments ON CONFLICT (annotator, doc) DO NOTHING")
    return cur.rowcount


def document_count(cur: Any) -> int:
    cur.execute("SELECT count(*) FROM annotator.documents")
    return cur.fetchone()[0]


# ------------------------------------------------------------------ progress
@dataclass(frozen=True)
class ServerProgress:
    annotator: ServerAnnotator
    assigned: int
    total: int  # assigned documents, or every document when none are
    done: int
    skipped: int
    spans: int
    claims: int
    last_write: str | None  # when their layer last changed on the server

    @property
    def todo(self) -> int:
        return self.total - self.done - self.skipped


def progress(cur: Any) -> list[ServerProgress]:
    """Per annotator: statuses over their assigned documents (every document when they have
    none), spans and claims on the server, and when they last sent anything."""
    everyone = annotators(cur)
    total = document_count(cur)
    cur.execute("SELECT annotator::text, count(*) FROM annotator.assignments GROUP BY 1")
    assigned = dict(cur.fetchall())
    cur.execute("SELECT l.annotator::text, l.status, count(*) FROM annotator.layers l WHERE l.status <> 'todo'"
                " AND (NOT EXISTS (SELECT 1 FROM annotator.assignments a WHERE a.annotator = l.annotator)"
                " OR EXISTS (SELECT 1 FROM annotator.assignments a WHERE a.annotator = l.annotator AND a.doc = l.doc))"
                " GROUP BY 1, 2")
    statuses: dict[tuple[str, str], int] = {(r[0], r[1]): r[2] for r in cur.fetchall()}
    cur.execute("SELECT annotator::text, count(*) FROM annotator.spans GROUP BY 1")
    spans = dict(cur.fetchall())
    cur.execute("SELECT annotator::text, count(*) FROM annotator.claims GROUP BY 1")
    claims = dict(cur.fetchall())
    cur.execute("SELECT annotator::text, max(written_at)::text FROM annotator.layers GROUP BY 1")
    last = dict(cur.fetchall())
    return [ServerProgress(a, assigned.get(a.uuid, 0), assigned.get(a.uuid, 0) or total,
                           statuses.get((a.uuid, "done"), 0), statuses.get((a.uuid, "skipped"), 0),
                           spans.get(a.uuid, 0), claims.get(a.uuid, 0), last.get(a.uuid)) for a in everyone]
