"""Deleting a label so that it can come back: the window's label edits are undoable.

``remove_label_saving`` deletes a label with its spans and document labels in one transaction
and returns a ``LabelSnapshot``; ``restore_label`` writes it all back under the same ids (spans
refer to their label by id, claims to their spans by id: nothing else would let a later undo
of a span edit find its rows).
"""

from __future__ import annotations

from ..core.model import Label, LabelSnapshot
from .errors import ProjectError
from .spans import _insert_row


class LabelHistoryStore:
    """Mixed into ``Project``: needs ``db``, ``transaction``, ``span_snapshot``, ``restore_span``."""

    def label_snapshot(self, name: str) -> LabelSnapshot:
        rows = list(self.db.query("SELECT * FROM labels WHERE name = ?", [name]))
        if not rows:
            raise ProjectError(f"no label named {name!r}")
        label = rows[0]
        # Claim contents first: deleting them in this order, and restoring in reverse, keeps
        # every claim's links to cue and claimant spans of the same label.
        span_ids = [r["id"] for r in self.db.query(
            "SELECT spans.id FROM spans LEFT JOIN claims ON claims.span_id = spans.id WHERE spans.label_id = ?"
            " ORDER BY claims.id IS NULL, spans.id", [label["id"]])]
        spans = tuple(self.span_snapshot(span_id) for span_id in span_ids)
        doc_labels = tuple(self.db.query("SELECT * FROM doc_labels WHERE label_id = ? ORDER BY doc_id",
                                         [label["id"]]))
        return LabelSnapshot(label, spans, doc_labels)

    def remove_label_saving(self, name: str) -> LabelSnapshot:
        """Delete the label, its spans (with their claims and links) and document labels."""
        with self.transaction():
            snapshot = self.label_snapshot(name)
            for span in snapshot.spans:
                # One by one, so each later snapshot still sees the claims of the earlier ones.
                self.db.execute("DELETE FROM spans WHERE id = ?", [span.span["id"]])
            self.db.execute("DELETE FROM doc_labels WHERE label_id = ?", [snapshot.label["id"]])
            self.db.execute("DELETE FROM labels WHERE id = ?", [snapshot.label["id"]])
        return snapshot

    def restore_label(self, snapshot: LabelSnapshot) -> Label:
        """Put back what ``remove_label_saving`` removed (or a label ``add_label`` made)."""
        row = snapshot.label
        with self.transaction():
            if list(self.db.query("SELECT 1 FROM labels WHERE name = ? OR id = ?", [row["name"], row["id"]])):
                raise ProjectError(f"label {row['name']!r} exists again; delete it first")
            _insert_row(self.db, "labels", dict(row))
            for span in reversed(snapshot.spans):
                self.restore_span(span)
            for doc_label in snapshot.doc_labels:
                _insert_row(self.db, "doc_labels", dict(doc_label))
        return Label(row["name"], row["kind"], row["color"], row["shortcut"], row["description"], row["id"])
