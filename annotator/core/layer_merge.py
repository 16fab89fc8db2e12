"""Bringing one annotator's layer of one document up to date with another file's copy of it.

Rows have no identity across files (row ids are each file's own), so they are matched by
content: a span by its document (content hash), annotator (UUID), start, end and label
(several spans alike are paired in a fixed order); a claim by its content span; a relation by
its two spans and label; a document label by its label. A layer of a document in the source
*replaces* that layer in the target: matched rows are kept (and updated when their state,
origin, text, links, values or timestamps differ), rows only the target has are removed,
rows only the source has are added. So merging the same file twice changes nothing, and an
updated copy updates exactly its own layer. The same unit, (document, annotator), is what a
server sync would send.

Everything here is plain tuples and ints: the store reads and writes them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

# (id, start, end, label_id, text, origin, state, created_at, updated_at); label ids are the target's.
SpanRow = tuple[int, int, int, int, str, str, str, str, str]
# (id, span_id, claimant_span_id, claimant_text, relation, cue_span_id, created_at, updated_at, values)
ClaimRow = tuple[int, int, int | None, str | None, str | None, int | None, str, str, tuple[tuple[str, str], ...]]
RelationRow = tuple[int, int, int, str, str]  # (id, head_span_id, child_span_id, label, created_at)
DocLabelRow = tuple[int, str]  # (label_id, created_at)
# A span outside the layers being merged that a claim or relation points at:
# (annotator uuid or None, start, end, label_id)
PartnerKey = tuple[str | None, int, int, int]


@dataclass
class LayerContent:
    """One annotator's layer of one document, as read from one file."""

    spans: list[SpanRow] = field(default_factory=list)
    claims: list[ClaimRow] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)
    doc_labels: list[DocLabelRow] = field(default_factory=list)


