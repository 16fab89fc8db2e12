"""Bulk reading of what migration 3 added, for a batch of exported documents: events,
equivalences, notes, attribute values and the documents' own tokens.

A handful of queries per batch (never one per document), like the rest of the export reader.
Only annotations on exported spans are handed out: an event whose trigger is not exported
(another annotator's span) is left out, as its relations are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..core.export import ExportEquivalence, ExportEvent, Target
from ..core.token_codec import Bounds, unpack_tokens


@dataclass
class BatchExtras:
    events: dict[int, list[ExportEvent]] = field(default_factory=lambda: defaultdict(list))
    equivalences: dict[int, list[ExportEquivalence]] = field(default_factory=lambda: defaultdict(list))
    notes: dict[int, dict[Target, str]] = field(default_factory=lambda: defaultdict(dict))
    values: dict[int, dict[Target, dict[str, str]]] = field(default_factory=lambda: defaultdict(dict))
    tokens: dict[int, Bounds] = field(default_factory=dict)


def read_extras(db: Any, marks: str, ids: list[int], span_doc: dict[int, int], relation_doc: dict[int, int]
                ) -> BatchExtras:
    """``span_doc``/``relation_doc``: the exported spans and relations, id -> document id."""
    found = BatchExtras()
    event_doc: dict[int, int] = {}
    for r in db.query(f"SELECT id, doc_id, trigger_span_id, label FROM events WHERE doc_id IN ({marks}) ORDER BY id",
                      ids):
        if r["trigger_span_id"] in span_doc:
            found.events[r["doc_id"]].append(ExportEvent(r["id"], r["trigger_span_id"], r["label"]))
            event_doc[r["id"]] = r["doc_id"]
    members: dict[int, list[int]] = defaultdict(list)
    for r in db.query("SELECT m.equivalence_id, m.span_id FROM equivalence_members m JOIN equivalences q"
                      f" ON q.id = m.equivalence_id WHERE q.doc_id IN ({marks}) ORDER BY m.equivalence_id, m.position",
                      ids):
        if r["span_id"] in span_doc:
            members[r["equivalence_id"]].append(r["span_id"])
    equivalence_doc: dict[int, int] = {}
    for r in db.query(f"SELECT id, doc_id, label FROM equivalences WHERE doc_id IN ({marks}) ORDER BY id", ids):
        if len(members.get(r["id"], ())) >= 2:  # fewer is no equivalence (the rest is not exported)
            found.equivalences[r["doc_id"]].append(ExportEquivalence(r["id"], r["label"], tuple(members[r["id"]])))
            equivalence_doc[r["id"]] = r["doc_id"]
    docs_of = {"span": span_doc, "relation": relation_doc, "event": event_doc, "equivalence": equivalence_doc}
    for kind, column in (("span", "span_id"), ("relation", "relation_id"), ("event", "event_id"),
                         ("equivalence", "equivalence_id")):
        owners = docs_of[kind]
        if not owners:
            continue
        for r in _rows_in(db, "annotation_notes", column, kind, marks, ids, "note"):
            if r["target"] in owners:
                found.notes[owners[r["target"]]][(kind, r["target"])] = r["note"]
        if kind == "equivalence":
            continue
        for r in _rows_in(db, "attribute_values", column, kind, marks, ids, "attribute, value"):
            if r["target"] in owners:
                found.values[owners[r["target"]]].setdefault((kind, r["target"]), {})[r["attribute"]] = r["value"]
    for r in db.query(f"SELECT doc_id, tokens FROM document_tokens WHERE doc_id IN ({marks})", ids):
        found.tokens[r["doc_id"]] = unpack_tokens(r["tokens"])
    return found


def _rows_in(db: Any, table: str, column: str, kind: str, marks: str, ids: list[int], columns: str) -> Any:
    """Rows of ``table`` on annotations of the batch's documents, through the annotation's
    own table (its doc_id index): one query however many spans the batch has."""
    owner = {"span": "spans", "relation": "relations", "event": "events", "equivalence": "equivalences"}[kind]
    return db.query(f"SELECT x.{column} AS target, {', '.join('x.' + c.strip() for c in columns.split(','))}"
                    f" FROM {table} x JOIN {owner} o ON o.id = x.{column} WHERE o.doc_id IN ({marks}) ORDER BY x.id",
                    ids)
