"""Writing one annotator's project file from a project (``team split``), in SQL.

The new file is made by ``Project.create`` (schema, the source's scheme), then filled with
``INSERT ... SELECT`` from the source through ``ATTACH``, so no article's text passes
through Python. It is written under a hidden temporary name without a journal (a failure
leaves only that temporary file, which is removed) and renamed into place when whole.

The copy keeps the source's document and span ids, holds the annotator's documents (their
text, meta and the annotator's own status), the annotator's layer on them, the undecided
suggestions on them (pre-annotations), every claimant alias, and the annotator (with their
UUID) as the file's own annotator.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..core.team import Annotator
from .migrations import OWN_ANNOTATOR_KEY
from .project import Project, now_iso

ALIAS = "split_copy"


@dataclass
class CopyCounts:
    documents: int = 0
    spans: int = 0  # the annotator's spans
    suggestions: int = 0  # undecided suggestions, copied as pre-annotations
    claims: int = 0
    links_left_out: int = 0  # claimant/cue links to spans of other layers (not in the copy)
    unattributed_left_out: int = 0  # decided spans nobody is named for, on these documents


def write_copy(source: Project, path: Path, annotator: Annotator, doc_ids: list[int],
               nobody: dict[int, tuple[int, int]]) -> CopyCounts:
    """Write ``path`` for ``annotator`` with ``doc_ids``; refuses to replace an existing file.
    ``nobody``: ``spans_of_nobody(source)``, read once for all the files of a split."""
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    partial = path.with_name(f".{path.name}.partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    Project.create(partial, scheme=source.scheme()).close()
    conn = source.db.conn
    try:
        conn.execute(f"ATTACH DATABASE ? AS {ALIAS}", [str(partial)])
        try:
            counts = _fill(source, annotator, doc_ids, nobody)
        finally:
            conn.execute(f"DETACH DATABASE {ALIAS}")
        _fsync(partial)
        os.replace(partial, path)
    except BaseException:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        raise
    return counts


def _fill(source: Project, annotator: Annotator, doc_ids: list[int], nobody: dict[int, tuple[int, int]]) -> CopyCounts:
    conn = source.db.conn
    # A new file that is renamed into place only when whole needs no journal; it is synced once.
    conn.execute(f"PRAGMA {ALIAS}.journal_mode = OFF")
    conn.execute(f"PRAGMA {ALIAS}.synchronous = OFF")
    expr, join, params = source.status_sql(annotator.uuid)
    counts = CopyCounts()
    c = ALIAS
    conn.execute("BEGIN")
    try:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS split_docs (doc_id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.split_docs")
        conn.executemany("INSERT INTO temp.split_docs (doc_id) VALUES (?)", [(d,) for d in doc_ids])
        counts.documents = conn.execute(
            f"INSERT INTO {c}.documents (id, text, content_hash, title, source, meta, status, position, created_at,"
            f" updated_at) SELECT documents.id, text, content_hash, title, source, meta, {expr}, position,"
            f" created_at, documents.updated_at FROM main.documents AS documents{join}"
            " WHERE documents.id IN (SELECT doc_id FROM temp.split_docs)", params).rowcount
        created = conn.execute("SELECT created_at FROM main.annotators WHERE id = ?", [annotator.id]).fetchone()[0]
        conn.execute(f"INSERT INTO {c}.annotators (id, uuid, name, separate_status, created_at) VALUES (1, ?, ?, 0, ?)",
                     [annotator.uuid, annotator.name, created])
        conn.execute(f"INSERT OR REPLACE INTO {c}.project_settings (key, value) SELECT key, value"
                     f" FROM main.project_settings WHERE key != ?", [OWN_ANNOTATOR_KEY])
        conn.execute(f"INSERT OR REPLACE INTO {c}.project_settings (key, value) VALUES (?, ?)",
                     [OWN_ANNOTATOR_KEY, annotator.uuid])
        copied = conn.execute(
            f'INSERT INTO {c}.spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state,'
            " created_at, updated_at)"
            ' SELECT s.id, s.doc_id, s.start, s."end", cl.id, s.text, CASE WHEN s.annotator_id IS NULL THEN NULL'
            " ELSE 1 END, s.origin, s.state, s.created_at, s.updated_at"
            f" FROM main.spans s JOIN main.labels ml ON ml.id = s.label_id JOIN {c}.labels cl ON cl.name = ml.name"
            " WHERE s.doc_id IN (SELECT doc_id FROM temp.split_docs)"
            " AND (s.annotator_id = ? OR (s.annotator_id IS NULL AND s.state = 'suggested'))", [annotator.id]).rowcount
        counts.suggestions = sum(nobody.get(d, (0, 0))[0] for d in doc_ids)
        counts.unattributed_left_out = sum(nobody.get(d, (0, 0))[1] for d in doc_ids)
        counts.spans = copied - counts.suggestions
        # A claim comes along with its content span (found from the copy's claim spans, not by
        # scanning every claim); a claimant or cue the copy does not hold (another annotator's
        # span) is left out of it.
        link = f"CASE WHEN EXISTS (SELECT 1 FROM {c}.spans WHERE id = c.{{0}}) THEN c.{{0}} END"
        counts.claims = conn.execute(
            f"INSERT INTO {c}.claims (id, span_id, claimant_span_id, claimant_text, claimant_relation, cue_span_id,"
            f" created_at, updated_at) SELECT c.id, c.span_id, {link.format('claimant_span_id')}, c.claimant_text,"
            f" c.claimant_relation, {link.format('cue_span_id')}, c.created_at, c.updated_at FROM {c}.spans k"
            f" JOIN {c}.labels kl ON kl.id = k.label_id AND kl.kind = 'claim'"
            " CROSS JOIN main.claims c ON c.span_id = k.id").rowcount
        counts.links_left_out = conn.execute(
            f"SELECT coalesce(sum((k.claimant_span_id IS NULL AND c.claimant_span_id IS NOT NULL)"
            f" + (k.cue_span_id IS NULL AND c.cue_span_id IS NOT NULL)), 0) FROM {c}.claims k"
            " CROSS JOIN main.claims c ON c.id = k.id").fetchone()[0]
        kept = "({0}.annotator_id = :who OR ({0}.annotator_id IS NULL AND {0}.state = 'suggested'))"
        picked = "IN (SELECT doc_id FROM temp.split_docs)"
        who = {"who": annotator.id}
        conn.execute(f"INSERT INTO {c}.claim_values (claim_id, attribute, value) SELECT v.claim_id, v.attribute,"
                     f" v.value FROM {c}.claims k CROSS JOIN main.claim_values v ON v.claim_id = k.id")
        conn.execute(
            f"INSERT INTO {c}.relations (id, doc_id, head_span_id, child_span_id, label, annotator_id, created_at)"
            f" SELECT r.id, r.doc_id, r.head_span_id, r.child_span_id, r.label, CASE WHEN h.annotator_id IS NULL"
            f" THEN NULL ELSE 1 END, r.created_at FROM main.relations r JOIN main.spans h ON h.id = r.head_span_id"
            f" JOIN main.spans ch ON ch.id = r.child_span_id WHERE r.doc_id {picked} AND {kept.format('h')}"
            f" AND {kept.format('ch')}", who)
        conn.execute(
            f"INSERT INTO {c}.doc_labels (doc_id, label_id, annotator_id, created_at)"
            f" SELECT d.doc_id, cl.id, 1, d.created_at FROM main.doc_labels d JOIN main.labels ml ON ml.id = d.label_id"
            f" JOIN {c}.labels cl ON cl.name = ml.name"
            f" WHERE d.annotator_id = :who AND d.doc_id {picked}", who)
        conn.execute(f"INSERT INTO {c}.claimant_aliases (alias, canonical) SELECT alias, canonical"
                     " FROM main.claimant_aliases")
        conn.execute(f"INSERT INTO {c}.assignments (doc_id, annotator_id, assigned_at)"
                     " SELECT doc_id, 1, ? FROM temp.split_docs", [now_iso()])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return counts


def document_ids(project: Project) -> list[int]:
    """Every document's id, in list order."""
    return [r[0] for r in project.db.conn.execute("SELECT id FROM documents ORDER BY position, id")]


def spans_of_nobody(source: Project) -> dict[int, tuple[int, int]]:
    """Document id -> (undecided suggestions, decided spans with no annotator): one pass over
    the spans for a whole split, rather than one per file."""
    return {doc_id: (suggested, unattributed) for doc_id, suggested, unattributed in source.db.conn.execute(
        "SELECT doc_id, sum(state = 'suggested'), sum(state != 'suggested') FROM spans"
        " WHERE annotator_id IS NULL GROUP BY doc_id")}


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())
