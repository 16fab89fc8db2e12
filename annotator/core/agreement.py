"""Inter-annotator agreement arithmetic, exactly as docs/agreement.md defines it.

Pure functions over plain data (standard library only): the store reads the layers, the
project's tokenizer gives token boundaries, and ``AgreementTally`` takes one document at a
time, so a project of any size is counted in constant memory. Krippendorff's alpha is not
computed here: the tally collects its units (``alpha_units``) and
``annotator.workflows.agreement_alpha`` hands them to the ``krippendorff`` package.

Offsets are code points, end exclusive. A figure that is undefined (nothing to compare, or
a kappa whose chance agreement is 1) is ``None``, never 0 or 1.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

OUTSIDE = "O"  # the token label of a token no entity span covers

SpanKey = tuple[int, int, str]  # (start, end, label)


@dataclass(frozen=True)
class ClaimMark:
    """One annotator's claim: content span, claimant, cue and attribute values.

    ``claimant`` and ``cue`` are (start, end) of the linked span; ``claimant_text`` is the
    canonical name (after alias merging) of a free-text claimant. ``values`` maps attribute
    names to values; an empty value counts as no value.
    """

    start: int
    end: int
    label: str
    claimant: tuple[int, int] | None = None
    claimant_text: str | None = None
    cue: tuple[int, int] | None = None
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> SpanKey:
        return (self.start, self.end, self.label)


@dataclass(frozen=True)
class Layer:
    """What one annotator accepted in one document they marked done (in-scope labels only)."""

    spans: tuple[SpanKey, ...] = ()  # entity spans
    claims: tuple[ClaimMark, ...] = ()


# --------------------------------------------------------------------------- matching
def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters two ranges share (0 when they only touch or are apart)."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def exact_matches(a: Iterable[SpanKey], b: Iterable[SpanKey]) -> int:
    """Spans equal in start, end and label, each used once (a multiset intersection)."""
    return sum((Counter(a) & Counter(b)).values())


def relaxed_pairs(a: Sequence[SpanKey], b: Sequence[SpanKey], *, same_label: bool = True) -> list[tuple[int, int]]:
    """One-to-one matches (index in ``a``, index in ``b``) of spans sharing at least one character.

    Greedy by the largest overlap in characters; ties go to the smaller difference of
    starts, then to the earlier start (of either span), then to the pair whose earlier span
    comes first in text order ((start, end)), then whose later span does. With
    ``same_label`` (the relaxed F1 rule) only spans of one label can match.
    """
    order = sorted(range(len(b)), key=lambda j: b[j][0])
    starts = [b[j][0] for j in order]
    longest = max((e - s for s, e, _ in b), default=0)
    candidates = []
    for i, (s, e, label) in enumerate(a):
        # b spans that can overlap [s, e) start after s - longest and before e.
        for k in range(bisect.bisect_right(starts, s - longest), bisect.bisect_left(starts, e)):
            j = order[k]
            bs, be, blabel = b[j]
            if same_label and blabel != label:
                continue
            shared = overlap(s, e, bs, be)
            if shared:
                # The last tie-breaker is the text order of the pair's two spans, not the list
                # index: lists come in the order the spans were stored (and a and b swap with
                # the order annotators are named), so with indices a tie such as a (3,13) and
                # (3,7) both overlapping b (2,7) by 4 gave F1 that changed with insertion
                # order and was not symmetric in a and b.
                candidates.append((-shared, abs(s - bs), min(s, bs), min((s, e), (bs, be)), max((s, e), (bs, be)),
                                   i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for *_, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def f1(matched: int, size_a: int, size_b: int) -> float | None:
    """2·matched / (|A| + |B|); None when both sides are empty."""
    total = size_a + size_b
    return None if total == 0 else 2 * matched / total


# --------------------------------------------------------------------------- kappa
def cohen_kappa(pairs: Mapping[tuple[Any, Any], int]) -> float | None:
    """Cohen's kappa from a confusion count {(a's value, b's value): n}.

    Computed from integer counts, (N·agree − Σ a_k·b_k) / (N² − Σ a_k·b_k), so it is exact
    up to the one final division. None with no items, or when chance agreement is 1 (both
    gave one and the same value to everything: kappa is 0/0 there).
    """
    total = sum(pairs.values())
    if total == 0:
        return None
    agree = sum(n for (x, y), n in pairs.items() if x == y)
    margin_a: Counter = Counter()
    margin_b: Counter = Counter()
    for (x, y), n in pairs.items():
        margin_a[x] += n
        margin_b[y] += n
    chance = sum(n * margin_b.get(value, 0) for value, n in margin_a.items())
    denominator = total * total - chance
    if denominator == 0:
        return None
    return (total * agree - chance) / denominator


def token_labels(starts: Sequence[int], ends: Sequence[int], spans: Iterable[SpanKey],
                 codes: Mapping[str, int]) -> list[int]:
    """The label code of every token: that of the entity span covering it, 0 (``O``) if none.

    Tokens are (starts[k], ends[k]) in text order. A token only partly covered counts as
    covered. A token two spans touch (overlapping entities, or a boundary inside the token)
    takes the span covering more of its characters; on a tie the span that starts first,
    then the longer, then the label first in code-point order.
    """
    labels = [0] * len(starts)
    covered: dict[int, int] = {}
    # The label is part of the key: two spans of one annotator with the same offsets and
    # different labels (overlapping entities allowed) otherwise kept the order they were
    # stored in, and kappa and alpha changed with the order the spans were made.
    for s, e, label in sorted(spans, key=lambda span: (span[0], -span[1], span[2])):
        code = codes[label]
        for k in range(bisect.bisect_right(ends, s), bisect.bisect_left(starts, e)):
            shared = min(e, ends[k]) - max(s, starts[k])
            if shared > covered.get(k, 0):
                covered[k] = shared
                labels[k] = code
    return labels


# --------------------------------------------------------------------------- claims
def claimants_agree(x: ClaimMark, y: ClaimMark) -> bool:
    """Claimant spans overlap, or canonical free-text claimants are equal, or both have none.

    A claimant span and a free-text claimant never agree (one annotator found the source in
    the text, the other did not).
    """
    if x.claimant is not None and y.claimant is not None:
        return overlap(*x.claimant, *y.claimant) > 0
    if x.claimant is None and y.claimant is None:
        return x.claimant_text == y.claimant_text
    return False


def cues_agree(x: ClaimMark, y: ClaimMark) -> bool:
    """Cue spans overlap, or both have none."""
    if x.cue is not None and y.cue is not None:
        return overlap(*x.cue, *y.cue) > 0
    return x.cue is None and y.cue is None


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class LabelFigures:
    label: str
    exact_f1: float | None
    relaxed_f1: float | None
    a: int  # spans of annotator a with this label
    b: int
    matched_exact: int
    matched_relaxed: int


@dataclass(frozen=True)
class EntityPair:
    a: str
    b: str
    documents: int  # documents both marked done
    exact_f1: float | None
    relaxed_f1: float | None
    kappa_tokens: float | None
    tokens: int
    count_a: int
    count_b: int
    matched_exact: int
    matched_relaxed: int
    labels: tuple[LabelFigures, ...]


@dataclass(frozen=True)
class AttributeFigures:
    name: str
    agreement: float | None
    kappa: float | None
    n: int  # matched claims where both gave a value


@dataclass(frozen=True)
class ClaimPair:
    a: str
    b: str
    documents: int
    exact_f1: float | None
    relaxed_f1: float | None
    count_a: int
    count_b: int
    matched_exact: int
    matched: int  # matched by the relaxed rule: the n of the figures below
    claimant_agreement: float | None
    cue_agreement: float | None
    attributes: tuple[AttributeFigures, ...]
    labels: tuple[LabelFigures, ...]


@dataclass(frozen=True)
class Figures:
    """Everything but alpha. ``alpha_units`` counts the tokens of documents at least two
    annotators finished, by the labels those annotators gave ({sorted label codes: n});
    ``value_names[code]`` is the label of a code (0 is ``O``)."""

    annotators: tuple[str, ...]
    documents: int  # documents at least two of the annotators marked done
    tokens: int  # the tokens of those documents (alpha's units)
    entity_pairs: tuple[EntityPair, ...]
    claim_pairs: tuple[ClaimPair, ...]
    entity_mean: dict[str, float | None]
    claim_mean: dict[str, float | None]
    alpha_units: dict[tuple[int, ...], int]
    value_names: tuple[str, ...]


def mean(values: Iterable[float | None]) -> float | None:
    """The arithmetic mean of the defined values; None when none is defined."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --------------------------------------------------------------------------- tallying
