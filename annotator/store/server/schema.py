"""The server's schema: versioned migrations, like the project file's (store/migrations.py).

Everything lives in the PostgreSQL schema ``annotator`` of the team's database. Its version
is ``annotator.meta``'s ``schema_version``; a client refuses a server of another version
with one line (an older server: the lead runs ``annotator server init`` again; a newer
one: upgrade annotator). Never edit a released migration: add one.

Who may write what is decided here, by PostgreSQL itself: the lead's role (which ran
``init``) owns the tables; every annotator is a login role, member of the team's group role,
listed in ``annotator.annotators``. Row-level security lets a member write only rows of its
own layer, and reviewers the gold layer; everything else is read-only to the team. The
change sequence is stamped by a trigger under one advisory lock per write transaction, so
sequence numbers become visible in order and a reader never skips a change committed late.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .connection import ServerSchemaMismatch, _psycopg

SCHEMA = "annotator"
WRITE_LOCK = 0x414E4E4F  # pg_advisory_xact_lock key ("ANNO") that orders every write transaction
LAYER_TABLES = ("layers", "spans", "claims", "relations", "doc_labels")


@dataclass(frozen=True)
class ServerMigration:
    version: int
    description: str
    apply: Callable[[Any, str], None]  # (cursor, team role name)


SERVER_MIGRATIONS: list[ServerMigration] = []


def server_migration(version: int, description: str):
    def register(func: Callable[[Any, str], None]):
        assert not SERVER_MIGRATIONS or SERVER_MIGRATIONS[-1].version == version - 1
        SERVER_MIGRATIONS.append(ServerMigration(version, description, func))
        return func

    return register


TABLES_V1 = f"""
CREATE TABLE annotator.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE SEQUENCE annotator.change_seq;
CREATE TABLE annotator.annotators (
    uuid uuid PRIMARY KEY,
    name text NOT NULL,
    role name UNIQUE,
    kind text NOT NULL DEFAULT 'annotator' CHECK (kind IN ('annotator', 'gold')),
    reviewer boolean NOT NULL DEFAULT false,
    created_at text NOT NULL
);
CREATE TABLE annotator.documents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    content_hash text NOT NULL UNIQUE,
    text text NOT NULL,
    title text NOT NULL DEFAULT '',
    source text NOT NULL DEFAULT '',
    meta text NOT NULL DEFAULT '{{}}',
    position bigint NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    seq bigint NOT NULL DEFAULT 0
);
CREATE INDEX documents_seq ON annotator.documents (seq);
CREATE TABLE annotator.suggestions (
    doc bigint NOT NULL REFERENCES annotator.documents ON DELETE CASCADE,
    start integer NOT NULL,
    "end" integer NOT NULL,
    label text NOT NULL,
    text text NOT NULL,
    origin text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL
);
CREATE INDEX suggestions_doc ON annotator.suggestions (doc);
CREATE TABLE annotator.assignments (
    doc bigint NOT NULL REFERENCES annotator.documents ON DELETE CASCADE,
    annotator uuid NOT NULL REFERENCES annotator.annotators ON DELETE CASCADE,
    assigned_at text NOT NULL,
    seq bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (annotator, doc)
);
CREATE INDEX assignments_seq ON annotator.assignments (seq);
CREATE TABLE annotator.layers (
    doc bigint NOT NULL REFERENCES annotator.documents ON DELETE CASCADE,
    annotator uuid NOT NULL REFERENCES annotator.annotators ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'done', 'skipped')),
    status_at text NOT NULL DEFAULT '',
    client uuid,
    client_seq bigint NOT NULL DEFAULT 0,
    seq bigint NOT NULL DEFAULT 0,
    written_by name NOT NULL DEFAULT session_user,
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (doc, annotator)
);
CREATE INDEX layers_seq ON annotator.layers (seq);
CREATE TABLE annotator.spans (
    doc bigint NOT NULL,
    annotator uuid NOT NULL,
    sid bigint NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    label text NOT NULL,
    text text NOT NULL,
    origin text NOT NULL,
    state text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    PRIMARY KEY (doc, annotator, sid)
);
CREATE TABLE annotator.claims (
    doc bigint NOT NULL,
    annotator uuid NOT NULL,
    sid bigint NOT NULL,
    claimant_sid bigint,
    claimant_key text,
    claimant_text text,
    claimant_relation text,
    cue_sid bigint,
    cue_key text,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    "values" text NOT NULL DEFAULT '[]',
    PRIMARY KEY (doc, annotator, sid)
);
CREATE TABLE annotator.relations (
    doc bigint NOT NULL,
    annotator uuid NOT NULL,
    head_sid bigint NOT NULL,
    child_sid bigint,
    child_key text,
    label text NOT NULL,
    created_at text NOT NULL
);
CREATE INDEX relations_layer ON annotator.relations (doc, annotator);
CREATE TABLE annotator.doc_labels (
    doc bigint NOT NULL,
    annotator uuid NOT NULL,
    label text NOT NULL,
    created_at text NOT NULL,
    PRIMARY KEY (doc, annotator, label)
);
CREATE FUNCTION annotator.stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({WRITE_LOCK});
    NEW.seq := nextval('annotator.change_seq');
    IF TG_TABLE_NAME = 'layers' THEN
        NEW.written_by := session_user;
        NEW.written_at := now();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.layers FOR EACH ROW EXECUTE FUNCTION annotator.stamp();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.documents FOR EACH ROW EXECUTE FUNCTION annotator.stamp();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.assignments FOR EACH ROW EXECUTE FUNCTION annotator.stamp();
