"""The local side of syncing with a team server: the link, the change log, acknowledgements.

A project linked to a server has one ``sync_remote`` row: the server's address (never a
password), which server project it is, whose layer this file writes, and two watermarks:
``pushed_seq`` (every local change up to it is on the server) and ``pulled_seq`` (every
server change up to it is here). While it exists, triggers (store/migrations.py) give each
(document, annotator) unit a new sequence number in ``sync_changes`` whenever a row of it
changes, so a sync sends only units changed since ``pushed_seq``. A pull writes with the
log paused, inside its own transaction, so what it brings is never sent back.

``sync_units`` keeps the server's version of each unit this file last saw; a push of a unit
the server has since had from someone else is a conflict (``sync_conflicts``), shown and
kept here, never overwritten either way without the user's word.
"""

from __future__ import annotations

import contextlib
import uuid as uuidlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..core.team import Annotator
from . import sync_log
from .errors import ProjectError
from .layer_rows import chunks
from .project import Project, now_iso


@dataclass(frozen=True)
class Remote:
    url: str
    server_id: str
    annotator_uuid: str
    reviewer: bool
    gold_uuid: str | None
    scope: str  # "assigned": the documents assigned to this annotator; "all"
    client_id: str
    pushed_seq: int
    pulled_seq: int
    linked_at: str
    last_sync_at: str | None
    offline_since: str | None
    last_error: str | None

    @property
    def writes(self) -> list[str]:
        """The uuids of the layers this file pushes: its annotator's, and gold for a reviewer
        (none for the lead's project, which only pulls)."""
        return [u for u in (self.annotator_uuid, self.gold_uuid if self.reviewer else None) if u]


@dataclass(frozen=True)
class Pending:
    """Units changed since the last acknowledged push, read in one snapshot."""

    high: int  # the highest change number in the snapshot: acknowledge up to it
    units: list[tuple[int, int, int]]  # (doc_id, annotator_id, seq)


@dataclass(frozen=True)
class Conflict:
    doc_id: int
    annotator_id: int
    title: str
    layer: str  # the annotator's ref
    server_seq: int
    written_by: str
    written_at: str


_COLUMNS = ("url, server_id, annotator_uuid, reviewer, gold_uuid, scope, client_id, pushed_seq, pulled_seq, "
            "linked_at, last_sync_at, offline_since, last_error")


def remote(project: Project) -> Remote | None:
    row = project.db.conn.execute(f"SELECT {_COLUMNS} FROM sync_remote WHERE id = 1").fetchone()
    if row is None:
        return None
    return Remote(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7], row[8], row[9], row[10],
                  row[11], row[12])


def link(project: Project, url: str, server_id: str, annotator: Annotator | None, *, reviewer: bool = False,
         gold_uuid: str | None = None, scope: str = "assigned") -> Remote:
    """Link the project to a server project as ``annotator``'s copy (None: the lead's project,
    which pulls every layer and writes none). Everything already in the layers it writes
    counts as changed, so the first sync sends it."""
    with project.transaction():
        existing = remote(project)
        if existing is not None and existing.server_id != server_id:
            raise ProjectError(f"{project.path.name} is already linked to another server project ({existing.url}); "
                               "a project file syncs with one server project")
        who = annotator.uuid if annotator else ""
        if existing is not None and existing.annotator_uuid == who:
            # The same link again (a new address, a role made reviewer): keep what was synced.
            project.db.conn.execute("UPDATE sync_remote SET url = ?, reviewer = ?, gold_uuid = ?, scope = ? WHERE id = 1",
                                    [url, int(reviewer), gold_uuid, scope])
        else:
            client = existing.client_id if existing else str(uuidlib.uuid4())
            project.db.conn.execute(
                f"INSERT OR REPLACE INTO sync_remote (id, {_COLUMNS}) VALUES (1, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, NULL,"
                " NULL, NULL)", [url, server_id, who, int(reviewer), gold_uuid, scope, client, now_iso()])
            mark_layers_changed(project, annotator_ids(project, [who, *([gold_uuid] if reviewer and gold_uuid else [])]))
        sync_log.create_triggers(project.db.conn)
        found = remote(project)
    assert found is not None
    return found


