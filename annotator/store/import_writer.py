"""Bulk writing of imported documents, inside one transaction per file.

Ids are assigned here rather than by SQLite so that documents, spans, relations, claims,
claim values and document labels of a whole batch go in with one ``executemany`` each: this is what keeps imports near the
speed of raw sqlite3 (see benchmarks/bench_import.py). The caller holds
``Project.transaction()`` around all batches of a file, so ids cannot race.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.model import FLAG_VALUE, Label
from ..core.records import DocumentRecord, Extras
from ..core.token_codec import pack_tokens
from ..core.scheme import next_color
from ..core.textutil import content_hash as text_hash
from .project import Project, now_iso


SpanValues = tuple[int, int, str, str | None, str, str | None]  # start, end, label, annotator, state, origin
Pairs = tuple[tuple[str, str], ...]  # attribute values, sorted by name
ExtraValues = tuple[int, Pairs, str | None]  # (index of the span/relation/event, values, note)
# content, claimant, claimant text, relation label, cue (span indices), ((attribute, value), ...)
ClaimValues = tuple[int, int | None, str | None, str | None, int | None, tuple[tuple[str, str], ...]]


class PreparedDocument:
    """A checked record, ready to store, reduced to plain values while its batch fills.

    Why not keep the record: a batch of 2000 records held ~50,000 span objects (and their
    ``__dict__``s) long enough to reach the garbage collector's oldest generation, and each
    full collection rescanned them all: a fifth of the import's Python time. Exact tuples of
    ints and strings (and tuples of those) are dropped from the collector's tracking, so a
    batch of these costs it nearly nothing (benchmarks/bench_import.py).
    """

    __slots__ = ("text", "content_hash", "title", "source", "meta", "status", "line", "spans", "relations",
                 "claims", "doc_labels", "span_extras", "relation_extras", "events", "equivalences", "tokens",
                 "token_source", "doc_label_annotators")

    def __init__(self, record: DocumentRecord, content_hash: str = "", token_source: str = "") -> None:
        self.text = record.text
        self.content_hash = content_hash or text_hash(record.text)
        self.title = record.title
        self.source = record.source
        self.meta = json.dumps(record.meta, ensure_ascii=False) if record.meta else "{}"  # stored as JSON text
        self.status = record.status
        self.line = record.line
        # Tuples, not lists: a tuple of untracked values is untracked in turn.
        self.spans: tuple[SpanValues, ...] = tuple([(s.start, s.end, s.label, s.annotator, s.state, s.origin)
                                                    for s in record.spans])
        self.relations = tuple([(r.head, r.child, r.label, r.field, r.annotator) for r in record.relations])
        self.claims: tuple[ClaimValues, ...] = tuple([
            (c.content, c.claimant, c.claimant_text, c.relation, c.cue, tuple(sorted(c.values.items())))
            for c in record.claims])
        self.doc_labels = tuple(dict.fromkeys(record.doc_labels))  # once each, in file order
        self.doc_label_annotators = tuple(record.doc_label_annotators.items())
        self.span_extras = _extras(record.spans)
        self.relation_extras = _extras(record.relations)
        # (trigger, label, annotator, ((role, span, event or None), ...), values, note)
        self.events = tuple([(e.trigger, e.label, e.annotator, tuple(e.roles), *_pairs(e.extras))
                             for e in record.events])
        self.equivalences = tuple([(q.label, q.annotator, tuple(q.members), _pairs(q.extras)[1])
                                   for q in record.equivalences])
        self.tokens = (len(record.tokens), pack_tokens(record.tokens)) if record.tokens is not None else None
        self.token_source = token_source if record.tokens is not None else ""

    def span_keys(self) -> set[tuple[int, int, str, str]]:
        """(start, end, label, state) of each span, as ``ImportWriter.span_keys`` gives them."""
        return {(start, end, label, state) for start, end, label, _, state, _ in self.spans}


def _pairs(extras: Extras | None) -> tuple[Pairs, str | None]:
    if extras is None:
        return (), None
    return tuple(sorted((k, FLAG_VALUE if v is None else v) for k, v in extras.values.items())), extras.note


def _extras(items: list) -> tuple[ExtraValues, ...]:
    return tuple([(i, *_pairs(item.extras)) for i, item in enumerate(items)
                  if item.extras is not None and (item.extras.values or item.extras.note is not None)])


@dataclass
class ImportWriter:
    project: Project
    annotator: str | None
    origin: str = "import"
    label_ids: dict[str, int] = field(default_factory=dict)
    _next_doc_id: int = 0
    _next_span_id: int = 0
    _next_claim_id: int = 0
    _next_relation_id: int = 0
    _next_event_id: int = 0
    _next_equivalence_id: int = 0
    _next_position: int = 0
    _annotator_ids: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        q = self.project.db.query
        self.label_ids = self.project.label_ids()
        self._next_doc_id = self._first_free_id("documents")
        self._next_span_id = self._first_free_id("spans")
        self._next_claim_id = self._first_free_id("claims")
        self._next_relation_id = self._first_free_id("relations")
        self._next_event_id = self._first_free_id("events")
        self._next_equivalence_id = self._first_free_id("equivalences")
        self._next_position = next(q("SELECT coalesce(max(position), -1) + 1 AS n FROM documents"))["n"]

    def _first_free_id(self, table: str) -> int:
        """Past every id the table holds and, for an AUTOINCREMENT table, every id it ever held.

        Why: AUTOINCREMENT promises deleted ids are never handed out again (undo restores a
        deleted span under its old id); max(id) + 1 alone reused the ids of deleted last rows.
        """
        q = self.project.db.query
        used = next(q(f"SELECT coalesce(max(id), 0) AS n FROM {table}"))["n"]
        if next(q("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"))["n"]:
            for row in q("SELECT seq FROM sqlite_sequence WHERE name = ?", [table]):
                used = max(used, row["seq"] or 0)
        return used + 1

    def add_labels(self, names: Iterable[str], kind: str = "entity") -> list[str]:
        """Create labels met in a file (``--add-labels``), of ``kind`` (entity for spans, doc
        for document labels), palette colours."""
        added = []
        used = {lab.color for lab in self.project.labels()}
        for name in names:
            if name in self.label_ids:
                continue
            color = next_color(used)
            used.add(color)
            label = self.project.add_label(Label(name=name, kind=kind, color=color))
            assert label.id is not None
            self.label_ids[name] = label.id
            added.append(name)
        return added

    def existing(self, hashes: list[str]) -> dict[str, int]:
        """Which of these content hashes the project already holds (hash -> document id)."""
        found: dict[str, int] = {}
        for i in range(0, len(hashes), 500):  # stay under SQLite's bound-parameter limit
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.project.db.query(
                f"SELECT id, content_hash FROM documents WHERE content_hash IN ({marks})", chunk
            ):
                found[row["content_hash"]] = row["id"]
        return found

    def span_keys(self, doc_id: int) -> set[tuple[int, int, str, str]]:
        """(start, end, label, state) of a stored document, to compare with a re-import."""
        return {(s.start, s.end, s.label, s.state) for s in self.project.spans(doc_id)}

    def _annotator_id(self, name: str | None) -> int | None:
        if name is None:
            return None
        if name not in self._annotator_ids:
            self._annotator_ids[name] = self.project.annotator_id(name)
        return self._annotator_ids[name]

    def write(self, batch: list[PreparedDocument]) -> list[int]:
        """Insert a batch; returns the new document ids. Labels must already exist."""
        # Locals rather than attributes in the per-span loop: it runs once per stored span.
        now = now_iso()
        doc_rows, span_rows = [], []
        claim_rows, value_rows, doc_label_rows = [], [], []
        rows = _ExtraRows()
        claim_id = self._next_claim_id
        add_span = span_rows.append
        default_annotator = self._annotator_id(self.annotator)
        annotator_id_of = self._annotator_id
        label_ids, default_origin = self.label_ids, self.origin
        first_doc_id = doc_id = self._next_doc_id
        position = self._next_position
        span_id = self._next_span_id
        for prepared in batch:
            text = prepared.text
            doc_rows.append((
                doc_id, text, prepared.content_hash, prepared.title, prepared.source, prepared.meta,
                prepared.status, position, now, now,
            ))
            first_span_id = span_id
            for start, end, label, annotator, state, origin in prepared.spans:
                add_span((
                    span_id, doc_id, start, end, label_ids[label], text[start:end],
                    annotator_id_of(annotator) if annotator else (None if origin else default_annotator),
                    origin or default_origin, state, now, now,
                ))
                span_id += 1
            count = len(prepared.spans)
            for content, claimant, claimant_text, relation, cue, values in prepared.claims:
                for index in (content, claimant, cue):
                    if index is not None and not 0 <= index < count:
                        raise IndexError(f"claim names span {index} of {count}")
                claim_rows.append((
                    claim_id, first_span_id + content,
                    None if claimant is None else first_span_id + claimant, claimant_text, relation,
                    None if cue is None else first_span_id + cue, now, now,
                ))
                value_rows.extend((claim_id, attribute, value) for attribute, value in values)
                claim_id += 1
            self._extra_rows(prepared, doc_id, first_span_id, default_annotator, now, rows)
            doc_label_rows.extend((doc_id, label_ids[name], default_annotator, now) for name in prepared.doc_labels
                                  if name not in dict(prepared.doc_label_annotators))
            doc_label_rows.extend((doc_id, label_ids[name], annotator_id_of(who), now)
                                  for name, who in prepared.doc_label_annotators if name in prepared.doc_labels)
            doc_id += 1
            position += 1
        self._next_doc_id, self._next_position, self._next_span_id = doc_id, position, span_id
        self._next_claim_id = claim_id
        conn = self.project.db.conn
        conn.executemany(
            "INSERT INTO documents (id, text, content_hash, title, source, meta, status, position, created_at,"
            " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            doc_rows,
        )
        # Index for search now, in the same transaction: about a tenth of the import's time
        # (benchmarks/bench_import.py), and searches never wait for a background indexer.
        # The insert trigger noted the documents as pending; they are not any more.
        conn.executemany("INSERT INTO documents_fts (rowid, title, text) VALUES (?,?,?)",
                         [(row[0], row[3], row[1]) for row in doc_rows])
        conn.execute("DELETE FROM search_pending WHERE doc_id >= ? AND doc_id < ?", (first_doc_id, doc_id))
        if span_rows:
            conn.executemany(
                'INSERT INTO spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state,'
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                span_rows,
            )
        rows.insert(conn)
        if claim_rows:
            conn.executemany(
                "INSERT INTO claims (id, span_id, claimant_span_id, claimant_text, claimant_relation, cue_span_id,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
                claim_rows,
            )
        if value_rows:
            conn.executemany("INSERT INTO claim_values (claim_id, attribute, value) VALUES (?,?,?)", value_rows)
        if doc_label_rows:
            conn.executemany("INSERT INTO doc_labels (doc_id, label_id, annotator_id, created_at) VALUES (?,?,?,?)",
                             doc_label_rows)
        return list(range(first_doc_id, doc_id))

    def _extra_rows(self, prepared: PreparedDocument, doc_id: int, first_span_id: int, default_annotator: int | None,
                    now: str, rows: _ExtraRows) -> None:
        """Relations, events, equivalences, notes, attribute values and tokens of one document."""
        count = len(prepared.spans)
        who = self._annotator_id

        def span(index: int, where: str) -> int:
            if not 0 <= index < count:  # an index, not an id: never a stray row
                raise IndexError(f"{where} names span {index} of {count}")
            return first_span_id + index

        first_relation = self._next_relation_id
        for head, child, label, where, annotator in prepared.relations:
            rows.relations.append((self._next_relation_id, doc_id, span(head, f"relation {where}"),
                                   span(child, f"relation {where}"), label,
                                   who(annotator) if annotator else default_annotator, now, None, None))
            self._next_relation_id += 1
        first_event = self._next_event_id
        for trigger, label, annotator, roles, values, note in prepared.events:
            event_id = self._next_event_id
            self._next_event_id += 1
            annotator_id = who(annotator) if annotator else default_annotator
            rows.events.append((event_id, doc_id, span(trigger, "event"), label, annotator_id, now))
            for role, target, event in roles:
                child_event = None if event is None else first_event + event
                rows.relations.append((self._next_relation_id, doc_id, span(trigger, "event"), span(target, "event"),
                                       role, annotator_id, now, event_id, child_event))
                self._next_relation_id += 1
            rows.target("event_id", event_id, values, note)
        for label, annotator, members, note in prepared.equivalences:
            equivalence_id = self._next_equivalence_id
            self._next_equivalence_id += 1
            rows.equivalences.append((equivalence_id, doc_id, label, who(annotator) if annotator else default_annotator,
                                      now))
            rows.members.extend((equivalence_id, span(m, "equivalence"), i) for i, m in enumerate(members))
            rows.target("equivalence_id", equivalence_id, (), note)
        for index, values, note in prepared.span_extras:
            rows.target("span_id", span(index, "attribute"), values, note)
        for index, values, note in prepared.relation_extras:
            rows.target("relation_id", first_relation + index, values, note)
        if prepared.tokens is not None:
            rows.tokens.append((doc_id, prepared.token_source, *prepared.tokens))


class _ExtraRows:
    """Rows of migration 3's tables for one batch, inserted after the spans they name."""

    def __init__(self) -> None:
        self.relations: list[tuple] = []
        self.events: list[tuple] = []
        self.equivalences: list[tuple] = []
        self.members: list[tuple] = []
        self.notes: list[tuple] = []
        self.values: list[tuple] = []
        self.tokens: list[tuple] = []

    def target(self, column: str, target: int, values: Pairs, note: str | None) -> None:
        self.values.extend((column, target, name, value) for name, value in values)
        if note is not None:
            self.notes.append((column, target, note))

    def insert(self, conn: object) -> None:
        run = conn.executemany  # type: ignore[attr-defined]
        if self.events:  # before the relations that are their roles
            run("INSERT INTO events (id, doc_id, trigger_span_id, label, annotator_id, created_at)"
                " VALUES (?,?,?,?,?,?)", self.events)
        if self.relations:
            run("INSERT INTO relations (id, doc_id, head_span_id, child_span_id, label, annotator_id, created_at,"
                " event_id, child_event_id) VALUES (?,?,?,?,?,?,?,?,?)", self.relations)
        if self.equivalences:
            run("INSERT INTO equivalences (id, doc_id, label, annotator_id, created_at) VALUES (?,?,?,?,?)",
                self.equivalences)
            run("INSERT INTO equivalence_members (equivalence_id, span_id, position) VALUES (?,?,?)", self.members)
        for column in ("span_id", "relation_id", "event_id", "equivalence_id"):
            notes = [(target, note) for kind, target, note in self.notes if kind == column]
            if notes:
                run(f"INSERT INTO annotation_notes ({column}, note) VALUES (?,?)", notes)
            values = [(target, name, value) for kind, target, name, value in self.values if kind == column]
            if values:
                run(f"INSERT INTO attribute_values ({column}, attribute, value) VALUES (?,?,?)", values)
        if self.tokens:
            run("INSERT INTO document_tokens (doc_id, source, count, tokens) VALUES (?,?,?,?)", self.tokens)