@dataclass
class MergeOps:
    """What to write to the target for a batch of documents, in the order it must be written:
    deletes, updates, inserts (spans before the claims and relations that point at them)."""

    span_deletes: list[int] = field(default_factory=list)
    span_updates: list[tuple] = field(default_factory=list)  # (text, origin, state, created, updated, id)
    span_inserts: list[tuple] = field(default_factory=list)  # spans table row, id first
    claim_deletes: list[int] = field(default_factory=list)
    claim_updates: list[tuple] = field(default_factory=list)  # (span, claimant, text, relation, cue, created, updated, id)
    claim_inserts: list[tuple] = field(default_factory=list)  # claims table row, id first
    values_replaced: list[int] = field(default_factory=list)  # claims whose values are written anew
    value_rows: list[tuple[int, str, str]] = field(default_factory=list)
    relation_deletes: list[int] = field(default_factory=list)
    relation_inserts: list[tuple] = field(default_factory=list)  # (doc, head, child, label, annotator, created)
    doc_label_deletes: list[tuple[int, int, int]] = field(default_factory=list)  # (doc, label, annotator)
    doc_label_inserts: list[tuple[int, int, int, str]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def __bool__(self) -> bool:
        return any((self.span_deletes, self.span_updates, self.span_inserts, self.claim_deletes, self.claim_updates,
                    self.claim_inserts, self.relation_deletes, self.relation_inserts, self.doc_label_deletes,
                    self.doc_label_inserts))


Resolver = Callable[[int, PartnerKey], int | None]  # (target doc id, key) -> a target span id


class MergePlanner:
    """Plans a batch: call ``layer`` for every (document, annotator) the source speaks for,
    then ``links`` once, then read ``ops``. Ids of new rows come from ``next_span_id`` and
    ``next_claim_id`` (the store's first free ids), which move on as rows are planned."""

    def __init__(self, next_span_id: int, next_claim_id: int) -> None:
        self.next_span_id = next_span_id
        self.next_claim_id = next_claim_id
        self.ops = MergeOps()
        self.span_map: dict[int, int] = {}  # source span id -> target span id
        self._pending: list[tuple[int, int, LayerContent, LayerContent]] = []

    # ------------------------------------------------------------------ spans
    def layer(self, doc_id: int, annotator_id: int, source: LayerContent, target: LayerContent) -> None:
        """Plan one layer's spans and document labels (claims and relations wait for ``links``:
        they may point at spans of layers planned later). Statuses are the store's, in bulk."""
        ops, counts = self.ops, self.ops.counts
        by_key: dict[tuple, list[SpanRow]] = defaultdict(list)
        for row in sorted(target.spans, key=_order):
            by_key[row[1:4]].append(row)
        for row in sorted(source.spans, key=_order):
            mates = by_key.get(row[1:4])
            if mates:
                mate = mates.pop(0)
                self.span_map[row[0]] = mate[0]
                if row[4:] != mate[4:]:
                    ops.span_updates.append((*row[4:], mate[0]))
                    counts["spans updated"] += 1
                continue
            new_id = self.next_span_id
            self.next_span_id += 1
            self.span_map[row[0]] = new_id
            ops.span_inserts.append((new_id, doc_id, row[1], row[2], row[3], row[4], annotator_id, *row[5:]))
            counts["spans added"] += 1
        for mates in by_key.values():
            for row in mates:
                ops.span_deletes.append(row[0])
                counts["spans removed"] += 1
        have = {label_id for label_id, _ in target.doc_labels}
        want = {label_id for label_id, _ in source.doc_labels}
        for label_id, created in source.doc_labels:
            if label_id not in have:
                ops.doc_label_inserts.append((doc_id, label_id, annotator_id, created))
                have.add(label_id)
                counts["document labels added"] += 1
        for label_id in have - want:
            ops.doc_label_deletes.append((doc_id, label_id, annotator_id))
            counts["document labels removed"] += 1
        self._pending.append((doc_id, annotator_id, source, target))

    # ------------------------------------------------------------------ links
    def links(self, source_partners: dict[int, PartnerKey], resolve: Resolver) -> None:
        """Plan claims and relations of every layer planned so far. A claim's claimant or cue
        outside the merged layers (``source_partners``: a suggestion, say) is found in the
        target by ``resolve``; when the target has no such span the link is left empty."""
        deleted = set(self.ops.span_deletes)
        for doc_id, annotator_id, source, target in self._pending:
            def partner(span_id: int | None) -> int | None:
                if span_id is None:
                    return None
                if span_id in self.span_map:
                    return self.span_map[span_id]
                key = source_partners.get(span_id)
                found = resolve(doc_id, key) if key is not None else None
                if found is None:
                    self.ops.counts["links left empty"] += 1
                return found

            self._claims(source, target, partner, deleted)
            self._relations(doc_id, annotator_id, source, target, partner, deleted)
        self._pending.clear()

    def _claims(self, source: LayerContent, target: LayerContent, partner: Callable[[int | None], int | None],
                deleted: set[int]) -> None:
        ops, counts = self.ops, self.ops.counts
        theirs = {row[1]: row for row in target.claims}
        for row in source.claims:
            content = self.span_map[row[1]]
            wanted = (content, partner(row[2]), row[3], row[4], partner(row[5]), row[6], row[7])
            mine = theirs.pop(content, None)
            if mine is not None:  # the content span was matched, so it stays
                if (mine[1:8], mine[8]) != (wanted, row[8]):
                    ops.claim_updates.append((*wanted, mine[0]))
                    self._values(mine[0], row[8])
                    counts["claims updated"] += 1
                continue
            claim_id = self.next_claim_id
            self.next_claim_id += 1
            ops.claim_inserts.append((claim_id, *wanted))
            ops.value_rows.extend((claim_id, name, value) for name, value in row[8])
            counts["claims added"] += 1
        for mine in theirs.values():
            if mine[1] not in deleted:  # else its content span's delete takes it along
                ops.claim_deletes.append(mine[0])
            counts["claims removed"] += 1

    def _values(self, claim_id: int, values: tuple[tuple[str, str], ...]) -> None:
        self.ops.values_replaced.append(claim_id)
        self.ops.value_rows.extend((claim_id, name, value) for name, value in values)

    def _relations(self, doc_id: int, annotator_id: int, source: LayerContent, target: LayerContent,
                   partner: Callable[[int | None], int | None], deleted: set[int]) -> None:
        ops, counts = self.ops, self.ops.counts
        have: dict[tuple, list[int]] = defaultdict(list)
        for rel_id, head, child, label, _ in target.relations:
            have[(head, child, label)].append(rel_id)
        for _, head, child, label, created in source.relations:
            ends = (self.span_map[head], partner(child))
            if ends[1] is None:
                continue
            if have.get((*ends, label)):
                have[(*ends, label)].pop()
                continue
            ops.relation_inserts.append((doc_id, *ends, label, annotator_id, created))
            counts["relations added"] += 1
        for (head, child, _), ids in have.items():
            for rel_id in ids:
                if head not in deleted and child not in deleted:
                    ops.relation_deletes.append(rel_id)
                counts["relations removed"] += 1


def _order(row: SpanRow) -> tuple:
    """Spans alike (same start, end, label) pair up in this order, the same in every file."""
    return (row[1], row[2], row[3], row[6], row[5], row[7], row[8], row[4])
