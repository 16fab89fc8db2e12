"""What annotations carry beyond spans and claims: span attributes, notes, events,
equivalences, and the tokens a document came with (all from migration 3).

Other tools' files hold these (brat attributes, notes, events and equivalences; WebAnno
features; Label Studio per-region controls; CoNLL, Prodigy and WebAnno tokens). They are kept
so an export writes them back, and shown in the window (span attributes and notes).
"""

from __future__ import annotations

import json
from typing import Any

from ..core.model import SPAN_ATTRIBUTE_KINDS, SpanAttribute, SpanDetails
from ..core.scheme import check_label_name
from ..core.token_codec import Bounds, unpack_tokens
from .errors import ProjectError

# Tables whose rows name a span, relation, event or equivalence, in the order undo puts them back.
_TARGETS = ("span_id", "relation_id", "event_id", "equivalence_id")


class ExtrasStore:
    """Mixed into ``Project``: needs ``db`` and ``transaction``."""

    # ------------------------------------------------------------ span attributes
    def span_attributes(self) -> list[SpanAttribute]:
        return [SpanAttribute(r["name"], r["kind"], tuple(json.loads(r["choices"])), r["description"])
                for r in self.db.query("SELECT * FROM span_attributes ORDER BY position, id")]

    def add_span_attribute(self, attribute: SpanAttribute) -> None:
        """Define a span attribute, or widen a choice attribute's choices (what an import with
        ``--add-labels`` does when it meets a value the scheme lacks)."""
        if attribute.kind not in SPAN_ATTRIBUTE_KINDS:
            raise ProjectError(f"span attribute kind {attribute.kind!r} must be one of "
                               f"{', '.join(SPAN_ATTRIBUTE_KINDS)}")
        if (reason := check_label_name(attribute.name)) is not None:
            raise ProjectError(reason.replace("label name", "attribute name"))
        with self.transaction():
            rows = list(self.db.query("SELECT kind, choices FROM span_attributes WHERE name = ?", [attribute.name]))
            if not rows:
                position = next(self.db.query("SELECT coalesce(max(position), -1) + 1 AS n FROM span_attributes"))["n"]
                self.db.execute("INSERT INTO span_attributes (name, kind, choices, description, position)"
                                " VALUES (?,?,?,?,?)", [attribute.name, attribute.kind,
                                                        json.dumps(list(attribute.choices)), attribute.description,
                                                        position])
                return
            choices = json.loads(rows[0]["choices"])
            wider = choices + [c for c in attribute.choices if c not in choices]
            if wider != choices:
                self.db.execute("UPDATE span_attributes SET choices = ? WHERE name = ?",
                                [json.dumps(wider), attribute.name])

    # ------------------------------------------------------------------ reading
    def span_details(self, doc_id: int) -> dict[int, SpanDetails]:
        """Attribute values and notes of a document's spans, by span id (spans without either
        are left out): what the span table and the article's tooltip show."""
        values: dict[int, dict[str, str]] = {}
        for r in self.db.query(
                "SELECT v.span_id, v.attribute, v.value FROM attribute_values v JOIN spans ON spans.id = v.span_id"
                " WHERE spans.doc_id = ? ORDER BY v.attribute", [doc_id]):
            values.setdefault(r["span_id"], {})[r["attribute"]] = r["value"]
        notes = {r["span_id"]: r["note"] for r in self.db.query(
            "SELECT n.span_id, n.note FROM annotation_notes n JOIN spans ON spans.id = n.span_id"
            " WHERE spans.doc_id = ?", [doc_id])}
        return {span_id: SpanDetails(values.get(span_id, {}), notes.get(span_id))
                for span_id in sorted(set(values) | set(notes))}

    def document_tokens(self, doc_id: int) -> Bounds | None:
        """The tokens a document came with ((start, end) code points), or None."""
        rows = list(self.db.query("SELECT tokens FROM document_tokens WHERE doc_id = ?", [doc_id]))
        return unpack_tokens(rows[0]["tokens"]) if rows else None

    # ------------------------------------------------------------------ undo
    def extra_snapshot(self, span_id: int, relation_ids: list[int]) -> tuple[tuple[str, dict[str, Any]], ...]:
        """What deleting a span removes from this module's tables, in the order to put it back."""
        q = self.db.query
        events = list(q("SELECT * FROM events WHERE trigger_span_id = ? ORDER BY id", [span_id]))
        event_ids = [e["id"] for e in events]
        rows: list[tuple[str, dict[str, Any]]] = [("events", e) for e in events]
        for table in ("annotation_notes", "attribute_values"):
            rows.extend((table, r) for r in q(f"SELECT * FROM {table} WHERE span_id = ?", [span_id]))
            for column, ids in (("relation_id", relation_ids), ("event_id", event_ids)):
                for target in ids:
                    rows.extend((table, r) for r in q(f"SELECT * FROM {table} WHERE {column} = ?", [target]))
        rows.extend(("equivalence_members", r) for r in q(
            "SELECT * FROM equivalence_members WHERE span_id = ?", [span_id]))
        return tuple(rows)

    def restore_extra(self, rows: tuple[tuple[str, dict[str, Any]], ...], stage: str) -> None:
        """Put back snapshot rows: ``stage`` "events" before the relations, "rest" after them.

        A row whose other end is gone too (deleted later and not yet restored) is skipped,
        never left dangling.
        """
        for table, row in rows:
            if (table == "events") != (stage == "events") or not self._targets_exist(table, row):
                continue
            columns = list(row)
            self.db.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)})"
                            f" VALUES ({', '.join('?' * len(columns))})", [row[c] for c in columns])

    def relation_refs_exist(self, row: dict[str, Any]) -> bool:
        return all(row.get(column) is None or self._exists("events", row[column])
                   for column in ("event_id", "child_event_id"))

    def _targets_exist(self, table: str, row: dict[str, Any]) -> bool:
        if table == "equivalence_members":
            return self._exists("equivalences", row["equivalence_id"]) and self._exists("spans", row["span_id"])
        if table == "events":
            return self._exists("spans", row["trigger_span_id"])
        for column in _TARGETS:
            if row.get(column) is not None:
                return self._exists(column.removesuffix("_id") + "s", row[column])
        return False

    def _exists(self, table: str, row_id: int) -> bool:
        return bool(list(self.db.query(f"SELECT 1 FROM {table} WHERE id = ?", [row_id])))

    # ----------------------------------------------------------- claim attributes
    def add_claim_attribute(self, name: str, choices: tuple[str, ...]) -> None:
        """Define a choice attribute of claims met in an imported file (``--add-labels``), or
        widen its choices; the title is the name, as the file gives no other."""
        if (reason := check_label_name(name)) is not None:
            raise ProjectError(reason.replace("label name", "attribute name"))
        with self.transaction():
            rows = list(self.db.query("SELECT kind, choices FROM claim_attributes WHERE name = ?", [name]))
            if not rows:
                position = next(self.db.query("SELECT coalesce(max(position), -1) + 1 AS n FROM claim_attributes"))["n"]
                self.db.execute("INSERT INTO claim_attributes (name, title, kind, choices, position)"
                                " VALUES (?,?,?,?,?)", [name, name, "choice", json.dumps(list(choices)), position])
            elif rows[0]["kind"] == "choice":
                known = json.loads(rows[0]["choices"])
                wider = known + [c for c in choices if c not in known]
                if wider != known:
                    self.db.execute("UPDATE claim_attributes SET choices = ? WHERE name = ?", [json.dumps(wider), name])
