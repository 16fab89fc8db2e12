"""Bulk writing of imported documents, inside one transaction per file.

Ids are assigned here rather than by SQLite so that documents, spans, relations, claims,
claim values and document labels of a whole batch go in with one ``executemany`` each: this is what keeps imports near the
speed of raw sqlite3 (see benchmarks/bench_import.py). The caller holds
``Project.transaction()`` around all batches of a file, so ids cannot race.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.import_layers import LayerContent
from ..core.model import Label
from ..core.scheme import next_color
from ..core.team import GOLD_UUID, Annotator
from .prepared import Pairs, PreparedDocument
from .project import Project, now_iso

__all__ = ["ImportWriter", "PreparedDocument"]


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

    def known_id(self, name: str) -> int | None:
        """The row id of the annotator a file names, None when the project has no such one yet."""
        if name in self._annotator_ids:
            return self._annotator_ids[name]
        found = self.project.known_annotator(name)
        return None if found is None else found.id

    def holds_status(self, doc_id: int, name: str, status: str | None) -> bool:
        """Whether the project already gives the annotator a file names this status of a document."""
        return status is not None and self.known_id(name) is not None and \
            self.project.document_status(doc_id, name) == status

    def stored_layers(self, doc_ids: Iterable[int]) -> dict[int, dict[int | None, LayerContent]]:
        """The layers of stored documents, by annotator id (None: nobody's), to compare with
        a record of the same text (core.import_layers). A status counts only where it is the
        annotator's own: their rows, or the project's status for the file's own annotator."""
        ids = list(doc_ids)
        spans: dict[tuple[int, int | None], list] = {}
        labels: dict[tuple[int, int | None], set[str]] = {}
        statuses: dict[tuple[int, int | None], str] = {}
        own = self.project.own_annotator()
        q = self.project.db.conn.execute
        for i in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for doc_id, who, start, end, label, state in q(
                    'SELECT spans.doc_id, spans.annotator_id, spans.start, spans."end", labels.name, spans.state'
                    f" FROM spans JOIN labels ON labels.id = spans.label_id WHERE spans.doc_id IN ({marks})", chunk):
                spans.setdefault((doc_id, who), []).append((start, end, label, state))
            for doc_id, who, label in q(
                    "SELECT doc_labels.doc_id, doc_labels.annotator_id, labels.name FROM doc_labels"
                    f" JOIN labels ON labels.id = doc_labels.label_id WHERE doc_labels.doc_id IN ({marks})", chunk):
                labels.setdefault((doc_id, who), set()).add(label)
            for doc_id, who, status in q(
                    "SELECT document_status.doc_id, document_status.annotator_id, document_status.status"
                    " FROM document_status JOIN annotators ON annotators.id = document_status.annotator_id"
                    f" WHERE annotators.separate_status AND document_status.doc_id IN ({marks})", chunk):
                statuses[(doc_id, who)] = status
            if own is not None:
                for doc_id, status in q(f"SELECT id, status FROM documents WHERE id IN ({marks})", chunk):
                    statuses[(doc_id, own.id)] = status
        layers: dict[int, dict[int | None, LayerContent]] = {doc_id: {} for doc_id in ids}
        for doc_id, who in {*spans, *labels, *statuses}:
            layers[doc_id][who] = LayerContent(tuple(sorted(spans.get((doc_id, who), ()))),
                                               frozenset(labels.get((doc_id, who), ())), statuses.get((doc_id, who)))
        return layers

    def _annotator_id(self, name: str | None) -> int | None:
        if name is None:
            return None
        if name not in self._annotator_ids:
            self._annotator_ids[name] = self.project.annotator_id(name)
        return self._annotator_ids[name]

    def _register_status_names(self, placed: list[tuple[int, PreparedDocument]], shared: dict[int, str]) -> None:
        """Register the annotators a batch names with statuses, and decide whose statuses are
        their own.

        One annotator's file (``--annotator``, or one name throughout) in a project nobody else
        is named in, giving the statuses the documents have, shares the project's status as
        every import did before layers: nothing changes for a one-person project. Anything
        else (several annotators, or someone joining a project that has others) gives every
        annotator statuses of their own, so nobody sees as done a text only someone else
        finished: agreement counts the documents each marked done. Annotators who shared the
        project's status keep, as their own, what they saw (``separate_statuses``).
        """
        named = list(dict.fromkeys(name for _, prepared in placed for name, _ in prepared.annotator_statuses))
        if not named:
            return
        everyone = self.project.annotator_list()
        # The reviewers' gold layer keeps statuses of its own: it is nobody to share with.
        alone = len(named) == 1 and all(a.name == named[0] or a.uuid == GOLD_UUID for a in everyone)
        share = alone and all(status == shared[doc_id] for doc_id, prepared in placed
                              for _, status in prepared.annotator_statuses)
        if not share:
            for annotator in everyone:
                if not annotator.own and not annotator.separate_status:
                    self.project.separate_statuses(annotator.id)
        for name in named:
            if name not in self._annotator_ids:
                found = self.project.known_annotator(name)
                self._annotator_ids[name] = (found.id if found is not None else self.project.add_annotator(
                    name, separate_status=None if share else True).id)

    def _document_status(self, prepared: PreparedDocument, own: Annotator | None) -> str:
        """The project's status of a new document: its own annotator's when the file gives it;
        todo for them when the file gives only other annotators' (their work is not theirs);
        else the record's, as before layers."""
        if own is None or not prepared.annotator_statuses:
            return prepared.status
        return next((status for name, status in prepared.annotator_statuses
                     if self.known_id(name) == own.id), "todo")

    def write(self, batch: list[PreparedDocument]) -> list[int]:
        """Insert a batch of new documents; returns their ids. Labels must already exist."""
        now = now_iso()
        own = self.project.own_annotator() if any(p.annotator_statuses for p in batch) else None
        first_doc_id = doc_id = self._next_doc_id
        position = self._next_position
        doc_rows, placed, shared = [], [], {}
        for prepared in batch:
            shared[doc_id] = self._document_status(prepared, own)
            doc_rows.append((doc_id, prepared.text, prepared.content_hash, prepared.title, prepared.source,
                             prepared.meta, shared[doc_id], position, now, now))
            placed.append((doc_id, prepared))
            doc_id += 1
            position += 1
        self._next_doc_id, self._next_position = doc_id, position
        self.project.db.conn.executemany(
            "INSERT INTO documents (id, text, content_hash, title, source, meta, status, position, created_at,"
            " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            doc_rows,
        )
        self._register_status_names(placed, shared)  # before their spans would register them as sharers
        self._insert_annotations(placed, now)
        self._write_statuses(placed, shared)
        return list(range(first_doc_id, doc_id))

    def add_layers(self, placed: list[tuple[int, PreparedDocument]]) -> None:
        """Add layers to stored documents: each (document id, the record cut down to the
        layers of annotators that document has none of, ``PreparedDocument.only``)."""
        if not placed:
            return
        shared: dict[int, str] = {}
        ids = [doc_id for doc_id, _ in placed]
        for i in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[i : i + 500]
            shared.update(self.project.db.conn.execute(
                f"SELECT id, status FROM documents WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        self._register_status_names(placed, shared)
        self._insert_annotations(placed, now_iso())
        self._write_statuses(placed, shared)

    def _write_statuses(self, placed: list[tuple[int, PreparedDocument]], shared: dict[int, str]) -> None:
        """Each annotator's status the file gives, through the project's status API (which
        knows where each annotator's status is kept). ``shared``: the project's status of each
        document (``documents.status``). Nothing is written where it would change nothing: a
        todo of someone with statuses of their own (no row is todo), the status of someone who
        shares the project's when it is already that."""
        everyone = {a.id: a for a in self.project.annotator_list()}
        groups: dict[tuple[int, str], list[int]] = {}
        for doc_id, prepared in placed:
            for name, status in prepared.annotator_statuses:
                annotator = everyone[self._annotator_ids[name]]
                if status == ("todo" if annotator.separate_status and not annotator.own else shared[doc_id]):
                    continue
                groups.setdefault((annotator.id, status), []).append(doc_id)
        for (annotator_id, status), doc_ids in groups.items():
            # A sharer who differs is separated by the store first (keeping what they saw).
            self.project.set_statuses(doc_ids, status, everyone[annotator_id].uuid)

    def _insert_annotations(self, placed: list[tuple[int, PreparedDocument]], now: str) -> None:
        """Spans, claims, relations, events, equivalences, values, notes, tokens and document
        labels of documents that exist (or whose rows were just inserted)."""
        # Locals rather than attributes in the per-span loop: it runs once per stored span.
        span_rows: list[tuple] = []
        claim_rows, value_rows, doc_label_rows = [], [], []
        rows = _ExtraRows()
        claim_id = self._next_claim_id
        add_span = span_rows.append
        default_annotator = self._annotator_id(self.annotator)
        annotator_id_of = self._annotator_id
        label_ids, default_origin = self.label_ids, self.origin
        span_id = self._next_span_id
        for doc_id, prepared in placed:
            text = prepared.text
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
            doc_label_rows.extend((doc_id, label_ids[name], annotator_id_of(who) if who else default_annotator, now)
                                  for name, who in prepared.doc_labels)
        self._next_span_id, self._next_claim_id = span_id, claim_id
        conn = self.project.db.conn
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