def mark_layers_changed(project: Project, annotator_ids: Sequence[int]) -> int:
    """Give every unit of these annotators that holds something a new change number."""
    conn = project.db.conn
    total = 0
    for annotator_id in annotator_ids:
        expr, join, params = project.status_sql(_uuid(project, annotator_id))
        total += conn.execute(
            "INSERT INTO sync_changes (doc_id, annotator_id, seq) SELECT doc_id, ?,"
            " (SELECT coalesce(max(seq), 0) FROM sync_changes) + row_number() OVER (ORDER BY doc_id)"
            " FROM (SELECT doc_id FROM spans WHERE annotator_id = ? UNION SELECT doc_id FROM doc_labels"
            f" WHERE annotator_id = ? UNION SELECT documents.id FROM documents{join} WHERE {expr} != 'todo')"
            " WHERE true ON CONFLICT (doc_id, annotator_id) DO UPDATE SET seq = excluded.seq",
            [annotator_id, annotator_id, annotator_id, *params]).rowcount
    return total


def _uuid(project: Project, annotator_id: int) -> str:
    return project.db.conn.execute("SELECT uuid FROM annotators WHERE id = ?", [annotator_id]).fetchone()[0]


def unlink(project: Project) -> None:
    with project.transaction():
        for table in ("sync_remote", "sync_changes", "sync_documents", "sync_units", "sync_conflicts"):
            project.db.conn.execute(f"DELETE FROM {table}")
        sync_log.drop_triggers(project.db.conn)


def annotator_ids(project: Project, uuids: Iterable[str]) -> list[int]:
    wanted = set(uuids)
    return [a.id for a in project.annotator_list() if a.uuid in wanted]


def uncarried(project: Project, annotator_ids: Sequence[int] | None = None) -> int:
    """How many span or relation attribute values and notes, events and equivalences the given
    layers (None: every annotator's) hold: rows a sync does not carry (docs/teams.md)."""
    if annotator_ids is not None and not annotator_ids:
        return 0
    ids = list(annotator_ids or [])
    who = f"IN ({','.join('?' * len(ids))})" if annotator_ids is not None else "IS NOT NULL"
    # CROSS JOIN keeps these (usually empty) tables outside: never a walk over every span.
    parts = [f"SELECT count(*) FROM {table} x CROSS JOIN spans s ON s.id = x.span_id WHERE s.annotator_id {who}"
             for table in ("attribute_values", "annotation_notes")]
    parts += [f"SELECT count(*) FROM {table} x CROSS JOIN relations r ON r.id = x.relation_id"
              f" WHERE r.annotator_id {who}" for table in ("attribute_values", "annotation_notes")]
    parts += [f"SELECT count(*) FROM {table} WHERE annotator_id {who}" for table in ("events", "equivalences")]
    return sum(project.db.conn.execute(query, ids).fetchone()[0] for query in parts)


# ------------------------------------------------------------------ the change log
@contextlib.contextmanager
def snapshot(project: Project) -> Iterator[None]:
    """One read transaction: everything read inside sees the file at one moment (WAL)."""
    conn = project.db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def pending(project: Project, since: int, annotator_ids: Sequence[int]) -> Pending:
    """Units of these annotators changed after ``since`` (call inside ``snapshot``)."""
    conn = project.db.conn
    high = conn.execute("SELECT coalesce(max(seq), 0) FROM sync_changes").fetchone()[0]
    if not annotator_ids:
        return Pending(high, [])
    marks = ",".join("?" * len(annotator_ids))
    units = conn.execute(f"SELECT doc_id, annotator_id, seq FROM sync_changes WHERE seq > ? AND annotator_id IN"
                         f" ({marks}) ORDER BY seq", [since, *annotator_ids]).fetchall()
    return Pending(high, [tuple(u) for u in units])


def pending_count(project: Project) -> int:
    """How many documents' layers wait to be sent (0 when the project is not linked)."""
    found = remote(project)
    if found is None:
        return 0
    ids = annotator_ids(project, found.writes)
    if not ids:
        return 0
    marks = ",".join("?" * len(ids))
    return project.db.conn.execute(
        f"SELECT count(*) FROM sync_changes WHERE seq > ? AND annotator_id IN ({marks})",
        [found.pushed_seq, *ids]).fetchone()[0]


def server_documents(project: Project) -> dict[int, int]:
    """Local document id -> the server's id of it."""
    return dict(project.db.conn.execute("SELECT doc_id, server_doc FROM sync_documents").fetchall())


