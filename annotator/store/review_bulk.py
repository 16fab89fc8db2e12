"""Review of a whole project at once (``review --auto``): read every document's layers in
three queries, write what goes to gold in bulk.

``ReviewReader`` walks the documents in id order with the spans (one query, in the order of
the ``spans_doc`` index), claims and document labels of the chosen annotators and gold, and
hands out each document's layers exactly as store/review.py reads one document (same rows,
same conversion, so the window and the command see the same units). ``GoldWriter`` collects
the plans of a batch of documents and writes them with a few statements: gold spans are
copied from the annotator's span in SQL (``INSERT ... SELECT``; no text passes through
Python), then provenance, claims, values and document labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..core.review import (
    CLAIM, DOC, ENTITY, ROLE, Entry, ReviewLayer, Unit, gold_entries, layer_entries, units_from_entries,
)
from ..core.review_auto import Copy
from ..core.team import Annotator
from .layer_rows import first_free_id
from .project import Project
from .review_rows import (
    by_document, check_span_row, claim_query, claim_row_mark, document_layers, label_ids, label_query, marks,
    span_params, span_query,
)


@dataclass
class DocumentRead:
    """One document's entries for review (core.review.units_from_entries), annotator refs in
    digit order; ``links``: claim content span -> (claimant span, cue span), for the copies."""

    doc_id: int
    annotators: tuple[str, ...]
    groups: dict[str, tuple[list[Entry], list[Entry]]]
    gold_spans: dict[tuple[int, int, str], int]  # gold's accepted spans by key (claim partners are reused)
    links: dict[int, tuple[int | None, int | None]]

    def units(self) -> list[Unit]:
        return units_from_entries(self.annotators, self.groups)


class ReviewReader:
    """Reads documents for ``chosen`` annotators and gold, in id order.

    Entity and role spans come aggregated by SQL: one row per document and distinct (start,
    end, label) with a bit mask of the annotators who have it (``sum(DISTINCT 1 << i)``)
    and one span id (the copy gold takes); the annotators who did not mark the document done
    are masked out in Python. Claims (one row each: their marks hold claimant, cue and
    values), document labels and gold's own rows are read as for one document.
    """

    def __init__(self, project: Project, chosen: Sequence[Annotator], gold: Annotator | None) -> None:
        self.project = project
        self.conn = project.db.conn
        self.chosen = list(chosen)
        self.gold_id = gold.id if gold else None
        self.labels = project.label_info()
        self.refs = {a.id: a.ref for a in chosen}
        self._bits = {a.id: 1 << i for i, a in enumerate(self.chosen)}
        self._remaps: dict[int, tuple[tuple[str, ...], list[int]]] = {}

    def participants(self) -> dict[int, int]:
        """Document id -> bit mask of the chosen annotators (bit i: ``chosen[i]``) who marked it done."""
        ids = [a.id for a in self.chosen]
        bits = {annotator_id: 1 << i for i, annotator_id in enumerate(ids)}
        found: dict[int, int] = {}
        if ids:
            for annotator_id, doc_id in self.conn.execute(
                    f"SELECT annotator_id, doc_id FROM annotator_status WHERE status = 'done'"
                    f" AND annotator_id IN ({marks(ids)})", ids):
                found[doc_id] = found.get(doc_id, 0) | bits[annotator_id]
        return found

    def documents(self, doc_ids: set[int], participants: dict[int, int]) -> Iterator[DocumentRead]:
        """Every document of ``doc_ids`` with something to review, in id order."""
        ids = [a.id for a in self.chosen]
        gold = [self.gold_id] if self.gold_id is not None else []
        claim_labels = label_ids(self.labels, "claim")
        roles = label_ids(self.labels, "role")
        run = self.conn.execute
        streams = [by_document(run(*self._entity_query(ids))),
                   by_document(run('SELECT doc_id, annotator_id, id, start, "end", label_id FROM spans WHERE annotator_id'
                                   f" IN ({marks(ids)}) AND label_id IN ({marks(roles)}) AND state = 'accepted'"
                                   " ORDER BY +doc_id", [*ids, *roles])),
                   by_document(run(claim_query(len(ids), len(claim_labels)), [*ids, *claim_labels])),
                   by_document(run(span_query([], self.gold_id, scan=True), span_params([], self.gold_id))
                               if gold else iter(())),
                   by_document(run(claim_query(1, len(claim_labels)), [*gold, *claim_labels]) if gold else iter(())),
                   by_document(run(label_query(len(ids) + len(gold)), [*ids, *gold]))]
        for doc_id, rows in _merged(streams):
            if doc_id in doc_ids:
                yield self._document(doc_id, participants.get(doc_id, 0), *rows)

    def _entity_query(self, ids: list[int]) -> tuple[str, list]:
        """Entity spans by document and (start, end, label): who has each (a bit per annotator,
        from ``max``: a span a file holds twice still counts once) and one span id."""
        entities = label_ids(self.labels, "entity")
        bits = " + ".join(f"max(annotator_id = {int(annotator_id)}) * {1 << i}" for i, annotator_id in enumerate(ids))
        return (f'SELECT doc_id, start, "end", label_id, {bits or 0}, min(id) FROM spans WHERE annotator_id IN'
                f" ({marks(ids)}) AND state = 'accepted' AND label_id IN ({marks(entities)})"
                ' GROUP BY doc_id, start, "end", label_id', [*ids, *entities])

    def _remap(self, present: int) -> tuple[tuple[str, ...], list[int]]:
        """For the annotators of a document (bit mask over ``chosen``): their refs, and each
        chosen-mask's value over them (bit k: the k-th of them)."""
        found = self._remaps.get(present)
        if found is None:
            positions = [i for i in range(len(self.chosen)) if present >> i & 1]
            refs = tuple(self.chosen[i].ref for i in positions)
            table = [sum(1 << k for k, i in enumerate(positions) if mask >> i & 1)
                     for mask in range(1 << len(self.chosen))] if len(self.chosen) <= 12 else []
            found = self._remaps[present] = (refs, table)
        return found

    def _document(self, doc_id: int, present: int, span_rows: list[tuple], role_rows: list[tuple],
                  claim_rows: list[tuple], gold_rows: list[tuple], gold_claims: list[tuple],
                  label_rows: list[tuple]) -> DocumentRead:
        refs, table = self._remap(present)
        labels = self.labels
        entity: list[Entry] = []
        for _, start, end, label_id, mask, span_id in span_rows:
            mask &= present
            if not mask:
                continue
            if type(start) is not int or type(end) is not int or not 0 <= start < end or label_id not in labels:
                check_span_row(doc_id, span_id, start, end, label_id, labels)
            mask = table[mask] if table else self._slow_remap(present, mask)
            entity.append((start, end, (start, end, labels[label_id][0]), mask, (span_id,), False))
        linked = {i for row in claim_rows for i in (row[10], row[11]) if i is not None}
        roles: dict[tuple, list] = {}
        for _, annotator_id, span_id, start, end, label_id in role_rows:
            bit = self._bits[annotator_id]
            if present & bit and span_id not in linked:
                check_span_row(doc_id, span_id, start, end, label_id, labels)
                entry = roles.setdefault((start, end, labels[label_id][0]), [0, span_id])
                entry[0] |= bit
        role = [(m[0], m[1], m, table[bit] if table else self._slow_remap(present, bit), (span_id,), False)
                for m, (bit, span_id) in roles.items()]
        claims: dict[tuple, list] = {}
        for row in claim_rows:
            bit = self._bits[row[1]]
            if present & bit:
                mark = claim_row_mark(row, labels)
                entry = claims.get(mark)
                if entry is None:
                    claims[mark] = [bit, row[2]]
                else:
                    entry[0] |= bit
        claim = [(m[0], m[1], m, table[bit] if table else self._slow_remap(present, bit), (span_id,), False)
                 for m, (bit, span_id) in claims.items()]
        doc = [row for row in label_rows if present & self._bits.get(row[1], 0)]
        layers = document_layers([], [], doc, labels)
        gold_layer = document_layers(gold_rows, gold_claims, [row for row in label_rows if row[1] == self.gold_id],
                                     labels).get(self.gold_id, ReviewLayer())
        everyone = {a.ref: layers[a.id] for a in self.chosen if a.id in layers}
        groups = {ENTITY: (entity, gold_entries(gold_layer, ENTITY)), ROLE: (role, gold_entries(gold_layer, ROLE)),
                  CLAIM: (claim, gold_entries(gold_layer, CLAIM)),
                  DOC: (layer_entries(refs, everyone, DOC), gold_entries(gold_layer, DOC))}
        gold_spans: dict[tuple[int, int, str], int] = {}
        for row in gold_rows:
            if row[6] == "accepted":
                gold_spans.setdefault((row[3], row[4], labels[row[5]][0]), row[2])
        links = {row[2]: (row[10], row[11]) for row in claim_rows}
        return DocumentRead(doc_id, refs, groups, gold_spans, links)

    def _slow_remap(self, present: int, mask: int) -> int:
        positions = [i for i in range(len(self.chosen)) if present >> i & 1]
        return sum(1 << k for k, i in enumerate(positions) if mask >> i & 1)


