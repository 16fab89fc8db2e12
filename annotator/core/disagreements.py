"""Where two annotators differ in one document: the units a disagreements list shows.

Each unit is one thing to look at when adjudicating: a span only one of them tagged, the
same span under another label, another extent of the same entity, or a claim both found
whose claimant, cue or an attribute differs. Units are found in this order, each span or
claim used at most once, so every difference is listed once, under its most specific kind:

1. spans equal in start, end and label agree (not listed);
2. same start and end, other label: ``label``;
3. same label, overlapping (the relaxed rule's one-to-one greedy matching): ``boundaries``;
4. overlapping with another label and other boundaries: ``label_and_boundaries``;
5. the rest: ``missing`` (only one of them has it).

Claims go through the same steps on their content spans; a claim matched in step 1 or 3
is then compared for ``claimant``, ``cue`` and each ``attribute`` (a value only one gave is
listed too: the figures leave such claims out of the attribute's n, adjudication should not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .agreement import ClaimMark, Layer, SpanKey, claimants_agree, cues_agree, relaxed_pairs

KINDS = ("missing", "label", "boundaries", "label_and_boundaries", "claimant", "cue", "attribute")


@dataclass(frozen=True)
class Disagreement:
    """One unit where annotators ``a`` and ``b`` differ. ``span_a``/``span_b`` is each one's
    span or claim content (None where that annotator has none). For claimant, cue and
    attribute units ``value_a``/``value_b`` is what each gave: a linked span as (start, end),
    a free-text claimant or attribute value as text, or None for nothing."""

    doc_id: int
    a: str
    b: str
    layer: str  # "entity" | "claim"
    kind: str
    span_a: SpanKey | None
    span_b: SpanKey | None
    value_a: tuple[int, int] | str | None = None
    value_b: tuple[int, int] | str | None = None
    attribute: str | None = None

    @property
    def start(self) -> int:
        return min(s[0] for s in (self.span_a, self.span_b) if s is not None)


def _pair_spans(a: Sequence[SpanKey], b: Sequence[SpanKey]) -> tuple[list[tuple[int | None, int | None, str]],
                                                                         list[tuple[int, int]]]:
    """(index in a or None, index in b or None, kind) for every unit, and the indices of the
    exact and relaxed matches (spans the claim comparison goes on with)."""
    left, right = set(range(len(a))), set(range(len(b)))
    units: list[tuple[int | None, int | None, str]] = []
    matched: list[tuple[int, int]] = []
    by_key: dict[SpanKey, list[int]] = {}
    for j in sorted(right):
        by_key.setdefault(b[j], []).append(j)
    for i in sorted(left):  # 1. exact
        if by_key.get(a[i]):
            j = by_key[a[i]].pop(0)
            matched.append((i, j))
            left.discard(i)
            right.discard(j)
    by_range: dict[tuple[int, int], list[int]] = {}
    for j in sorted(right):
        by_range.setdefault(b[j][:2], []).append(j)
    for i in sorted(left):  # 2. same range, other label
        if by_range.get(a[i][:2]):
            j = by_range[a[i][:2]].pop(0)
            units.append((i, j, "label"))
            left.discard(i)
            right.discard(j)
    for same_label, kind in ((True, "boundaries"), (False, "label_and_boundaries")):  # 3. and 4.
        rest_a, rest_b = sorted(left), sorted(right)
        for x, y in relaxed_pairs([a[i] for i in rest_a], [b[j] for j in rest_b], same_label=same_label):
            i, j = rest_a[x], rest_b[y]
            units.append((i, j, kind))
            if same_label:
                matched.append((i, j))
            left.discard(i)
            right.discard(j)
    units.extend((i, None, "missing") for i in sorted(left))  # 5.
    units.extend((None, j, "missing") for j in sorted(right))
    return units, matched


def disagreements(doc_id: int, a_name: str, a: Layer, b_name: str, b: Layer) -> list[Disagreement]:
    """Every unit where ``a`` and ``b`` differ in this document, in text order."""
    found = [Disagreement(doc_id, a_name, b_name, "entity", kind, a.spans[i] if i is not None else None,
                          b.spans[j] if j is not None else None)
             for i, j, kind in _pair_spans(a.spans, b.spans)[0]]
    claims_a, claims_b = a.claims, b.claims
    units, matched = _pair_spans([c.key for c in claims_a], [c.key for c in claims_b])
    found.extend(Disagreement(doc_id, a_name, b_name, "claim", kind,
                              claims_a[i].key if i is not None else None, claims_b[j].key if j is not None else None)
                 for i, j, kind in units)
    for i, j in matched:
        found.extend(_claim_details(doc_id, a_name, claims_a[i], b_name, claims_b[j]))
    found.sort(key=lambda d: (d.start, d.layer != "entity", KINDS.index(d.kind), d.attribute or ""))
    return found


def _claim_details(doc_id: int, a_name: str, x: ClaimMark, b_name: str, y: ClaimMark) -> list[Disagreement]:
    found = []
    if not claimants_agree(x, y):
        found.append(Disagreement(doc_id, a_name, b_name, "claim", "claimant", x.key, y.key,
                                  x.claimant if x.claimant is not None else x.claimant_text,
                                  y.claimant if y.claimant is not None else y.claimant_text))
    if not cues_agree(x, y):
        found.append(Disagreement(doc_id, a_name, b_name, "claim", "cue", x.key, y.key, x.cue, y.cue))
    for name in sorted(set(x.values) | set(y.values)):
        vx, vy = x.values.get(name) or None, y.values.get(name) or None
        if vx != vy:
            found.append(Disagreement(doc_id, a_name, b_name, "claim", "attribute", x.key, y.key, vx, vy,
                                      attribute=name))
    return found