def local_documents_by_hash(project: Project, hashes: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(list(hashes)):
        found.update(project.db.conn.execute(
            f"SELECT content_hash, id FROM documents WHERE content_hash IN ({','.join('?' * len(chunk))})",
            list(chunk)).fetchall())
    return found


def map_documents(project: Project, pairs: Iterable[tuple[int, int]]) -> None:
    """Record (local id, server id) pairs (in the caller's transaction)."""
    project.db.conn.executemany("INSERT OR REPLACE INTO sync_documents (doc_id, server_doc) VALUES (?, ?)", pairs)


def base_seqs(project: Project) -> dict[tuple[int, int], int]:
    """(doc_id, annotator_id) -> the server version of the unit this file last saw."""
    return {(d, a): s for d, a, s in project.db.conn.execute(
        "SELECT doc_id, annotator_id, server_seq FROM sync_units")}


# ------------------------------------------------------------------ after a push or pull
def record_units(project: Project, units: Iterable[tuple[int, int, int]]) -> None:
    """The server's version of units (doc_id, annotator_id, server seq): this file has it."""
    project.db.conn.executemany(
        "INSERT INTO sync_units (doc_id, annotator_id, server_seq) VALUES (?, ?, ?)"
        " ON CONFLICT (doc_id, annotator_id) DO UPDATE SET server_seq = excluded.server_seq", units)


def acknowledge_push(project: Project, high: int, units: Iterable[tuple[int, int, int]]) -> None:
    """The server has every change up to ``high`` (one transaction with the units' versions)."""
    with project.transaction():
        record_units(project, units)
        project.db.conn.execute("UPDATE sync_remote SET pushed_seq = max(pushed_seq, ?) WHERE id = 1", [high])


def set_pulled(project: Project, seq: int) -> None:
    project.db.conn.execute("UPDATE sync_remote SET pulled_seq = max(pulled_seq, ?) WHERE id = 1", [seq])


@contextlib.contextmanager
def log_paused(project: Project) -> Iterator[None]:
    """Inside the caller's transaction: writes are not logged as local changes (what a pull
    brings is the server's already). Nobody else ever sees the pause."""
    conn = project.db.conn
    assert conn.in_transaction, "pause the change log only inside a transaction"
    conn.execute("UPDATE sync_remote SET logging = 0 WHERE id = 1")
    try:
        yield
    finally:
        conn.execute("UPDATE sync_remote SET logging = 1 WHERE id = 1")


def record_outcome(project: Project, *, error: str | None) -> None:
    """Remember when the last sync succeeded, or since when the server is out of reach."""
    now = now_iso()
    with project.transaction():
        if error is None:
            project.db.conn.execute("UPDATE sync_remote SET last_sync_at = ?, offline_since = NULL, last_error = NULL"
                                    " WHERE id = 1", [now])
        else:
            project.db.conn.execute("UPDATE sync_remote SET offline_since = coalesce(offline_since, ?),"
                                    " last_error = ? WHERE id = 1", [now, error])


# ------------------------------------------------------------------ conflicts
def record_conflicts(project: Project, rows: Iterable[tuple[int, int, int, str, str]]) -> None:
    """(doc_id, annotator_id, server seq, written by, written at) the server refused to replace."""
    now = now_iso()
    project.db.conn.executemany(
        "INSERT OR REPLACE INTO sync_conflicts (doc_id, annotator_id, server_seq, written_by, written_at,"
        " detected_at) VALUES (?, ?, ?, ?, ?, ?)", [(*row, now) for row in rows])


def conflicts(project: Project) -> list[Conflict]:
    refs = {a.id: a.ref for a in project.annotator_list()}
    return [Conflict(r[0], r[1], r[2], refs.get(r[1], "?"), r[3], r[4], r[5]) for r in project.db.conn.execute(
        "SELECT c.doc_id, c.annotator_id, d.title, c.server_seq, c.written_by, c.written_at FROM sync_conflicts c"
        " JOIN documents d ON d.id = c.doc_id ORDER BY d.position")]


def conflict_keys(project: Project) -> set[tuple[int, int]]:
    return {(d, a) for d, a in project.db.conn.execute("SELECT doc_id, annotator_id FROM sync_conflicts")}


def keep_mine(project: Project) -> int:
    """The user chose their own version of every conflicting unit: it is sent next, replacing
    the server's (whose version they have now seen)."""
    with project.transaction():
        conn = project.db.conn
        rows = conn.execute("SELECT doc_id, annotator_id, server_seq FROM sync_conflicts").fetchall()
        record_units(project, rows)
        for doc_id, annotator_id, _ in rows:
            conn.execute("INSERT INTO sync_changes (doc_id, annotator_id, seq) SELECT ?, ?,"
                         " (SELECT coalesce(max(seq), 0) + 1 FROM sync_changes) WHERE true"
                         " ON CONFLICT (doc_id, annotator_id) DO UPDATE SET seq = excluded.seq", [doc_id, annotator_id])
        conn.execute("DELETE FROM sync_conflicts")
    return len(rows)


def drop_conflicts(project: Project, keys: Iterable[tuple[int, int]]) -> None:
    project.db.conn.executemany("DELETE FROM sync_conflicts WHERE doc_id = ? AND annotator_id = ?", keys)
