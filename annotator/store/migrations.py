"""Schema versions. Each migration runs once, in a transaction, when a project is opened.

``PRAGMA user_version`` holds the version; ``PRAGMA application_id`` marks our files so
that opening someone else's SQLite database is refused instead of "upgraded".
Never edit a released migration: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

APPLICATION_ID = 0x414E4E4F  # "ANNO"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sqlite_utils.Database], None]


MIGRATIONS: list[Migration] = []


def migration(version: int, description: str):
    def register(func: Callable[[sqlite_utils.Database], None]):
        assert not MIGRATIONS or MIGRATIONS[-1].version == version - 1, "migrations must be consecutive"
        MIGRATIONS.append(Migration(version, description, func))
        return func

    return register


SCHEMA_V1 = """
CREATE TABLE project_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE annotators (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE labels (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('entity', 'claim', 'role', 'doc')),
    color TEXT NOT NULL,
    shortcut TEXT,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);
CREATE UNIQUE INDEX labels_shortcut ON labels(shortcut) WHERE shortcut IS NOT NULL;
CREATE TABLE claim_attributes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('choice', 'text')),
    choices TEXT NOT NULL DEFAULT '[]',
    default_value TEXT,
    required INTEGER NOT NULL DEFAULT 0,
    shortcut TEXT,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    meta TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'done', 'skipped')),
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_position ON documents(position);
CREATE INDEX documents_status_position ON documents(status, position);
CREATE TABLE spans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label_id INTEGER NOT NULL REFERENCES labels(id),
    text TEXT NOT NULL,
    annotator_id INTEGER REFERENCES annotators(id),
    origin TEXT NOT NULL DEFAULT 'manual'
        CHECK (origin IN ('manual', 'import') OR origin LIKE 'model:%' OR origin LIKE 'pattern:%'),
    state TEXT NOT NULL DEFAULT 'accepted' CHECK (state IN ('accepted', 'suggested', 'rejected')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX spans_doc ON spans(doc_id, start);
CREATE INDEX spans_label ON spans(label_id);
CREATE TABLE claims (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    span_id INTEGER NOT NULL UNIQUE REFERENCES spans(id) ON DELETE CASCADE,
    claimant_span_id INTEGER REFERENCES spans(id) ON DELETE SET NULL,
    claimant_text TEXT,
    claimant_relation TEXT,
    cue_span_id INTEGER REFERENCES spans(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX claims_claimant ON claims(claimant_span_id);
CREATE INDEX claims_cue ON claims(cue_span_id);
CREATE TABLE claim_values (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    attribute TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (claim_id, attribute)
);
CREATE TABLE relations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    head_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    child_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    annotator_id INTEGER REFERENCES annotators(id),
    created_at TEXT NOT NULL
);
CREATE INDEX relations_doc ON relations(doc_id);
CREATE TABLE doc_labels (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels(id),
    annotator_id INTEGER REFERENCES annotators(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, label_id)
);
CREATE VIEW span_view AS
    SELECT spans.id, spans.doc_id, documents.title AS document, spans.start, spans."end",
           labels.name AS label, labels.kind AS kind, spans.text, annotators.name AS annotator,
           spans.origin, spans.state, spans.created_at, spans.updated_at
    FROM spans
    JOIN labels ON labels.id = spans.label_id
    JOIN documents ON documents.id = spans.doc_id
    LEFT JOIN annotators ON annotators.id = spans.annotator_id;
"""


@migration(1, "initial schema: documents, labels, spans, claims, relations, document labels")
def _initial_schema(db: sqlite_utils.Database) -> None:
    for statement in SCHEMA_V1.split(";"):
        if statement.strip():
            db.execute(statement)


SCHEMA_V2 = """
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE search_pending (
    doc_id INTEGER PRIMARY KEY
);
INSERT INTO search_pending (doc_id) SELECT id FROM documents;
CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN
    INSERT INTO search_pending (doc_id) VALUES (new.id);
END;
CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        SELECT 'delete', old.id, old.title, old.text
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE doc_id = old.id);
    DELETE FROM search_pending WHERE doc_id = old.id;
END;
CREATE TRIGGER documents_search_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        SELECT 'delete', old.id, old.title, old.text
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE doc_id = old.id);
    INSERT OR IGNORE INTO search_pending (doc_id) VALUES (new.id);