def _merged(streams: list[Iterator[tuple[int, list[tuple]]]]) -> Iterator[tuple[int, list[list[tuple]]]]:
    """(doc id, [its rows from each stream]) over streams ordered by doc id, in doc id order."""
    heads = [next(stream, None) for stream in streams]
    while True:
        present = [head[0] for head in heads if head is not None]
        if not present:
            return
        doc_id = min(present)
        rows = []
        for i, head in enumerate(heads):
            if head is not None and head[0] == doc_id:
                rows.append(head[1])
                heads[i] = next(streams[i], None)
            else:
                rows.append([])
        yield doc_id, rows


_AUTO = {name: f"auto {name}" for name in ("unanimous", "majority")}


@dataclass
class GoldWriter:
    """Collects plans, writes them in bulk (inside the caller's transaction) with ``flush``."""

    project: Project
    gold: Annotator
    reviewer: str
    now: str
    uuids: dict[str, str]
    allow_overlap: bool = False
    units: dict[str, int] = field(default_factory=dict)  # units decided, by group
    spans: int = 0  # gold spans written (units' marks, and claimants and cues that came with claims)
    claims: int = 0
    left_out: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._copies: list[tuple[int, int, int]] = []  # (new id, source span id, provenance: self._kinds' number)
        self._provenance: dict[tuple[tuple[str, ...], str], int] = {}  # (who agreed, decision) -> its number
        self._claims: list[tuple] = []
        self._values: list[tuple[int, str, str]] = []
        self._labels: list[tuple] = []
        self._agreed: dict[tuple[str, ...], str] = {}
        self._next_span = first_free_id(self.project, "spans")
        self._next_claim = first_free_id(self.project, "claims")
        info = self.project.label_info()
        self._label_ids = {name: i for i, (name, _) in info.items()}
        self._kinds = {name: kind for name, kind in info.values()}

    def add(self, read: DocumentRead, copies: list[Copy]) -> list[Copy]:
        """Queue one document's copies (core.review_auto); returns those that cannot be written
        (a claim whose claimant or cue would overlap one of gold's entities): left for a person."""
        keys = dict(read.gold_spans)  # gold's spans of this document, with what this run adds
        entities = [k for k in keys if self._kinds.get(k[2]) == "entity"]
        refused = []
        units, queued, provenance = self.units, self._copies, self._provenance  # locals: this runs once per unit
        for copy in copies:
            group, _, decision, marks_ = copy
            decision = _AUTO.get(decision) or f"auto {decision}"
            if group == CLAIM and not self._claims_fit(read.doc_id, marks_, keys, entities):
                refused.append(copy)
                continue
            units[group] = units.get(group, 0) + 1
            for mark, having, source_id in marks_:
                if group == DOC:
                    self._labels.append((read.doc_id, self._label_ids[mark[2]], self._json(having), decision))
                    continue
                new_id = self._next_span  # self._copy, inlined
                self._next_span += 1
                queued.append((new_id, source_id, provenance.get((having, decision)) or self._kind(having, decision)))
                keys.setdefault(mark[:3], new_id)
                if group == ENTITY:
                    entities.append(mark[:3])
                elif group == CLAIM:
                    self._claim(read, mark, having, source_id, new_id, keys, entities)
        return refused

    def _claims_fit(self, doc_id: int, marks_: tuple, keys: dict, entities: list) -> bool:
        """A claim's claimant or cue that is a new entity for gold must not overlap gold's
        entities (unless the project allows overlaps), as in a decision of one unit."""
        for mark, _, _ in marks_:
            for role, partner in (("claimant", mark[3]), ("cue", mark[5])):
                if (partner is None or partner in keys or self._kinds.get(partner[2]) != "entity"
                        or self.allow_overlap):
                    continue
                clash = next((k for k in entities if k[0] < partner[1] and partner[0] < k[1]), None)
                if clash is not None:
                    self.left_out.append(
                        f"document {doc_id}: claim {mark[0]}-{mark[1]}: its {role} {partner[2]} {partner[0]}-"
                        f"{partner[1]} would overlap gold's {clash[2]} {clash[0]}-{clash[1]}; left for a person")
                    return False
        return True

    def _claim(self, read: DocumentRead, mark: tuple, having: tuple[str, ...], source_id: int | None, content_id: int,
               keys: dict, entities: list) -> None:
        claimant_source, cue_source = read.links.get(source_id, (None, None))
        partners = []
        for key, partner_source in ((mark[3], claimant_source), (mark[5], cue_source)):
            if key is None:
                partners.append(None)
            elif key in keys:
                partners.append(keys[key])
            else:
                new_id = self._copy(partner_source, having, "with claim")
                keys[key] = new_id
                if self._kinds.get(key[2]) == "entity":
                    entities.append(key)
                partners.append(new_id)
        claim_id = self._next_claim
        self._next_claim += 1
        self._claims.append((claim_id, content_id, partners[0], mark[4], partners[1], self.now, self.now))
        self._values.extend((claim_id, name, value) for name, value in mark[6])

    def _copy(self, source_id: int | None, having: tuple[str, ...], decision: str) -> int:
        new_id = self._next_span
        self._next_span += 1
        self._copies.append((new_id, source_id, self._kind(having, decision)))
        return new_id

    def _kind(self, having: tuple[str, ...], decision: str) -> int:
        """A number for (who agreed, decision): the copies carry it, not the JSON and the text
        (a few such pairs in a run, 200,000 copies: binding the strings was 40 % of the copy list)."""
        return self._provenance.setdefault((having, decision), len(self._provenance) + 1)

    def _json(self, having: tuple[str, ...]) -> str:
        found = self._agreed.get(having)
        if found is None:
            found = self._agreed[having] = json.dumps([self.uuids[a] for a in having])
        return found

    def flush(self) -> None:
        conn = self.project.db.conn
        if self._copies:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS review_copy (new_id INTEGER PRIMARY KEY, src INTEGER NOT NULL,"
                         " kind INTEGER NOT NULL)")
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS review_kind (id INTEGER PRIMARY KEY, agreed TEXT NOT NULL,"
                         " decision TEXT NOT NULL)")
            conn.execute("DELETE FROM temp.review_copy")
            conn.execute("DELETE FROM temp.review_kind")
            conn.executemany("INSERT INTO temp.review_kind VALUES (?, ?, ?)",
                             [(kind, self._json(having), decision)
                              for (having, decision), kind in self._provenance.items()])
            conn.executemany("INSERT INTO temp.review_copy VALUES (?, ?, ?)", self._copies)
            conn.execute(
                'INSERT INTO spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state, created_at,'
                " updated_at) SELECT c.new_id, s.doc_id, s.start, s.\"end\", s.label_id, s.text, ?, 'manual', 'accepted',"
                " ?, ? FROM temp.review_copy c CROSS JOIN spans s ON s.id = c.src ORDER BY c.new_id",
                [self.gold.id, self.now, self.now])
            conn.execute("INSERT INTO gold_provenance (span_id, agreed, decided_by, decided_at, decision)"
                         " SELECT c.new_id, k.agreed, ?, ?, k.decision FROM temp.review_copy c"
                         " JOIN temp.review_kind k ON k.id = c.kind ORDER BY c.new_id", [self.reviewer, self.now])
            self.spans += len(self._copies)
        if self._claims:
            conn.executemany("INSERT INTO claims (id, span_id, claimant_span_id, claimant_text, cue_span_id,"
                             " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", self._claims)
            conn.executemany("INSERT INTO claim_values (claim_id, attribute, value) VALUES (?, ?, ?)", self._values)
            self.claims += len(self._claims)
        if self._labels:
            conn.executemany("INSERT INTO doc_labels (doc_id, label_id, annotator_id, created_at) VALUES (?, ?, ?, ?)",
                             [(d, label, self.gold.id, self.now) for d, label, _, _ in self._labels])
            conn.executemany(
                "INSERT OR REPLACE INTO gold_label_provenance (doc_id, label_id, annotator_id, rejected, agreed,"
                " decided_by, decided_at, decision) VALUES (?, ?, ?, 0, ?, ?, ?, ?)",
                [(d, label, self.gold.id, agreed, self.reviewer, self.now, decision)
                 for d, label, agreed, decision in self._labels])
        self._copies, self._claims, self._values, self._labels = [], [], [], []