class _PairTally:
    __slots__ = ("documents", "size_a", "size_b", "exact", "relaxed", "tokens", "claim_a", "claim_b",
                 "claim_exact", "claim_relaxed", "claimant", "cue", "attributes")

    def __init__(self) -> None:
        self.documents = 0
        self.size_a: Counter = Counter()
        self.size_b: Counter = Counter()
        self.exact: Counter = Counter()
        self.relaxed: Counter = Counter()
        self.tokens: Counter = Counter()  # {(a's code, b's code): tokens}
        self.claim_a: Counter = Counter()
        self.claim_b: Counter = Counter()
        self.claim_exact: Counter = Counter()
        self.claim_relaxed: Counter = Counter()
        self.claimant = 0
        self.cue = 0
        self.attributes: dict[str, Counter] = {}

    def add_spans(self, a: Sequence[SpanKey], b: Sequence[SpanKey], size_a: Counter, size_b: Counter,
                  exact: Counter, relaxed: Counter) -> list[tuple[int, int]]:
        size_a.update(label for _, _, label in a)
        size_b.update(label for _, _, label in b)
        exact.update(label for _, _, label in (Counter(a) & Counter(b)).elements())
        pairs = relaxed_pairs(a, b)
        relaxed.update(a[i][2] for i, _ in pairs)
        return pairs

    def add_claims(self, a: Sequence[ClaimMark], b: Sequence[ClaimMark], attributes: Sequence[str]) -> None:
        pairs = self.add_spans([c.key for c in a], [c.key for c in b], self.claim_a, self.claim_b,
                               self.claim_exact, self.claim_relaxed)
        for i, j in pairs:
            x, y = a[i], b[j]
            self.claimant += claimants_agree(x, y)
            self.cue += cues_agree(x, y)
            for name in attributes:
                vx, vy = x.values.get(name), y.values.get(name)
                if vx and vy:
                    self.attributes.setdefault(name, Counter())[(vx, vy)] += 1


