"""Schema versions. Each migration runs once, in a transaction, when a project is opened.

``PRAGMA user_version`` holds the version; ``PRAGMA application_id`` marks our files so
that opening someone else's SQLite database is refused instead of "upgraded".
Never edit a released migration: add a new one.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from .schema_sql import SCHEMA_V1, SCHEMA_V2, SCHEMA_CLEAN_CLOSE, SCHEMA_V4, SCHEMA_LAYERS, SCHEMA_GOLD, SCHEMA_SYNC

APPLICATION_ID = 0x414E4E4F  # "ANNO"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sqlite_utils.Database], None]
    # Rebuilds a table other tables refer to (SQLite's 12-step ALTER): foreign keys are off
    # while it runs, and PRAGMA foreign_key_check must find nothing before it commits.
    rebuilds_tables: bool = False


MIGRATIONS: list[Migration] = []


def migration(version: int, description: str, *, rebuilds_tables: bool = False):
    def register(func: Callable[[sqlite_utils.Database], None]):
        assert not MIGRATIONS or MIGRATIONS[-1].version == version - 1, "migrations must be consecutive"
        MIGRATIONS.append(Migration(version, description, func, rebuilds_tables))
        return func

    return register


@migration(1, "initial schema: documents, labels, spans, claims, relations, document labels")
def _initial_schema(db: sqlite_utils.Database) -> None:
    for statement in SCHEMA_V1.split(";"):
        if statement.strip():
            db.execute(statement)


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


# spans_label_state: the span counts of ``annotator stats`` (by label, state and annotator) come
# from the index alone, one pass, instead of a row lookup per span (1.8 of 3.5 s at 100,000
# documents); it serves every lookup by label as spans_label did.
@migration(3, "clean-close record (skips the integrity check of a file closed cleanly); kind of lock holder;"
              " span counts from an index")
def _clean_close_and_lock_kind(db: sqlite_utils.Database) -> None:
    _run_script(db, SCHEMA_CLEAN_CLOSE)


@migration(4, "span attributes, notes, events, equivalences, imported documents' own tokens")
def _attributes_notes_events_tokens(db: sqlite_utils.Database) -> None:
    _run_script(db, SCHEMA_V4)


OWN_ANNOTATOR_KEY = "own_annotator"  # project_settings: the uuid of the annotator whose copy this is
# project_settings: "1" once another annotator's file was merged in (workflows/merging.py): from then
# on the window keeps each annotator's layer apart (ui/session/layers.py window_layers).
TEAM_LAYERS_KEY = "team_layers"


@migration(5, "annotator layers: annotator uuids, per-annotator document status, assignments, "
              "document labels per annotator", rebuilds_tables=True)
def _annotator_layers(db: sqlite_utils.Database) -> None:
    """Names stop being unique (two people called alex are two annotators, told apart by uuid).

    Every annotator shares the project's status (``documents.status``) until they get statuses
    of their own, so nothing an existing project shows changes. A project with exactly one
    annotator becomes that annotator's own copy.
    """
    db.execute("CREATE TEMP TABLE annotator_uuids (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL)")
    ids = [r["id"] for r in db.query("SELECT id FROM annotators ORDER BY id")]
    for annotator_id in ids:
        db.execute("INSERT INTO annotator_uuids (id, uuid) VALUES (?, ?)", [annotator_id, str(uuid.uuid4())])
    _run_script(db, SCHEMA_LAYERS)
    if len(ids) == 1:
        db.execute("INSERT OR REPLACE INTO project_settings (key, value) SELECT ?, uuid FROM annotators",
                   [OWN_ANNOTATOR_KEY])


# The gold layer itself is the layer of a reserved annotator (core.team.GOLD_UUID), made when a
# review first writes to it; these tables say where each gold unit came from. A gold span's row
# goes with the span (cascade); a document label has no row id, so its decision is keyed by
# (document, label, gold annotator), and a rejected document label has a row but no label.
@migration(6, "review: provenance of the gold layer's spans and document labels, gold_view")
def _gold_provenance(db: sqlite_utils.Database) -> None:
    _run_script(db, SCHEMA_GOLD)


# The triggers that fill sync_changes exist only while the project is linked to a server
# (store/sync_log.py, created by sync_state.link): every other project's writes would pay
# for them (a fifth more CPU on a large import).
@migration(7, "team server: the change log (a sequence number per changed document layer, kept by triggers "
              "while the project syncs with a server) and the sync state")
def _team_server_sync(db: sqlite_utils.Database) -> None:
    _run_script(db, SCHEMA_SYNC)


# The dashboard counts claims per attribute value (stance, verdict, ...) from this index alone,
# one pass in order, instead of sorting every claim_values row (0.5 s at 300,000 claims).
@migration(8, "claims per attribute value from an index (the dashboard)")
def _claim_values_attribute(db: sqlite_utils.Database) -> None:
    db.execute("CREATE INDEX IF NOT EXISTS claim_values_attribute ON claim_values(attribute, value, claim_id)")


@migration(9, "search index without token positions, with 1- and 2-letter prefixes; documents re-indexed")
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
        # PRAGMA foreign_keys is a no-op inside a transaction (a new project migrates inside
        # the one that seeds it); its tables are empty then, so a rebuild breaks no reference.
        restore_keys = step.rebuilds_tables and not db.conn.in_transaction and _foreign_keys(db)
        if restore_keys:
            db.execute("PRAGMA foreign_keys = OFF")
        try:
            with db.atomic():
                step.apply(db)
                if step.rebuilds_tables and (broken := list(db.query("PRAGMA foreign_key_check"))):
                    raise sqlite3.IntegrityError(f"migration {step.version} broke {len(broken)} reference(s), "
                                                 f"e.g. {broken[0]}")
                # PRAGMA values cannot be bound parameters; the version is our own int.
                db.execute(f"PRAGMA user_version = {int(step.version)}")
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        finally:
            if restore_keys:
                db.execute("PRAGMA foreign_keys = ON")
        applied.append(step)
    return applied


def _foreign_keys(db: sqlite_utils.Database) -> bool:
    return bool(next(db.query("PRAGMA foreign_keys"))["foreign_keys"])