END;
CREATE TABLE claimant_aliases (
    alias TEXT PRIMARY KEY,
    canonical TEXT NOT NULL,
    CHECK (alias != canonical)
);
CREATE TABLE session_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    holder TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    token TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);
CREATE TABLE models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    components TEXT NOT NULL DEFAULT '[]',
    base TEXT,
    documents INTEGER NOT NULL DEFAULT 0,
    scores TEXT NOT NULL DEFAULT '{}',
    settings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE document_scores (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    uncertainty REAL NOT NULL,
    PRIMARY KEY (doc_id, model_id)
);
CREATE INDEX document_scores_model ON document_scores(model_id, uncertainty);
CREATE VIEW claim_view AS
    SELECT claims.id, content.doc_id, documents.title AS document,
           labels.name AS label, content.start, content."end", content.text,
           coalesce(claimant.text, claims.claimant_text) AS claimant,
           coalesce(claimant_aliases.canonical, claimant.text, claims.claimant_text) AS canonical_claimant,
           claimant.start AS claimant_start, claimant."end" AS claimant_end,
           claims.claimant_relation, cue.text AS cue, cue.start AS cue_start, cue."end" AS cue_end,
           content.state, annotators.name AS annotator
    FROM claims
    JOIN spans AS content ON content.id = claims.span_id
    JOIN labels ON labels.id = content.label_id
    JOIN documents ON documents.id = content.doc_id
    LEFT JOIN spans AS claimant ON claimant.id = claims.claimant_span_id
    LEFT JOIN spans AS cue ON cue.id = claims.cue_span_id
    LEFT JOIN claimant_aliases ON claimant_aliases.alias = coalesce(claimant.text, claims.claimant_text)
    LEFT JOIN annotators ON annotators.id = content.annotator_id;
"""


def _run_script(db: sqlite_utils.Database, script: str) -> None:
    """Statements one by one (executescript would commit the migration's transaction).

    Trigger bodies hold semicolons, so statements are split on a semicolon that ends a line
    outside a BEGIN ... END block.
    """
    statement: list[str] = []
    depth = 0
    for line in script.splitlines():
        statement.append(line)
        stripped = line.strip().upper()
        if stripped.startswith("CREATE TRIGGER"):
            depth += 1
        if depth and stripped == "END;":
            depth -= 1
        if not depth and stripped.endswith(";"):
            db.execute("\n".join(statement).rstrip().rstrip(";"))
            statement = []
    if "".join(statement).strip():
        db.execute("\n".join(statement))


@migration(2, "search index, claimant aliases, session lock, trained models, document scores, claim view")
def _search_aliases_lock_models(db: sqlite_utils.Database) -> None:
    _run_script(db, SCHEMA_V2)


@migration(3, "search index without token positions, with 1- and 2-letter prefixes; documents re-indexed")
def _search_index_without_positions(db: sqlite_utils.Database) -> None:
    """Rebuild ``documents_fts`` with ``detail=none, columnsize=0, prefix='1 2'``.

    No positions: every search term is a single token (store.search), which needs none; the
    index is built with about half the CPU (so imports index their documents as they go) and
    a common word's matches are listed several times faster. Prefix indexes for one and two
    letters: the first letters typed in the search box ("a", "th") match most of the
    vocabulary, which took 50-60 ms at 100,000 documents to merge, 3 ms with them. Every
    document goes back to ``search_pending``; the window re-indexes in the background and
    searches cover pending documents meanwhile."""
    db.execute("DROP TABLE documents_fts")
    db.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id',"
               " tokenize='unicode61 remove_diacritics 2', detail=none, columnsize=0, prefix='1 2')")
    # Collect 8 MB of new postings in memory before writing a segment (default 1 MB): fewer,
    # larger segments to merge, a fifth less CPU to index an import.
    db.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('hashsize', 8388608)")
    db.execute("DELETE FROM search_pending")
    db.execute("INSERT INTO search_pending (doc_id) SELECT id FROM documents")


LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(db: sqlite_utils.Database) -> int:
    return next(db.query("PRAGMA user_version"))["user_version"]


def application_id(db: sqlite_utils.Database) -> int:
    return next(db.query("PRAGMA application_id"))["application_id"]


def pending(db: sqlite_utils.Database) -> list[Migration]:
    current = schema_version(db)
    return [m for m in MIGRATIONS if m.version > current]


def apply_pending(db: sqlite_utils.Database) -> list[Migration]:
    """Apply every pending migration, each atomically with its version bump."""
    applied = []
    for step in pending(db):
        with db.atomic():
            step.apply(db)
            # PRAGMA values cannot be bound parameters; the version is our own int.
            db.execute(f"PRAGMA user_version = {int(step.version)}")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        applied.append(step)
    return applied
