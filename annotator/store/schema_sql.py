"""The SQL of the schema's migrations, one constant per migration that runs a script
(``migrations.py`` registers and runs them). Never edit a released one: a new migration
gets a new constant.
"""

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


SCHEMA_CLEAN_CLOSE = """
CREATE TABLE clean_close (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    closed_at TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL,
    file_size INTEGER NOT NULL,
    page_count INTEGER NOT NULL,
    page_size INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    program TEXT NOT NULL
);
ALTER TABLE session_lock ADD COLUMN kind TEXT NOT NULL DEFAULT 'window';
DROP INDEX spans_label;
CREATE INDEX spans_label_state ON spans(label_id, state, annotator_id);
"""


SCHEMA_V4 = """
CREATE TABLE span_attributes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('choice', 'text', 'flag')),
    choices TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    trigger_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    annotator_id INTEGER REFERENCES annotators(id),
    created_at TEXT NOT NULL
);
CREATE INDEX events_doc ON events(doc_id);
CREATE INDEX events_trigger ON events(trigger_span_id);
ALTER TABLE relations ADD COLUMN event_id INTEGER REFERENCES events(id) ON DELETE CASCADE;
ALTER TABLE relations ADD COLUMN child_event_id INTEGER REFERENCES events(id) ON DELETE CASCADE;
CREATE INDEX relations_event ON relations(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX relations_child_event ON relations(child_event_id) WHERE child_event_id IS NOT NULL;
CREATE TABLE equivalences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    annotator_id INTEGER REFERENCES annotators(id),
    created_at TEXT NOT NULL
);
CREATE INDEX equivalences_doc ON equivalences(doc_id);
CREATE TABLE equivalence_members (
    equivalence_id INTEGER NOT NULL REFERENCES equivalences(id) ON DELETE CASCADE,
    span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (equivalence_id, span_id)
);
CREATE INDEX equivalence_members_span ON equivalence_members(span_id);
CREATE TABLE annotation_notes (
    id INTEGER PRIMARY KEY,
    span_id INTEGER UNIQUE REFERENCES spans(id) ON DELETE CASCADE,
    relation_id INTEGER UNIQUE REFERENCES relations(id) ON DELETE CASCADE,
    event_id INTEGER UNIQUE REFERENCES events(id) ON DELETE CASCADE,
    equivalence_id INTEGER UNIQUE REFERENCES equivalences(id) ON DELETE CASCADE,
    note TEXT NOT NULL,
    CHECK ((span_id IS NOT NULL) + (relation_id IS NOT NULL) + (event_id IS NOT NULL)
           + (equivalence_id IS NOT NULL) = 1)
);
CREATE TABLE attribute_values (
    id INTEGER PRIMARY KEY,
    span_id INTEGER REFERENCES spans(id) ON DELETE CASCADE,
    relation_id INTEGER REFERENCES relations(id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES events(id) ON DELETE CASCADE,
    attribute TEXT NOT NULL,
    value TEXT NOT NULL,
    CHECK ((span_id IS NOT NULL) + (relation_id IS NOT NULL) + (event_id IS NOT NULL) = 1)
);
CREATE UNIQUE INDEX attribute_values_span ON attribute_values(span_id, attribute) WHERE span_id IS NOT NULL;
CREATE UNIQUE INDEX attribute_values_relation ON attribute_values(relation_id, attribute)
    WHERE relation_id IS NOT NULL;
CREATE UNIQUE INDEX attribute_values_event ON attribute_values(event_id, attribute) WHERE event_id IS NOT NULL;
CREATE TABLE document_tokens (
    doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    count INTEGER NOT NULL,
    tokens BLOB NOT NULL
);
"""