"""

# A member writes a row of a layer when the layer is theirs, or the gold layer and they are a
# reviewer. The sub-selects are uncorrelated: PostgreSQL runs each once per statement.
MAY_WRITE = ("annotator IN (SELECT uuid FROM annotator.annotators WHERE role = current_user)"
             " OR (annotator IN (SELECT uuid FROM annotator.annotators WHERE kind = 'gold')"
             " AND EXISTS (SELECT 1 FROM annotator.annotators WHERE role = current_user AND reviewer))")


@server_migration(1, "documents, annotators, assignments, layers (spans, claims, relations, document labels, "
                     "statuses), change sequence, row-level security")
def _v1(cur: Any, team: str) -> None:
    sql = _psycopg().sql
    cur.execute(f"CREATE SCHEMA {SCHEMA}")
    cur.execute(TABLES_V1)
    role = sql.Identifier(team)
    cur.execute(sql.SQL("GRANT USAGE ON SCHEMA annotator TO {}").format(role))
    cur.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA annotator TO {}").format(role))
    for table in LAYER_TABLES:
        name = sql.Identifier(SCHEMA, table)
        cur.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(name, role))
        cur.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name))
        cur.execute(sql.SQL("CREATE POLICY team_reads ON {} FOR SELECT TO {} USING (true)").format(name, role))
        cur.execute(sql.SQL("CREATE POLICY own_layer_insert ON {} FOR INSERT TO {} WITH CHECK (" + MAY_WRITE + ")")
                    .format(name, role))
        cur.execute(sql.SQL("CREATE POLICY own_layer_update ON {} FOR UPDATE TO {} USING (" + MAY_WRITE
                            + ") WITH CHECK (" + MAY_WRITE + ")").format(name, role))
        cur.execute(sql.SQL("CREATE POLICY own_layer_delete ON {} FOR DELETE TO {} USING (" + MAY_WRITE + ")")
                    .format(name, role))
    cur.execute("INSERT INTO annotator.meta (key, value) VALUES ('project_id', %s), ('team_role', %s)",
                [str(uuid.uuid4()), team])


LATEST_SERVER_VERSION = SERVER_MIGRATIONS[-1].version


def server_version(cur: Any) -> int | None:
    """The schema version of the server, or None when it holds no annotator schema."""
    cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SCHEMA])
    if cur.fetchone() is None:
        return None
    cur.execute("SELECT value FROM annotator.meta WHERE key = 'schema_version'")
    row = cur.fetchone()
    return int(row[0]) if row else 0


def check_version(cur: Any, where: str) -> None:
    """Refuse, in one line, a server this annotator cannot sync with."""
    version = server_version(cur)
    if version is None:
        raise ServerSchemaMismatch(f"{where}: no annotator schema on this server (the lead runs "
                                   f"`annotator server init {where}`)")
    if version > LATEST_SERVER_VERSION:
        raise ServerSchemaMismatch(f"{where}: the server's schema is version {version}, newer than this annotator "
                                   f"understands ({LATEST_SERVER_VERSION}): upgrade annotator")
    if version < LATEST_SERVER_VERSION:
        raise ServerSchemaMismatch(f"{where}: the server's schema is version {version} and this annotator needs "
                                   f"{LATEST_SERVER_VERSION}: the lead runs `annotator server init {where}` to "
                                   "upgrade it")


def default_team_role(cur: Any) -> str:
    cur.execute("SELECT current_database()")
    return f"{cur.fetchone()[0]}_annotators"


def initialize(conn: Any, team_role: str | None = None) -> tuple[int | None, list[ServerMigration]]:
    """Create or upgrade the schema, each migration in its own transaction. Makes the team's
    group role when it does not exist. Returns (version before, migrations applied)."""
    sql = _psycopg().sql
    applied: list[ServerMigration] = []
    with conn.transaction(), conn.cursor() as cur:
        before = server_version(cur)
        if before is not None and before > LATEST_SERVER_VERSION:
            raise ServerSchemaMismatch(f"the server's schema is version {before}, newer than this annotator "
                                       f"understands ({LATEST_SERVER_VERSION}): upgrade annotator")
    for step in SERVER_MIGRATIONS:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])  # two inits at once: one waits
            current = server_version(cur) or 0
            if step.version <= current:
                continue
            team = team_role or _meta(cur, "team_role") or default_team_role(cur)
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [team])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(team)))
            step.apply(cur, team)
            cur.execute("INSERT INTO annotator.meta (key, value) VALUES ('schema_version', %s)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value", [str(step.version)])
            applied.append(step)
    return before, applied


def _meta(cur: Any, key: str) -> str | None:
    cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SCHEMA])
    if cur.fetchone() is None:
        return None
    cur.execute("SELECT value FROM annotator.meta WHERE key = %s", [key])
    row = cur.fetchone()
    return row[0] if row else None


def meta(cur: Any) -> dict[str, str]:
    cur.execute("SELECT key, value FROM annotator.meta")
    return dict(cur.fetchall())


def set_meta(cur: Any, values: dict[str, str]) -> None:
    cur.executemany("INSERT INTO annotator.meta (key, value) VALUES (%s, %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value", list(values.items()))
