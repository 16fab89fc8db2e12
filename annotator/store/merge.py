"""Reading and writing layers in bulk, for merging project files (workflows/merging.py).

A source file is read through a Project of its own (a second connection); the target is
written inside the caller's ``Project.transaction()``, so a source comes in whole or not at
all. Reads go a batch of documents at a time, a fixed handful of queries per batch, as plain
tuples (core.layer_merge): a 10,000-document file with 230,000 spans never sits in memory.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from ..core.layer_merge import LayerContent, MergeOps, PartnerKey
from ..core.model import ClaimAttribute, Label
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


# ------------------------------------------------------------------ documents
def document_hashes(project: Project) -> list[tuple[int, str]]:
    """(id, content hash) of every document, in list order."""
    return project.db.conn.execute("SELECT id, content_hash FROM documents ORDER BY position, id").fetchall()


def find_hashes(project: Project, hashes: Sequence[str]) -> dict[str, int]:
    """Which of these content hashes the project holds: hash -> document id."""
    found: dict[str, int] = {}
    conn = project.db.conn
    for chunk in chunks(hashes):
        found.update((h, i) for i, h in conn.execute(
            f"SELECT id, content_hash FROM documents WHERE content_hash IN ({_marks(chunk)})", chunk))
    return found


def copy_documents(source: Project, target: Project, source_ids: Sequence[int]) -> dict[int, int]:
    """Add these source documents to the target (text, title, source, meta, times; the
    target's own status todo), after its last; returns source id -> new target id."""
    conn = target.db.conn
    next_id = first_free_id(target, "documents")
    position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM documents").fetchone()[0]
    added: dict[int, int] = {}
    for chunk in chunks(source_ids, 200):
        rows = source.db.conn.execute(
            "SELECT id, text, content_hash, title, source, meta, created_at, updated_at FROM documents"
            f" WHERE id IN ({_marks(chunk)}) ORDER BY position, id", chunk).fetchall()
        batch = []
        for row in rows:
            added[row[0]] = next_id
            batch.append((next_id, *row[1:6], "todo", position, *row[6:]))
            next_id += 1
            position += 1
        conn.executemany("INSERT INTO documents (id, text, content_hash, title, source, meta, status, position,"
                         " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", batch)
    return added


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
        everyone = project.annotator_list()
        self.uuids = {a.id: a.uuid for a in everyone}
        self.own = next((a.id for a in everyone if a.own), None)
        self.separate = {a.id for a in everyone if a.separate_status}

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

    def statuses(self, doc_ids: Sequence[int], annotator_id: int) -> dict[int, tuple[str, str]]:
        """One annotator's (status, updated_at) of these documents, wherever it is kept."""
        marks = _marks(doc_ids)
        if annotator_id in self.separate and annotator_id != self.own:
            found = {d: ("todo", "") for d in doc_ids}
            found.update((d, (s, t)) for d, s, t in self.conn.execute(
                f"SELECT doc_id, status, updated_at FROM document_status WHERE annotator_id = ? AND doc_id IN ({marks})",
                [annotator_id, *doc_ids]))
            return found
        return {d: (s, t) for d, s, t in self.conn.execute(
            f"SELECT id, status, updated_at FROM documents WHERE id IN ({marks})", doc_ids)}

    def speaks_for(self, doc_ids: Sequence[int], layers: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
        """The (document, annotator) pairs this file is the word on: every document of the
        file's own annotator, and every document on which another annotator has annotations,
        statuses of their own, or an assignment (a layer emptied there is then emptied)."""
        pairs = set(layers)
        if self.own is not None:
            pairs.update((d, self.own) for d in doc_ids)
        marks = _marks(doc_ids)
        who = self._who("annotator_id")
        for table in ("document_status", "assignments"):
            pairs.update(self.conn.execute(f"SELECT doc_id, annotator_id FROM {table} WHERE doc_id IN ({marks}){who[0]}",
                                           [*doc_ids, *who[1]]).fetchall())
        return pairs


def layer_annotators(project: Project) -> list[Annotator]:
    """The annotators a file has layers of: anyone with annotations, statuses of their own
    or an assignment, and its own annotator."""
    ids = {r[0] for r in project.db.conn.execute(
        "SELECT annotator_id FROM spans WHERE annotator_id IS NOT NULL UNION SELECT annotator_id FROM doc_labels"
        " WHERE annotator_id IS NOT NULL UNION SELECT annotator_id FROM document_status"
        " UNION SELECT annotator_id FROM assignments")}
    return [a for a in project.annotator_list() if a.id in ids or a.own]


def unattributed_count(project: Project) -> int:
    """Decided spans and document labels nobody is named for: no layer to merge them into."""
    conn = project.db.conn
    return (conn.execute("SELECT count(*) FROM spans WHERE annotator_id IS NULL AND state != 'suggested'").fetchone()[0]
            + conn.execute("SELECT count(*) FROM doc_labels WHERE annotator_id IS NULL").fetchone()[0])


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


def apply_ops(target: Project, ops: MergeOps, annotators: dict[int, Annotator]) -> None:
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
    for annotator_id, rows in ops.statuses.items():
        write_statuses(target, annotators[annotator_id], rows)


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


# ------------------------------------------------------------------ scheme, aliases, assignment
def add_scheme_parts(target: Project, labels: Iterable[Label], attributes: Iterable[ClaimAttribute],
                     choices: Iterable[tuple[str, str]]) -> None:
    """Add labels (their key only if it is free), claim attributes and attribute choices."""
    used_keys = {label.key for label in target.labels() if label.key}
    for label in labels:
        key = label.key if label.key and label.key not in used_keys else None
        target.add_label(Label(label.name, label.kind, label.color, key, label.description))
        used_keys.add(key)
    conn = target.db.conn
    for attribute in attributes:
        position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM claim_attributes").fetchone()[0]
        taken = conn.execute("SELECT 1 FROM claim_attributes WHERE shortcut = ?", [attribute.key]).fetchone()
        conn.execute("INSERT INTO claim_attributes (name, title, kind, choices, default_value, required, shortcut,"
                     " description, position) VALUES (?,?,?,?,?,?,?,?,?)",
                     [attribute.name, attribute.title, attribute.kind, json.dumps(list(attribute.choices)),
                      attribute.default, int(attribute.required), None if taken else attribute.key,
                      attribute.description, position])
    for name, choice in choices:
        current = json.loads(conn.execute("SELECT choices FROM claim_attributes WHERE name = ?", [name]).fetchone()[0])
        if choice not in current:
            conn.execute("UPDATE claim_attributes SET choices = ? WHERE name = ?", [json.dumps([*current, choice]), name])


def merge_aliases(target: Project, aliases: dict[str, str]) -> tuple[list[str], list[str]]:
    """Bring in claimant aliases; one the target maps elsewhere is reported, never overwritten.
    Returns (aliases added, conflicts as messages)."""
    mine = target.claimant_aliases()
    added, conflicts = [], []
    for alias, canonical in sorted(aliases.items()):
        if alias not in mine:
            target.db.conn.execute("INSERT INTO claimant_aliases (alias, canonical) VALUES (?, ?)", [alias, canonical])
            added.append(alias)
        elif mine[alias] != canonical:
            conflicts.append(f"claimant {alias!r} is merged into {mine[alias]!r} here and into {canonical!r} there; "
                             "kept as it is here")
    return added, conflicts


def source_assignment(source: Project) -> list[tuple[int, int]]:
    """(document id, annotator id) of the source's assignment."""
    return source.db.conn.execute("SELECT doc_id, annotator_id FROM assignments").fetchall()


def add_assignment(target: Project, rows: Iterable[tuple[int, int]]) -> int:
    conn = target.db.conn
    before = conn.total_changes
    conn.executemany("INSERT OR IGNORE INTO assignments (doc_id, annotator_id, assigned_at) VALUES (?, ?, ?)",
                     [(d, a, now_iso()) for d, a in rows])
    return conn.total_changes - before
