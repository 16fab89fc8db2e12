"""Span edits: each one a transaction, each returning what undo needs to reverse it.

Offsets are code points, end exclusive. The span's surface text is taken from the stored
document with SQLite's ``substr`` (which counts characters, i.e. code points, as Python
does), so a 2 MB article is never read into Python to add one span.
"""

from __future__ import annotations

from typing import Any

from ..core.model import SPAN_KINDS, SPAN_STATES, Span, SpanSnapshot, is_valid_origin
from ..core.spans import find_conflict
from .errors import EditRefused, ProjectError

SPAN_COLUMNS = 'spans.id, spans.doc_id, spans.start, spans."end", labels.name AS label, labels.kind AS kind,' \
    " spans.text, annotators.name AS annotator, spans.origin, spans.state"
SPAN_JOINS = "JOIN labels ON labels.id = spans.label_id LEFT JOIN annotators ON annotators.id = spans.annotator_id"


def span_from_row(r: dict[str, Any]) -> Span:
    return Span(r["doc_id"], r["start"], r["end"], r["label"], r["text"], r["annotator"], r["origin"],
                r["state"], r["id"])


class SpanStore:
    """Mixed into ``Project``: needs ``db``, ``transaction``, ``_label_id``, ``annotator_id`` and
    ExtrasStore's ``extra_snapshot``/``restore_extra``/``relation_refs_exist``."""

    # ------------------------------------------------------------------ reading
    def span(self, span_id: int) -> Span:
        rows = list(self.db.query(f"SELECT {SPAN_COLUMNS} FROM spans {SPAN_JOINS} WHERE spans.id = ?", [span_id]))
        if not rows:
            raise ProjectError(f"no span with id {span_id}")
        return span_from_row(rows[0])

    def span_kind(self, span_id: int) -> str:
        return next(iter(self.db.query(
            "SELECT labels.kind FROM spans JOIN labels ON labels.id = spans.label_id WHERE spans.id = ?",
            [span_id])))["kind"]

    def label_kinds(self) -> dict[str, str]:
        return {r["name"]: r["kind"] for r in self.db.query("SELECT name, kind FROM labels")}

    # ------------------------------------------------------------------ editing
    def add_span(
        self, doc_id: int, start: int, end: int, label: str, *, annotator: str | None = None,
        origin: str = "manual", state: str = "accepted", span_id: int | None = None,
    ) -> Span:
        """Store a new span; raises ``EditRefused`` (with a message for the status bar) when
        the range is out of the text, the label is not a span label, or the span would
        duplicate a span or overlap an entity of the NER layer."""
        if state not in SPAN_STATES:
            raise ProjectError(f"span state {state!r} must be one of {', '.join(SPAN_STATES)}")
        if not is_valid_origin(origin):
            raise ProjectError(f"span origin {origin!r} must be manual, import, model:NAME or pattern:NAME")
        with self.transaction():
            label_id, kind = self._span_label(label)
            text = self._checked_surface(doc_id, start, end)
            annotator_id = self.annotator_id(annotator) if annotator else None
            if state != "rejected":
                self._refuse_conflicts(doc_id, start, end, label, kind, state, ignore_id=None, layer=annotator_id)
            now = self._now()
            cursor = self.db.execute(
                'INSERT INTO spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state,'
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [span_id, doc_id, start, end, label_id, text, annotator_id, origin, state, now, now],
            )
            return Span(doc_id, start, end, label, text, annotator, origin, state, cursor.lastrowid)

    def relabel_span(self, span_id: int, label: str) -> str:
        """Give a span another label of the same kind; returns the previous label."""
        span = self.span(span_id)
        if label == span.label:
            return label
        with self.transaction():
            label_id, kind = self._span_label(label)
            old_kind = self.span_kind(span_id)
            if kind != old_kind:
                raise EditRefused(f"{span.label} is a {old_kind} label and {label} a {kind} label; "
                                  "delete the span and tag it again instead")
            if span.state != "rejected":
                self._refuse_conflicts(span.doc_id, span.start, span.end, label, kind, span.state, ignore_id=span_id,
                                       layer=self._span_layer(span_id))
            self.db.execute("UPDATE spans SET label_id = ?, updated_at = ? WHERE id = ?",
                            [label_id, self._now(), span_id])
        return span.label

    def resize_span(self, span_id: int, start: int, end: int) -> tuple[int, int]:
        """Move a span's edges; returns the previous (start, end)."""
        span = self.span(span_id)
        if (start, end) == (span.start, span.end):
            return start, end
        with self.transaction():
            text = self._checked_surface(span.doc_id, start, end)
            kind = self.span_kind(span_id)
            if span.state != "rejected":
                self._refuse_conflicts(span.doc_id, start, end, span.label, kind, span.state, ignore_id=span_id,
                                       layer=self._span_layer(span_id))
            self.db.execute('UPDATE spans SET start = ?, "end" = ?, text = ?, updated_at = ? WHERE id = ?',
                            [start, end, text, self._now(), span_id])
        return span.start, span.end

    def set_span_state(self, span_id: int, state: str, *, annotator: str | None = None) -> str:
        """Accept or reject a suggestion (or take that back); returns the previous state.

        Accepting checks the NER rule like a new span: a suggestion that overlaps an accepted
        entity cannot become gold while that entity is there. A model's or pattern's span is
        stamped with ``annotator`` when someone decides it (accepted gold is that person's, so
        ``export --annotator`` and agreement count it), and carries no annotator while it is a
        suggestion again (undo): so the stamp never needs remembering.
        """
        if state not in SPAN_STATES:
            raise ProjectError(f"span state {state!r} must be one of {', '.join(SPAN_STATES)}")
        span = self.span(span_id)
        if state == span.state:
            return state
        with self.transaction():
            suggested = span.origin.startswith(("model:", "pattern:"))
            decided_by = self.annotator_id(annotator) if suggested and annotator and state != "suggested" else None
            if state == "accepted":
                kind = self.span_kind(span_id)
                # The layer it joins: the decider's for a suggestion, else the one it is in.
                layer = decided_by if suggested else self._span_layer(span_id)
                self._refuse_conflicts(span.doc_id, span.start, span.end, span.label, kind, state, ignore_id=span_id,
                                       layer=layer)
            self.db.execute("UPDATE spans SET state = ?, updated_at = ? WHERE id = ?", [state, self._now(), span_id])
            if suggested:
                self.db.execute("UPDATE spans SET annotator_id = ? WHERE id = ?", [decided_by, span_id])
        return span.state

    def delete_span(self, span_id: int) -> SpanSnapshot:
        """Delete a span. A claim whose content it is goes with it; claims that used it as
        claimant or cue are unlinked (foreign keys), never left dangling. The snapshot holds
        all of that, for ``restore_span``."""
        with self.transaction():
            snapshot = self.span_snapshot(span_id)
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
        return snapshot

    def span_snapshot(self, span_id: int) -> SpanSnapshot:
        rows = list(self.db.query("SELECT * FROM spans WHERE id = ?", [span_id]))
        if not rows:
            raise ProjectError(f"no span with id {span_id}")
        claim = next(iter(self.db.query("SELECT * FROM claims WHERE span_id = ?", [span_id])), None)
        values = tuple(self.db.query("SELECT * FROM claim_values WHERE claim_id = ?", [claim["id"]])) if claim else ()
        as_claimant = tuple(r["id"] for r in self.db.query(
            "SELECT id FROM claims WHERE claimant_span_id = ? ORDER BY id", [span_id]))
        as_cue = tuple(r["id"] for r in self.db.query("SELECT id FROM claims WHERE cue_span_id = ? ORDER BY id",
                                                       [span_id]))
        relations = tuple(self.db.query(
            "SELECT * FROM relations WHERE head_span_id = ? OR child_span_id = ? ORDER BY id", [span_id, span_id]))
        extra = self.extra_snapshot(span_id, [r["id"] for r in relations])
        return SpanSnapshot(rows[0], claim, values, as_claimant, as_cue, relations, extra)

    def restore_span(self, snapshot: SpanSnapshot) -> Span:
        """Put back what ``delete_span`` removed, under the same ids."""
        with self.transaction():
            _insert_row(self.db, "spans", snapshot.span)
            if snapshot.claim is not None:
                _insert_row(self.db, "claims", snapshot.claim)
                for value in snapshot.claim_values:
                    _insert_row(self.db, "claim_values", value)
            span_id = snapshot.span["id"]
            for claim_id in snapshot.linked_as_claimant:
                self.db.execute("UPDATE claims SET claimant_span_id = ? WHERE id = ?", [span_id, claim_id])
            for claim_id in snapshot.linked_as_cue:
                self.db.execute("UPDATE claims SET cue_span_id = ? WHERE id = ?", [span_id, claim_id])
            self.restore_extra(snapshot.extra, "events")  # relations may be roles of these events
            for relation in snapshot.relations:
                # The other end may be gone too (deleted later, not yet restored): skip, never dangle.
                other = relation["child_span_id"] if relation["head_span_id"] == span_id else relation["head_span_id"]
                if (other == span_id or self._span_exists(other)) and self.relation_refs_exist(relation):
                    columns = list(relation)
                    self.db.execute(f"INSERT OR IGNORE INTO relations ({', '.join(columns)})"
                                    f" VALUES ({', '.join('?' * len(columns))})", [relation[c] for c in columns])
            self.restore_extra(snapshot.extra, "rest")
        return self.span(span_id)

    # ---------------------------------------------------------------- helpers
    def _span_exists(self, span_id: int) -> bool:
        return bool(list(self.db.query("SELECT 1 FROM spans WHERE id = ?", [span_id])))

    def _span_label(self, label: str) -> tuple[int, str]:
        rows = list(self.db.query("SELECT id, kind FROM labels WHERE name = ?", [label]))
        if not rows:
            raise EditRefused(f"there is no label {label!r} in this project")
        if rows[0]["kind"] not in SPAN_KINDS:
            raise EditRefused(f"{label} is a document label; it cannot be put on a span")
        return rows[0]["id"], rows[0]["kind"]

    def _checked_surface(self, doc_id: int, start: int, end: int) -> str:
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise EditRefused(f"span offsets must be integers, got {start!r}-{end!r}")
        rows = list(self.db.query(
            "SELECT length(text) AS n, substr(text, ? + 1, ? - ?) AS surface FROM documents WHERE id = ?",
            [start, end, start, doc_id]))
        if not rows:
            raise ProjectError(f"no document with id {doc_id}")
        if start < 0 or end <= start or end > rows[0]["n"]:
            raise EditRefused(f"span {start}-{end} is outside the text (0-{rows[0]['n']}) or empty")
        return rows[0]["surface"]

    def _span_layer(self, span_id: int) -> int | None:
        return next(iter(self.db.query("SELECT annotator_id FROM spans WHERE id = ?", [span_id])))["annotator_id"]

    def _refuse_conflicts(self, doc_id: int, start: int, end: int, label: str, kind: str, state: str,
                          ignore_id: int | None, layer: int | None) -> None:
        """The rules hold within one layer (``layer``: an annotator id, None for the unattributed
        one) and against the undecided suggestions every layer sees; a new suggestion, which
        belongs to no layer yet, is checked against every layer."""
        in_layer, params = "", [doc_id, end, start]
        if state != "suggested":
            in_layer = " AND (spans.annotator_id IS ? OR (spans.annotator_id IS NULL AND spans.state = 'suggested'))"
            params.append(layer)
        nearby = [
            (span_from_row(r), r["kind"])
            for r in self.db.query(
                f'SELECT {SPAN_COLUMNS} FROM spans {SPAN_JOINS} WHERE spans.doc_id = ? AND spans.start < ?'
                f' AND spans."end" > ? AND spans.state != \'rejected\'{in_layer}', params)
        ]
        problem = find_conflict(nearby, start, end, label, kind, state,
                                allow_overlap=self.allow_overlapping_entities, ignore_id=ignore_id)
        if problem is not None:
            raise EditRefused(problem)


def _insert_row(db: Any, table: str, row: dict[str, Any]) -> None:
    columns = list(row)
    quoted = ", ".join(f'"{c}"' for c in columns)
    db.execute(f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})",
               [row[c] for c in columns])
