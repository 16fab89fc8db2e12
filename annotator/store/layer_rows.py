"""Layer rows as plain tuples, for the (document, annotator) pairs a merge must reconcile
row by row (core.layer_merge plans it; store/merge.py does the rest of a merge in SQL).

Reads go a batch of documents at a time, a fixed handful of queries per batch; writes go
inside the caller's ``Project.transaction()``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from ..core.layer_merge import LayerContent, MergeOps, PartnerKey
from ..core.team import Annotator
from .project import Project, now_iso

CHUNK = 500  # bound parameters per IN (...), well under SQLite's limit


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _marks(ids: Sequence) -> str:
    return ",".join("?" * len(ids))


def first_free_id(project: Project, table: str) -> int:
    """Past every id the table holds or (AUTOINCREMENT) ever held: undo relies on ids never
    coming back."""
    conn = project.db.conn
    used = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
    if conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").fetchone()[0]:
        for (seq,) in conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", [table]):
            used = max(used, seq or 0)
    return used + 1


# ------------------------------------------------------------------ layers
class LayerReader:
    """Reads the layers of a batch of documents of one file.

    ``labels`` maps this file's label ids to the target's (identity when reading the target);
    ``annotators`` limits the read to these annotator ids (None: every annotator).
    """

    def __init__(self, project: Project, labels: dict[int, int], annotators: Iterable[int] | None = None) -> None:
        self.project = project
        self.conn = project.db.conn
        self.labels = labels
        self.annotators = None if annotators is None else sorted(set(annotators))
        self.uuids = {a.id: a.uuid for a in project.annotator_list()}

    def _who(self, column: str) -> tuple[str, list]:
        if self.annotators is None:
            return f" AND {column} IS NOT NULL", []
        return f" AND {column} IN ({_marks(self.annotators)})", list(self.annotators)

    def read(self, doc_ids: Sequence[int]) -> tuple[dict[tuple[int, int], LayerContent], dict[int, PartnerKey]]:
        """Layers by (document id, annotator id), and the keys of spans outside them that a
        claim or relation of them points at."""
        layers: dict[tuple[int, int], LayerContent] = defaultdict(LayerContent)
        conn, labels = self.conn, self.labels
        marks, who = _marks(doc_ids), self._who("annotator_id")
        in_layers: set[int] = set()
        for row in conn.execute(
                'SELECT id, doc_id, annotator_id, start, "end", label_id, text, origin, state, created_at, updated_at'
                f" FROM spans WHERE doc_id IN ({marks}){who[0]}", [*doc_ids, *who[1]]):
            layers[(row[1], row[2])].spans.append((row[0], row[3], row[4], labels[row[5]], *row[6:]))
            in_layers.add(row[0])
        values: dict[int, list[tuple[str, str]]] = defaultdict(list)
        span_who = self._who("s.annotator_id")
        for claim_id, name, value in conn.execute(
                "SELECT v.claim_id, v.attribute, v.value FROM claim_values v JOIN claims c ON c.id = v.claim_id"
                f" JOIN spans s ON s.id = c.span_id WHERE s.doc_id IN ({marks}){span_who[0]}",
                [*doc_ids, *span_who[1]]):
            values[claim_id].append((name, value))
        wanted: set[int] = set()
        for row in conn.execute(
                "SELECT c.id, c.span_id, c.claimant_span_id, c.claimant_text, c.claimant_relation, c.cue_span_id,"
                " c.created_at, c.updated_at, s.doc_id, s.annotator_id FROM claims c JOIN spans s ON s.id = c.span_id"
                f" WHERE s.doc_id IN ({marks}){span_who[0]}", [*doc_ids, *span_who[1]]):
            layers[(row[8], row[9])].claims.append((*row[:8], tuple(sorted(values.get(row[0], ())))))
            wanted.update(i for i in (row[2], row[5]) if i is not None and i not in in_layers)
        for row in conn.execute(
                "SELECT r.id, r.head_span_id, r.child_span_id, r.label, r.created_at, s.doc_id, s.annotator_id"
                f" FROM relations r JOIN spans s ON s.id = r.head_span_id WHERE r.doc_id IN ({marks}){span_who[0]}",
                [*doc_ids, *span_who[1]]):
            layers[(row[5], row[6])].relations.append(row[:5])
            if row[2] not in in_layers:
                wanted.add(row[2])
        for doc_id, annotator_id, label_id, created in conn.execute(
                f"SELECT doc_id, annotator_id, label_id, created_at FROM doc_labels WHERE doc_id IN ({marks}){who[0]}",
                [*doc_ids, *who[1]]):
            layers[(doc_id, annotator_id)].doc_labels.append((labels[label_id], created))
        return layers, self._partners(sorted(wanted))

    def _partners(self, span_ids: list[int]) -> dict[int, PartnerKey]:
        found: dict[int, PartnerKey] = {}
        for chunk in chunks(span_ids):
            for span_id, annotator_id, start, end, label_id in self.conn.execute(
                    f'SELECT id, annotator_id, start, "end", label_id FROM spans WHERE id IN ({_marks(chunk)})', chunk):
                found[span_id] = (self.uuids.get(annotator_id), start, end, self.labels[label_id])
        return found


def partner_resolver(target: Project, annotator_ids: dict[str, int]):
    """Finds a target span by (document, annotator uuid or None, start, end, label)."""
    conn = target.db.conn

    def resolve(doc_id: int, key: PartnerKey) -> int | None:
        uuid, start, end, label_id = key
        annotator_id = None if uuid is None else annotator_ids.get(uuid, -1)
        row = conn.execute('SELECT id FROM spans WHERE doc_id = ? AND start = ? AND "end" = ? AND label_id = ?'
                           " AND annotator_id IS ? ORDER BY id LIMIT 1",
                           [doc_id, start, end, label_id, annotator_id]).fetchone()
        return row[0] if row else None

    return resolve


def apply_ops(target: Project, ops: MergeOps) -> None:
    """Write a batch's plan: deletes first (a cascade takes claims and relations of a deleted
    span along), then updates, then inserts, spans before what points at them."""
    run = target.db.conn.executemany
    if ops.span_deletes:
        run("DELETE FROM spans WHERE id = ?", [(i,) for i in ops.span_deletes])
    if ops.claim_deletes:
        run("DELETE FROM claims WHERE id = ?", [(i,) for i in ops.claim_deletes])
    if ops.relation_deletes:
        run("DELETE FROM relations WHERE id = ?", [(i,) for i in ops.relation_deletes])
    if ops.doc_label_deletes:
        run("DELETE FROM doc_labels WHERE doc_id = ? AND label_id = ? AND annotator_id = ?", ops.doc_label_deletes)
    if ops.span_updates:
        run("UPDATE spans SET text = ?, origin = ?, state = ?, created_at = ?, updated_at = ? WHERE id = ?",
            ops.span_updates)
    if ops.span_inserts:
        run('INSERT INTO spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state, created_at,'
            " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", ops.span_inserts)
    if ops.claim_updates:
        run("UPDATE claims SET span_id = ?, claimant_span_id = ?, claimant_text = ?, claimant_relation = ?,"
            " cue_span_id = ?, created_at = ?, updated_at = ? WHERE id = ?", ops.claim_updates)
    if ops.claim_inserts:
        run("INSERT INTO claims (id, span_id, claimant_span_id, claimant_text, claimant_relation, cue_span_id,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)", ops.claim_inserts)
    if ops.values_replaced:
        run("DELETE FROM claim_values WHERE claim_id = ?", [(i,) for i in ops.values_replaced])
    if ops.value_rows:
        run("INSERT INTO claim_values (claim_id, attribute, value) VALUES (?,?,?)", ops.value_rows)
    if ops.relation_inserts:
        run("INSERT INTO relations (doc_id, head_span_id, child_span_id, label, annotator_id, created_at)"
            " VALUES (?,?,?,?,?,?)", ops.relation_inserts)
    if ops.doc_label_inserts:
        run("INSERT INTO doc_labels (doc_id, label_id, annotator_id, created_at) VALUES (?,?,?,?)",
            ops.doc_label_inserts)


def write_statuses(project: Project, annotator: Annotator, rows: list[tuple[int, str, str]]) -> None:
    """Set an annotator's (document, status, updated_at) in bulk, keeping the times given."""
    conn = project.db.conn
    if annotator.own:
        conn.executemany("UPDATE documents SET status = ?, updated_at = ? WHERE id = ?",
                         [(s, t or now_iso(), d) for d, s, t in rows])
        return
    if not conn.execute("SELECT separate_status FROM annotators WHERE id = ?", [annotator.id]).fetchone()[0]:
        project.separate_statuses(annotator.id)
    conn.executemany(
        "INSERT INTO document_status (doc_id, annotator_id, status, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (annotator_id, doc_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
        [(d, annotator.id, s, t or now_iso()) for d, s, t in rows])
