"""The team server's change log: triggers that give a changed (document, annotator) unit
the next sequence number, so that a sync sends only what changed.

They exist only while the project is linked to a server (``sync_state.link`` makes them,
``unlink`` drops them): a project that never syncs writes without them. While linked,
``sync_remote.logging`` = 0 pauses them (a pull's own writes are not changes to send).
"""

from __future__ import annotations

import sqlite3

from .migrations import OWN_ANNOTATOR_KEY

# One change-log statement: the (document, annotator) unit a row belongs to gets the next
# sequence number. {units} is a SELECT of (doc_id, annotator_id) rows.
_LOG_UNIT = ("INSERT INTO sync_changes (doc_id, annotator_id, seq) SELECT u.doc_id, u.annotator_id,"
             " (SELECT coalesce(max(seq), 0) + 1 FROM sync_changes) FROM ({units}) AS u"
             " WHERE u.annotator_id IS NOT NULL"
             " ON CONFLICT (doc_id, annotator_id) DO UPDATE SET seq = excluded.seq;")

# For each table of a layer: how a row ({row} is NEW or OLD) names its unit.
_UNIT_OF = {
    "spans": "SELECT {row}.doc_id AS doc_id, {row}.annotator_id AS annotator_id",
    "claims": "SELECT doc_id, annotator_id FROM spans WHERE id = {row}.span_id",
    "claim_values": "SELECT s.doc_id, s.annotator_id FROM claims c JOIN spans s ON s.id = c.span_id"
                    " WHERE c.id = {row}.claim_id",
    "relations": "SELECT doc_id, annotator_id FROM spans WHERE id = {row}.head_span_id",
    "doc_labels": "SELECT {row}.doc_id AS doc_id, {row}.annotator_id AS annotator_id",
    "document_status": "SELECT {row}.doc_id AS doc_id, {row}.annotator_id AS annotator_id",
}
_LOGGING = "(SELECT logging FROM sync_remote WHERE id = 1) = 1"


def _trigger_statements() -> list[str]:
    """Triggers that keep the change log: every write to a layer's rows marks its unit."""
    statements = []
    for table, unit in _UNIT_OF.items():
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
            body = " ".join(_LOG_UNIT.format(units=unit.format(row=row)) for row in rows)
            statements.append(f"CREATE TRIGGER sync_log_{table}_{event.lower()} AFTER {event} ON {table}"
                              f" WHEN {_LOGGING} BEGIN {body} END")
    own = ("SELECT NEW.id AS doc_id, (SELECT id FROM annotators WHERE uuid ="
           f" (SELECT value FROM project_settings WHERE key = '{OWN_ANNOTATOR_KEY}')) AS annotator_id")
    statements.append("CREATE TRIGGER sync_log_documents_status AFTER UPDATE OF status ON documents"
                      f" WHEN {_LOGGING} AND NEW.status IS NOT OLD.status BEGIN {_LOG_UNIT.format(units=own)} END")
    return statements


def create_triggers(conn: sqlite3.Connection) -> None:
    """Make the change-log triggers (inside the caller's transaction); no-op when they exist."""
    for statement in _trigger_statements():
        conn.execute(statement.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1))


def drop_triggers(conn: sqlite3.Connection) -> None:
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_log\\_%' ESCAPE '\\'")]
    for name in names:
        conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
