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


def write_copy(source: Project, path: Path, annotator: Annotator, doc_ids: list[int]) -> CopyCounts:
    """Write ``path`` for ``annotator`` with ``doc_ids``; refuses to replace an existing file."""
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
            counts = _fill(source, annotator, doc_ids)
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


def _fill(source: Project, annotator: Annotator, doc_ids: list[int]) -> CopyCounts:
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
        conn.execute(
            f'INSERT INTO {c}.spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state,'
            " created_at, updated_at)"
            ' SELECT s.id, s.doc_id, s.start, s."end", cl.id, s.text, CASE WHEN s.annotator_id IS NULL THEN NULL'
            " ELSE 1 END, s.origin, s.state, s.created_at, s.updated_at"
            f" FROM main.spans s JOIN main.labels ml ON ml.id = s.label_id JOIN {c}.labels cl ON cl.name = ml.name"
            " WHERE s.doc_id IN (SELECT doc_id FROM temp.split_docs)"
            " AND (s.annotator_id = ? OR (s.annotator_id IS NULL AND s.state = 'suggested'))", [annotator.id])
        counts.spans, counts.suggestions = conn.execute(
            f"SELECT coalesce(sum(annotator_id IS NOT NULL), 0), coalesce(sum(annotator_id IS NULL), 0)"
            f" FROM {c}.spans").fetchone()
        mine = f"(SELECT id FROM {c}.spans)"
        counts.claims = conn.execute(
            f"INSERT INTO {c}.claims (id, span_id, claimant_span_id, claimant_text, claimant_relation, cue_span_id,"
            f" created_at, updated_at) SELECT id, span_id,"
            f" CASE WHEN claimant_span_id IN {mine} THEN claimant_span_id END, claimant_text, claimant_relation,"
            f" CASE WHEN cue_span_id IN {mine} THEN cue_span_id END, created_at, updated_at"
            f" FROM main.claims WHERE span_id IN {mine}").rowcount
        counts.links_left_out = conn.execute(
            f"SELECT (SELECT count(*) FROM main.claims WHERE span_id IN {mine} AND claimant_span_id IS NOT NULL"
            f" AND claimant_span_id NOT IN {mine}) + (SELECT count(*) FROM main.claims WHERE span_id IN {mine}"
            f" AND cue_span_id IS NOT NULL AND cue_span_id NOT IN {mine})").fetchone()[0]
        conn.execute(f"INSERT INTO {c}.claim_values (claim_id, attribute, value) SELECT claim_id, attribute, value"
                     f" FROM main.claim_values WHERE claim_id IN (SELECT id FROM {c}.claims)")
        conn.execute(
            f"INSERT INTO {c}.relations (id, doc_id, head_span_id, child_span_id, label, annotator_id, created_at)"
            f" SELECT r.id, r.doc_id, r.head_span_id, r.child_span_id, r.label, h.annotator_id, r.created_at"
            f" FROM main.relations r JOIN {c}.spans h ON h.id = r.head_span_id WHERE r.child_span_id IN {mine}")
        conn.execute(
            f"INSERT INTO {c}.doc_labels (doc_id, label_id, annotator_id, created_at)"
            f" SELECT d.doc_id, cl.id, 1, d.created_at FROM main.doc_labels d JOIN main.labels ml ON ml.id = d.label_id"
            f" JOIN {c}.labels cl ON cl.name = ml.name"
            " WHERE d.annotator_id = ? AND d.doc_id IN (SELECT doc_id FROM temp.split_docs)", [annotator.id])
        conn.execute(f"INSERT INTO {c}.claimant_aliases (alias, canonical) SELECT alias, canonical"
                     " FROM main.claimant_aliases")
        conn.execute(f"INSERT INTO {c}.assignments (doc_id, annotator_id, assigned_at)"
                     " SELECT doc_id, 1, ? FROM temp.split_docs", [now_iso()])
        counts.unattributed_left_out = conn.execute(
            "SELECT count(*) FROM main.spans WHERE annotator_id IS NULL AND state != 'suggested'"
            " AND doc_id IN (SELECT doc_id FROM temp.split_docs)").fetchone()[0]
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return counts


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())