SCHEMA_LAYERS = """
DROP VIEW span_view;
DROP VIEW claim_view;
CREATE TABLE annotators_new (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    separate_status INTEGER NOT NULL DEFAULT 0 CHECK (separate_status IN (0, 1)),
    created_at TEXT NOT NULL
);
INSERT INTO annotators_new (id, uuid, name, separate_status, created_at)
    SELECT id, uuid, name, 0, created_at FROM annotator_uuids JOIN annotators USING (id);
DROP TABLE temp.annotator_uuids;
DROP TABLE annotators;
ALTER TABLE annotators_new RENAME TO annotators;
CREATE INDEX annotators_name ON annotators(name);
CREATE TABLE doc_labels_new (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels(id),
    annotator_id INTEGER REFERENCES annotators(id),
    created_at TEXT NOT NULL
);
INSERT INTO doc_labels_new (doc_id, label_id, annotator_id, created_at)
    SELECT doc_id, label_id, annotator_id, created_at FROM doc_labels;
DROP TABLE doc_labels;
ALTER TABLE doc_labels_new RENAME TO doc_labels;
CREATE UNIQUE INDEX doc_labels_layer ON doc_labels(doc_id, label_id, ifnull(annotator_id, 0));
CREATE TABLE document_status (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('todo', 'done', 'skipped')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (annotator_id, doc_id)
) WITHOUT ROWID;
CREATE INDEX document_status_doc ON document_status(doc_id);
CREATE TABLE assignments (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE CASCADE,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (annotator_id, doc_id)
) WITHOUT ROWID;
CREATE INDEX assignments_doc ON assignments(doc_id);
CREATE VIEW annotator_status AS
    SELECT documents.id AS doc_id, annotators.id AS annotator_id, annotators.uuid AS annotator_uuid,
           annotators.name AS annotator,
           CASE WHEN annotators.separate_status THEN coalesce(document_status.status, 'todo')
                ELSE documents.status END AS status
    FROM annotators CROSS JOIN documents
    LEFT JOIN document_status ON document_status.annotator_id = annotators.id
                             AND document_status.doc_id = documents.id;
CREATE VIEW span_view AS
    SELECT spans.id, spans.doc_id, documents.title AS document, spans.start, spans."end",
           labels.name AS label, labels.kind AS kind, spans.text, annotators.name AS annotator,
           spans.origin, spans.state, spans.created_at, spans.updated_at, annotators.uuid AS annotator_uuid
    FROM spans
    JOIN labels ON labels.id = spans.label_id
    JOIN documents ON documents.id = spans.doc_id
    LEFT JOIN annotators ON annotators.id = spans.annotator_id;
CREATE VIEW claim_view AS
    SELECT claims.id, content.doc_id, documents.title AS document,
           labels.name AS label, content.start, content."end", content.text,
           coalesce(claimant.text, claims.claimant_text) AS claimant,
           coalesce(claimant_aliases.canonical, claimant.text, claims.claimant_text) AS canonical_claimant,
           claimant.start AS claimant_start, claimant."end" AS claimant_end,
           claims.claimant_relation, cue.text AS cue, cue.start AS cue_start, cue."end" AS cue_end,
           content.state, annotators.name AS annotator, annotators.uuid AS annotator_uuid
    FROM claims
    JOIN spans AS content ON content.id = claims.span_id
    JOIN labels ON labels.id = content.label_id
    JOIN documents ON documents.id = content.doc_id
    LEFT JOIN spans AS claimant ON claimant.id = claims.claimant_span_id
    LEFT JOIN spans AS cue ON cue.id = claims.cue_span_id
    LEFT JOIN claimant_aliases ON claimant_aliases.alias = coalesce(claimant.text, claims.claimant_text)
    LEFT JOIN annotators ON annotators.id = content.annotator_id;
"""


SCHEMA_GOLD = """
CREATE TABLE gold_provenance (
    span_id INTEGER PRIMARY KEY REFERENCES spans(id) ON DELETE CASCADE,
    agreed TEXT NOT NULL DEFAULT '[]',
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    decision TEXT NOT NULL
);
CREATE TABLE gold_label_provenance (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE CASCADE,
    rejected INTEGER NOT NULL DEFAULT 0 CHECK (rejected IN (0, 1)),
    agreed TEXT NOT NULL DEFAULT '[]',
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    decision TEXT NOT NULL,
    PRIMARY KEY (doc_id, label_id, annotator_id)
) WITHOUT ROWID;
CREATE VIEW gold_view AS
    SELECT spans.id, spans.doc_id, documents.title AS document, spans.start, spans."end", labels.name AS label,
           labels.kind AS kind, spans.text, spans.state, gold_provenance.decision, gold_provenance.agreed,
           gold_provenance.decided_by, gold_provenance.decided_at
    FROM spans
    JOIN annotators ON annotators.id = spans.annotator_id AND annotators.uuid = '601d0000-0000-4000-8000-000000000000'
    JOIN labels ON labels.id = spans.label_id
    JOIN documents ON documents.id = spans.doc_id
    LEFT JOIN gold_provenance ON gold_provenance.span_id = spans.id;
"""


SCHEMA_SYNC = """
CREATE TABLE sync_remote (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    url TEXT NOT NULL,
    server_id TEXT NOT NULL,
    annotator_uuid TEXT NOT NULL,
    reviewer INTEGER NOT NULL DEFAULT 0 CHECK (reviewer IN (0, 1)),
    gold_uuid TEXT,
    scope TEXT NOT NULL DEFAULT 'assigned' CHECK (scope IN ('assigned', 'all')),
    client_id TEXT NOT NULL,
    logging INTEGER NOT NULL DEFAULT 1 CHECK (logging IN (0, 1)),
    pushed_seq INTEGER NOT NULL DEFAULT 0,
    pulled_seq INTEGER NOT NULL DEFAULT 0,
    linked_at TEXT NOT NULL,
    last_sync_at TEXT,
    offline_since TEXT,
    last_error TEXT
);
CREATE TABLE sync_changes (
    doc_id INTEGER NOT NULL,
    annotator_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (doc_id, annotator_id)
) WITHOUT ROWID;
CREATE INDEX sync_changes_seq ON sync_changes(seq);
CREATE TABLE sync_documents (
    doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    server_doc INTEGER NOT NULL UNIQUE
);
CREATE TABLE sync_units (
    doc_id INTEGER NOT NULL,
    annotator_id INTEGER NOT NULL,
    server_seq INTEGER NOT NULL,
    PRIMARY KEY (doc_id, annotator_id)
) WITHOUT ROWID;
CREATE TABLE sync_conflicts (
    doc_id INTEGER NOT NULL,
    annotator_id INTEGER NOT NULL,
    server_seq INTEGER NOT NULL,
    written_by TEXT NOT NULL,
    written_at TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator_id)
) WITHOUT ROWID;
"""
