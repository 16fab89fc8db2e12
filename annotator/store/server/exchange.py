"""Sending units to the server and reading what changed there, in SQL over psycopg.

A push is one transaction under the server's write lock (schema.WRITE_LOCK):

1. the units' headers go to a temporary table (``COPY``);
2. units the server has since had from another client (its version is not the one this
   client last saw) are conflicts: left as they are and reported;
3. units this client already sent (a retry after a lost acknowledgement: the server holds
   this client's change number for them, or a later one) are acknowledged without writing;
4. the rest replace the server's rows of the unit: old rows deleted, new ones copied to
   temporary tables and inserted from there (``COPY`` into a table with row-level security
   is not allowed; ``INSERT ... SELECT`` is checked row by row against the policies).

Replacing whole units makes a retried push land once. A pull reads, in one snapshot
(REPEATABLE READ), every unit whose change number is past the client's watermark.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ...core.layer_sync import ServerUnit
from .schema import WRITE_LOCK

CHILD_TABLES = {
    "spans": ("sid", "start", '"end"', "label", "text", "origin", "state", "created_at", "updated_at"),
    "claims": ("sid", "claimant_sid", "claimant_key", "claimant_text", "claimant_relation", "cue_sid", "cue_key",
               "created_at", "updated_at", '"values"'),
    "relations": ("head_sid", "child_sid", "child_key", "label", "created_at"),
    "doc_labels": ("label", "created_at"),
}


@dataclass(frozen=True)
class OutgoingUnit:
    doc: int  # the server's document id
    annotator: str  # uuid
    status: str
    status_at: str
    client_seq: int  # the local change number it was read at
    base_seq: int | None  # the server version of it this client last saw


class RowSource(Protocol):
    """Where a push reads the rows of the units it sends (store/sync_push_rows.py)."""

    def choose(self, keys: Sequence[tuple[int, str]]) -> None:
        """The units (server doc id, uuid) whose rows ``rows`` gives next."""

    def rows(self, table: str) -> Iterable[tuple]:
        """(doc, annotator, the table's CHILD_TABLES columns...) of the chosen units."""


@dataclass
class PushReceipt:
    written: list[tuple[int, str, int]] = field(default_factory=list)  # (doc, annotator uuid, server seq)
    already: list[tuple[int, str, int]] = field(default_factory=list)  # sent before (a retry)
    conflicts: list[tuple[int, str, int, str, str]] = field(default_factory=list)  # (doc, uuid, seq, by, at)
    rows: int = 0


def push(conn: Any, client: str, outgoing: Sequence[OutgoingUnit], source: RowSource) -> PushReceipt:
    """Send units in one transaction; see the module's docstring."""
    receipt = PushReceipt()
    if not outgoing:
        return receipt
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
        cur.execute("CREATE TEMP TABLE push_layers (doc bigint NOT NULL, annotator uuid NOT NULL, status text NOT NULL,"
                    " status_at text NOT NULL, client_seq bigint NOT NULL, base_seq bigint,"
                    " PRIMARY KEY (doc, annotator)) ON COMMIT DROP")
        with cur.copy("COPY push_layers (doc, annotator, status, status_at, client_seq, base_seq) FROM STDIN") as copy:
            for u in outgoing:
                copy.write_row((u.doc, u.annotator, u.status, u.status_at, u.client_seq, u.base_seq))
        cur.execute(
            "DELETE FROM push_layers p USING annotator.layers l WHERE l.doc = p.doc AND l.annotator = p.annotator"
            " AND l.client IS DISTINCT FROM %s AND l.seq IS DISTINCT FROM p.base_seq"
            " RETURNING p.doc, p.annotator::text, l.seq, l.written_by::text, l.written_at::text", [client])
        receipt.conflicts = [tuple(r) for r in cur.fetchall()]
        cur.execute(
            "DELETE FROM push_layers p USING annotator.layers l WHERE l.doc = p.doc AND l.annotator = p.annotator"
            " AND l.client = %s AND l.client_seq >= p.client_seq RETURNING p.doc, p.annotator::text, l.seq", [client])
        receipt.already = [tuple(r) for r in cur.fetchall()]
        cur.execute("SELECT doc, annotator::text FROM push_layers")
        wanted = [tuple(r) for r in cur.fetchall()]
        if not wanted:
            return receipt
        for table in CHILD_TABLES:
            cur.execute(f"DELETE FROM annotator.{table} t USING push_layers p"
                        " WHERE t.doc = p.doc AND t.annotator = p.annotator")
        source.choose(wanted)
        receipt.rows = _copy_rows(cur, source)
        cur.execute(
            "INSERT INTO annotator.layers (doc, annotator, status, status_at, client, client_seq)"
            " SELECT doc, annotator, status, status_at, %s, client_seq FROM push_layers"
            " ON CONFLICT (doc, annotator) DO UPDATE SET status = excluded.status, status_at = excluded.status_at,"
            " client = excluded.client, client_seq = excluded.client_seq RETURNING doc, annotator::text, seq",
            [client])
        receipt.written = [tuple(r) for r in cur.fetchall()]
    return receipt


def _copy_rows(cur: Any, source: RowSource) -> int:
    """Stream the units' rows into temporary tables, then insert them under the policies."""
    total = 0
    for table, columns in CHILD_TABLES.items():
        listed = ", ".join(columns)
        cur.execute(f"CREATE TEMP TABLE push_{table} ON COMMIT DROP AS SELECT doc, annotator, {listed}"
                    f" FROM annotator.{table} WITH NO DATA")
        count = 0
        with cur.copy(f"COPY push_{table} (doc, annotator, {listed}) FROM STDIN") as copy:
            for row in source.rows(table):
                copy.write_row(row)
                count += 1
        if count:
            cur.execute(f"INSERT INTO annotator.{table} (doc, annotator, {listed})"
                        f" SELECT doc, annotator, {listed} FROM push_{table}")
        total += count
    return total


# ------------------------------------------------------------------ pulling
@dataclass
class ServerDocument:
    id: int
    content_hash: str
    text: str
    title: str
    source: str
    meta: str
    position: int
    created_at: str
    updated_at: str


@dataclass
class UnitHeader:
    doc: int
    annotator: str
    status: str
    status_at: str
    seq: int
    client: str | None
    written_by: str
    written_at: str


@dataclass
class Incoming:
    """What a pull read, in one snapshot."""

    high: int  # every change up to this number is in it
    documents: list[ServerDocument] = field(default_factory=list)
    suggestions: dict[int, list[tuple]] = field(default_factory=dict)  # doc -> (start, end, label, text, origin, ...)
    headers: list[UnitHeader] = field(default_factory=list)
    units: dict[tuple[int, str], ServerUnit] = field(default_factory=dict)
    annotators: dict[str, tuple[str, str]] = field(default_factory=dict)  # uuid -> (name, kind)
    scope_docs: list[tuple[int, str]] = field(default_factory=list)  # (doc, content hash) of every doc in scope


def _scope(me: str, scope: str, column: str) -> tuple[str, list]:
    """A condition on a document id ``column``: the documents this client holds."""
    if scope == "all":
        return "true", []
    return f"{column} IN (SELECT doc FROM annotator.assignments WHERE annotator = %s)", [me]


def scope_documents(cur: Any, me: str, scope: str) -> list[tuple[int, str]]:
    """(id, content hash) of the documents this client holds, in the server's order."""
    where, params = _scope(me, scope, "id")
    cur.execute(f"SELECT id, content_hash FROM annotator.documents WHERE {where} ORDER BY position, id", params)
    return [tuple(r) for r in cur.fetchall()]


def pull(conn: Any, me: str, client: str, since: int, scope: str, known_docs: set[int], local_hashes: set[str],
         refetch: Sequence[tuple[int, str]] = ()) -> Incoming:
    """Everything in this client's scope that changed after ``since`` and was not written by
    this client; the documents in scope it has not mapped yet, with all their layers (their
    text and suggestions only when no local document has their content hash); and the units
    ``refetch`` (doc, uuid) whatever their number."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cur.execute("SELECT greatest((SELECT max(seq) FROM annotator.layers), (SELECT max(seq) FROM annotator.documents),"
                    " (SELECT max(seq) FROM annotator.assignments), 0)")
        incoming = Incoming(cur.fetchone()[0])
        cur.execute("SELECT uuid::text, name, kind FROM annotator.annotators")
        incoming.annotators = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
        incoming.scope_docs = scope_documents(cur, me, scope)
        new = [(doc, digest) for doc, digest in incoming.scope_docs if doc not in known_docs]
        new_docs = [doc for doc, _ in new]
        _read_documents(cur, incoming, [doc for doc, digest in new if digest not in local_hashes])
        where, params = _scope(me, scope, "l.doc")
        refetch_docs = [doc for doc, _ in refetch]
        refetch_people = [uuid for _, uuid in refetch]
        condition = (f"(({where}) AND ((l.seq > %s AND l.client IS DISTINCT FROM %s)"
                     " OR l.doc = ANY(%s))) OR (l.doc, l.annotator) IN (SELECT * FROM unnest(%s::bigint[], %s::uuid[]))")
        args = [*params, since, client, new_docs, refetch_docs, refetch_people]
        cur.execute("SELECT l.doc, l.annotator::text, l.status, l.status_at, l.seq, l.client::text,"
                    f" l.written_by::text, l.written_at::text FROM annotator.layers l WHERE {condition}", args)
        incoming.headers = [UnitHeader(*r) for r in cur.fetchall()]
        for h in incoming.headers:
            incoming.units[(h.doc, h.annotator)] = ServerUnit(h.doc, h.annotator, h.status, h.status_at)
        if incoming.headers:
            for table, columns in CHILD_TABLES.items():
                listed = ", ".join(f"t.{c}" for c in columns)
                cur.execute(f"SELECT t.doc, t.annotator::text, {listed} FROM annotator.{table} t"
                            " JOIN annotator.layers l ON l.doc = t.doc AND l.annotator = t.annotator"
                            f" WHERE {condition}", args)
                for row in cur:
                    getattr(incoming.units[(row[0], row[1])], table).append(tuple(row[2:]))
    return incoming


def _read_documents(cur: Any, incoming: Incoming, doc_ids: list[int]) -> None:
    if not doc_ids:
        return
    cur.execute("SELECT id, content_hash, text, title, source, meta, position, created_at, updated_at"
                " FROM annotator.documents WHERE id = ANY(%s) ORDER BY position, id", [doc_ids])
    incoming.documents = [ServerDocument(*r) for r in cur.fetchall()]
    cur.execute('SELECT doc, start, "end", label, text, origin, created_at, updated_at FROM annotator.suggestions'
                " WHERE doc = ANY(%s)", [doc_ids])
    for row in cur:
        incoming.suggestions.setdefault(row[0], []).append(tuple(row[1:]))