class AgreementTally:
    """Counts agreement document by document; ``figures()`` gives the result.

    ``entity_labels`` and ``claim_labels`` are the labels in scope (spans of other labels
    must not be passed in); ``attributes`` the claim attributes to compare.
    """

    def __init__(self, annotators: Sequence[str], entity_labels: Sequence[str], claim_labels: Sequence[str] = (),
                 attributes: Sequence[str] = (), pairs: Sequence[tuple[int, int]] | None = None):
        """``pairs``: the (i, j) index pairs (i < j) to compare; every pair by default (each
        annotator against a reference such as gold: only the pairs with it)."""
        if len(set(annotators)) != len(annotators):
            raise ValueError("annotators must be distinct")
        self.annotators = tuple(annotators)
        self.entity_labels = tuple(entity_labels)
        self.claim_labels = tuple(claim_labels)
        self.attributes = tuple(attributes)
        self._codes = {label: code for code, label in enumerate(self.entity_labels, start=1)}
        chosen = combinations(range(len(annotators)), 2) if pairs is None else sorted(pairs)
        self._pairs = {pair: _PairTally() for pair in chosen}
        self._units: Counter = Counter()  # {(label code of each present annotator): tokens}
        self.documents = 0
        self.tokens = 0

    def add_document(self, starts: Sequence[int], ends: Sequence[int], layers: Mapping[str, Layer]) -> None:
        """One document: its token boundaries (text order) and the layer of every chosen
        annotator who marked it done (the others are left out)."""
        present = [i for i, name in enumerate(self.annotators) if name in layers]
        if len(present) < 2:
            return  # nobody to compare with: not in scope for any pair, nor a unit of alpha
        self.documents += 1
        self.tokens += len(starts)
        labels = {i: token_labels(starts, ends, layers[self.annotators[i]].spans, self._codes) for i in present}
        for x, y in combinations(present, 2):
            tally = self._pairs.get((x, y))
            if tally is None:
                continue
            a, b = layers[self.annotators[x]], layers[self.annotators[y]]
            tally.documents += 1
            tally.add_spans(a.spans, b.spans, tally.size_a, tally.size_b, tally.exact, tally.relaxed)
            tally.tokens.update(zip(labels[x], labels[y]))
            tally.add_claims(a.claims, b.claims, self.attributes)
        # Alpha's units: the labels the present annotators gave each token. Counted as tuples
        # at C speed; few distinct ones exist (at most labels^annotators).
        self._units.update(zip(*(labels[i] for i in present)))

    def figures(self) -> Figures:
        names = (OUTSIDE, *self.entity_labels)
        entity_pairs, claim_pairs = [], []
        for (x, y), t in self._pairs.items():
            a, b = self.annotators[x], self.annotators[y]
            entity_labels = _label_figures(self.entity_labels, t.size_a, t.size_b, t.exact, t.relaxed)
            matched_exact, matched_relaxed = sum(t.exact.values()), sum(t.relaxed.values())
            count_a, count_b = sum(t.size_a.values()), sum(t.size_b.values())
            entity_pairs.append(EntityPair(
                a, b, t.documents, f1(matched_exact, count_a, count_b), f1(matched_relaxed, count_a, count_b),
                cohen_kappa({(names[p], names[q]): n for (p, q), n in t.tokens.items()}),
                sum(t.tokens.values()), count_a, count_b, matched_exact, matched_relaxed, entity_labels))
            claim_a, claim_b = sum(t.claim_a.values()), sum(t.claim_b.values())
            claim_exact, matched = sum(t.claim_exact.values()), sum(t.claim_relaxed.values())
            attributes = tuple(
                AttributeFigures(name, ratio(sum(n for (p, q), n in counts.items() if p == q), sum(counts.values())),
                                 cohen_kappa(counts), sum(counts.values()))
                for name in self.attributes for counts in [t.attributes.get(name, Counter())])
            claim_pairs.append(ClaimPair(
                a, b, t.documents, f1(claim_exact, claim_a, claim_b), f1(matched, claim_a, claim_b),
                claim_a, claim_b, claim_exact, matched, ratio(t.claimant, matched), ratio(t.cue, matched),
                attributes, _label_figures(self.claim_labels, t.claim_a, t.claim_b, t.claim_exact,
                                           t.claim_relaxed)))
        return Figures(
            self.annotators, self.documents, self.tokens, tuple(entity_pairs), tuple(claim_pairs),
            entity_mean={key: mean(getattr(p, key) for p in entity_pairs)
                         for key in ("exact_f1", "relaxed_f1", "kappa_tokens")},
            claim_mean={key: mean(getattr(p, key) for p in claim_pairs)
                        for key in ("exact_f1", "relaxed_f1", "claimant_agreement", "cue_agreement")},
            alpha_units=self._alpha_units(), value_names=names)

    def _alpha_units(self) -> dict[tuple[int, ...], int]:
        # Which annotator gave which label does not matter to alpha: merge the orders.
        units: Counter = Counter()
        for codes, n in self._units.items():
            units[tuple(sorted(codes))] += n
        return dict(units)


def _label_figures(labels: Sequence[str], size_a: Counter, size_b: Counter, exact: Counter,
                   relaxed: Counter) -> tuple[LabelFigures, ...]:
    return tuple(LabelFigures(label, f1(exact[label], size_a[label], size_b[label]),
                              f1(relaxed[label], size_a[label], size_b[label]), size_a[label], size_b[label],
                              exact[label], relaxed[label]) for label in labels)


def attribute_means(pairs: Sequence[ClaimPair]) -> dict[str, dict[str, float | None]]:
    """Per attribute, the mean over pairs of its agreement and kappa."""
    names = [a.name for a in pairs[0].attributes] if pairs else []
    return {name: {"agreement": mean(a.agreement for p in pairs for a in p.attributes if a.name == name),
                   "kappa": mean(a.kappa for p in pairs for a in p.attributes if a.name == name)}
            for name in names}
