"""Review (adjudication): the units of one document, their versions and their states.

A *unit* is one place where the annotators' layers and the gold layer meet: the spans (or
claims) of every layer that overlap one another, chained (a connected component of the
overlap relation), within one group:

- ``entity``: entity spans;
- ``claim``: claims, by their content span (a claim-label span without a claim row counts
  as a claim with nothing linked);
- ``role``: role spans (cues, source phrases) that no claim of their layer links; a claim's
  cue and role claimant are part of the claim's unit instead;
- ``doc``: one unit per document label anyone put on the document.

Each participating annotator's *version* of a unit is the tuple of their marks in it (empty
when they lack it; two when they split what another tagged as one). Components rather than
pairwise matching (core/disagreements.py pairs two annotators) because review compares any
number of annotators at once and must give every annotator exactly one version of a unit:
"accept annotator k" then means "take k's marks here", whatever k did.

Marks are plain tuples, equal when the annotation is the same: ``(start, end, label)`` for
spans and document labels (``(0, 0, label)``), and for claims ``(start, end, label, claimant,
claimant_text, cue, values)`` with ``claimant``/``cue`` the ``(start, end, label)`` of the
linked span or None, ``claimant_text`` the canonical free-text claimant (after alias
merging) or None, and ``values`` the sorted ``(attribute, value)`` pairs with a non-empty value.

States (``Unit.state``): ``agreed`` (every participant has the same version), ``missing``
(those who have it agree, some lack it), ``conflict`` (two or more versions; ``differences``
says how: ``label``, ``boundaries``, ``claimant``, ``cue``, ``attribute:NAME``, ``missing``),
``decided`` (gold has something here) and ``rejected`` (gold holds only a rejection here: the
reviewer decided it is not gold). Standard library only; tuples, not objects, per mark, so a
10,000-document review (workflows/reviewing.py) computes units at the speed of its reading.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

ENTITY, CLAIM, ROLE, DOC = "entity", "claim", "role", "doc"
GROUPS = (DOC, ENTITY, CLAIM, ROLE)  # order of units that start at the same character
AGREED, MISSING, CONFLICT, DECIDED, REJECTED = "agreed", "missing", "conflict", "decided", "rejected"
STATES = (CONFLICT, MISSING, AGREED, DECIDED, REJECTED)
UNDECIDED = frozenset({AGREED, MISSING, CONFLICT})

Mark = tuple  # see the module doc
Item = tuple  # (mark, span id or None, rejected): one mark of a layer as read from a file
# (start, end, mark, mask, ids, rejected): one distinct mark and who has it. ``mask`` has bit i
# set when annotators[i] has the mark, and is 0 for gold's marks; ``ids`` are the holders' span
# ids in bit order (or, read in bulk, one of them: the copy gold takes).
Entry = tuple


@dataclass(frozen=True)
class ReviewLayer:
    """One layer of one document as review reads it: items per group (``Item`` tuples).

    Annotators' layers hold accepted marks only; the gold layer also holds its rejections
    (``rejected`` True): units a reviewer decided are not gold.
    """

    entity: tuple[Item, ...] = ()
    claim: tuple[Item, ...] = ()
    role: tuple[Item, ...] = ()
    doc: tuple[Item, ...] = ()

    def items(self, group: str) -> tuple[Item, ...]:
        return getattr(self, group)


EMPTY = ReviewLayer()


@lru_cache(maxsize=4096)
def who(annotators: tuple[str, ...], mask: int) -> tuple[str, ...]:
    """The annotators whose bits ``mask`` sets, in order."""
    return tuple(name for i, name in enumerate(annotators) if mask >> i & 1)


@dataclass(eq=False, slots=True)
class Unit:
    """One unit of a document (see the module doc): its ``entries`` (each distinct mark of
    the annotators here, with who has it) and gold's marks (``gold``, ids ``gold_ids``) and
    rejections (``rejected_ids``, ``rejected_marks``)."""

    group: str
    start: int
    end: int
    annotators: tuple[str, ...]
    entries: tuple[Entry, ...]
    gold: tuple[Mark, ...] = ()
    gold_ids: tuple[int | None, ...] = ()
    rejected_ids: tuple[int | None, ...] = ()
    rejected_marks: tuple[Mark, ...] = ()
    state: str = AGREED
    _versions: tuple | None = None
    _differences: tuple | None = None

    # ------------------------------------------------------------------ who has what
    @property
    def locator(self) -> tuple[str, int, int, str]:
        """(group, start, end, label): how decisions name the unit (store/review.py finds it
        again by group and extent, a document label's by its label)."""
        return (self.group, self.start, self.end, self.label)

    @property
    def decided(self) -> bool:
        return self.state in (DECIDED, REJECTED)

    @property
    def versions(self) -> tuple[tuple[Mark, ...], ...]:
        """Each annotator's marks here (sorted; empty when they lack it), in annotator order."""
        if self._versions is None:
            self._versions = tuple(tuple(e[2] for e in self.entries if e[3] >> i & 1)
                                   for i in range(len(self.annotators)))
        return self._versions

    @property
    def ids(self) -> tuple[tuple[int | None, ...], ...]:
        """Each annotator's span ids of their marks here, aligned with ``versions``."""
        found: list[list[int | None]] = [[] for _ in self.annotators]
        for _, _, _, mask, ids, _ in self.entries:
            holders = [i for i in range(len(self.annotators)) if mask >> i & 1]
            for k, i in enumerate(holders):
                found[i].append(ids[k] if k < len(ids) else None)
        return tuple(tuple(i) for i in found)

    @property
    def differences(self) -> tuple[str, ...]:
        if self._differences is None:
            self._differences = differences(self.group, self.versions)
        return self._differences

    def version_of(self, annotator: str) -> tuple[Mark, ...]:
        return self.versions[self.annotators.index(annotator)]

    def holders(self, version: tuple[Mark, ...]) -> tuple[str, ...]:
        """The annotators whose version is exactly ``version``."""
        return tuple(a for a, v in zip(self.annotators, self.versions) if v == version)

    def having(self, mark: Mark) -> tuple[str, ...]:
        """The annotators who have exactly this mark here (provenance: "who had it")."""
        for entry in self.entries:
            if entry[2] == mark:
                return who(self.annotators, entry[3])
        return ()

    @property
    def lacking(self) -> tuple[str, ...]:
        held = 0
        for entry in self.entries:
            held |= entry[3]
        return who(self.annotators, ((1 << len(self.annotators)) - 1) & ~held)

    def distinct_versions(self) -> list[tuple[tuple[Mark, ...], tuple[str, ...]]]:
        """(version, its holders) for each distinct version, most holders first, then in the
        order of the first annotator holding it; the empty version (lacking it) included."""
        counts = Counter(self.versions)
        order = {v: i for i, v in reversed(list(enumerate(self.versions)))}
        return [(v, self.holders(v)) for v in sorted(counts, key=lambda v: (-counts[v], order[v]))]

    def majority(self, min_annotators: int = 1) -> tuple[Mark, ...] | None:
        """The version more than half of the participants hold (and at least
        ``min_annotators`` of them): possibly empty (a majority lack it), or None."""
        n = len(self.annotators)
        if not n:
            return None
        if len(self.entries) == 1:  # the common case: one mark, some have it, the rest lack it
            entry = self.entries[0]
            have = entry[3].bit_count()
            version, count = ((entry[2],), have) if 2 * have > n else ((), n - have)
        else:
            version, count = Counter(self.versions).most_common(1)[0]
        return version if 2 * count > n and count >= min_annotators else None

    @property
    def label(self) -> str:
        """The label most of its marks carry (for the list and a rejection's mark)."""
        labels = Counter()
        for entry in self.entries:
            labels[entry[2][2]] += entry[3].bit_count()
        if not labels:
            labels.update(m[2] for m in (*self.gold, *self.rejected_marks))
        return labels.most_common(1)[0][0] if labels else ""


# --------------------------------------------------------------------------- computing units
def layer_entries(annotators: Sequence[str], layers: Mapping[str, ReviewLayer], group: str) -> list[Entry]:
    """The annotators' marks of one group as entries (each distinct mark once, with who has it)."""
    found: dict[Mark, list] = {}
    for i, name in enumerate(annotators):
        layer = layers.get(name)
        if layer is None:
            continue
        for mark, span_id, _ in layer.items(group):
            entry = found.get(mark)
            if entry is None:
                found[mark] = [1 << i, [span_id]]
            elif not entry[0] >> i & 1:  # a layer never holds one mark twice; if a file does, once
                entry[0] |= 1 << i
                entry[1].append(span_id)
    return [(mark[0], mark[1], mark, mask, tuple(ids), False) for mark, (mask, ids) in found.items()]


def gold_entries(gold: ReviewLayer, group: str) -> list[Entry]:
    return [(mark[0], mark[1], mark, 0, (span_id,), rejected) for mark, span_id, rejected in gold.items(group)]


def document_units(annotators: Sequence[str], layers: Mapping[str, ReviewLayer],
                   gold: ReviewLayer = EMPTY) -> list[Unit]:
    """Every unit of one document, in text order (document labels first).

    ``annotators``: the participants, in the order they are shown (their digits); a
    participant missing from ``layers`` tagged nothing.
    """
    order = tuple(annotators)
    return units_from_entries(order, {group: (layer_entries(order, layers, group), gold_entries(gold, group))
                                      for group in GROUPS})


def units_from_entries(annotators: tuple[str, ...], groups: Mapping[str, tuple[list[Entry], list[Entry]]]
                       ) -> list[Unit]:
    """Units from each group's (annotator entries, gold entries); what ``document_units``
    does after gathering its entries (a bulk reader gathers them in SQL)."""
    units: list[Unit] = []
    everyone = len(annotators)
    for group in GROUPS:
        entries, gold = groups.get(group, ((), ()))
        if not entries and not gold:
            continue
        items = [*entries, *gold]
        items.sort(key=entry_position)
        components = label_groups(items) if group == DOC else overlap_chains(items)
        units.extend(make_unit(group, annotators, everyone, component) for component in components)
    if len(units) > 1:
        units.sort(key=_unit_order)
    return units


def entry_position(entry: Entry) -> tuple:
    return (entry[0], entry[1], entry[2][2], -entry[3])


def _unit_order(unit: Unit) -> tuple:
    return (unit.start, GROUPS.index(unit.group), unit.end)


def overlap_chains(items: list[Entry]) -> list[list[Entry]]:
    """Chains of overlapping marks (items sorted by start): a mark joins the current chain when
    it starts before the furthest end so far. Touching marks (one ends where the next starts)
    are apart."""
    found: list[list[Entry]] = []
    current: list[Entry] = []
    reach = -1
    for item in items:
        if current and item[0] >= reach:
            found.append(current)
            current = []
            reach = -1
        current.append(item)
        if item[1] > reach:
            reach = item[1]
    if current:
        found.append(current)
    return found


def label_groups(items: list[Entry]) -> list[list[Entry]]:
    groups: dict[str, list[Entry]] = {}
    for item in items:
        groups.setdefault(item[2][2], []).append(item)
    return list(groups.values())


def make_unit(group: str, annotators: tuple[str, ...], everyone: int, component: list[Entry]) -> Unit:
    if len(component) == 1 and component[0][3]:  # the common case: one mark, no gold yet
        entry = component[0]
        return Unit(group, entry[0], entry[1], annotators, (entry,),
                    state=AGREED if entry[3].bit_count() == everyone else MISSING)
    entries = tuple(e for e in component if e[3])
    gold = [e for e in component if not e[3] and not e[5]]
    rejected = [e for e in component if not e[3] and e[5]]
    end = max(e[1] for e in component)
    unit = Unit(group, component[0][0], end, annotators, entries, tuple(e[2] for e in gold),
                tuple(e[4][0] for e in gold), tuple(e[4][0] for e in rejected), tuple(e[2] for e in rejected))
    if gold:
        unit.state = DECIDED
    elif rejected:
        unit.state = REJECTED
    elif len(entries) == 1:
        unit.state = AGREED if entries[0][3].bit_count() == everyone else MISSING
    else:
        versions = unit.versions
        present = {v for v in versions if v}
        unit.state = CONFLICT if len(present) > 1 else AGREED if all(versions) else MISSING
    return unit


def differences(group: str, versions: Sequence[tuple[Mark, ...]]) -> tuple[str, ...]:
    """How the versions of a unit differ: ``label``, ``boundaries``, for claims ``claimant``,
    ``cue`` and ``attribute:NAME``, and ``missing`` when some lack it."""
    present = list(dict.fromkeys(v for v in versions if v))
    found: list[str] = []
    if len(present) > 1:
        if len({frozenset(m[2] for m in v) for v in present}) > 1:  # a split into two PERSONs is not a label
            found.append("label")
        if len({tuple((m[0], m[1]) for m in v) for v in present}) > 1:
            found.append("boundaries")
        if group == CLAIM and all(len(v) == 1 for v in present):
            claims = [v[0] for v in present]
            found.extend(name for name in CLAIM_FIELDS_FIXED if len({field_value(c, name) for c in claims}) > 1)
            names = sorted({attribute for c in claims for attribute, _ in c[6]})
            found.extend(f"attribute:{name}" for name in names
                         if len({field_value(c, f'attribute:{name}') for c in claims}) > 1)
    if present and not all(versions):
        found.append("missing")
    return tuple(found)


# --------------------------------------------------------------------------- claim fields
CLAIM_FIELDS_FIXED = ("claimant", "cue")


def claim_mark(start: int, end: int, label: str, claimant: tuple | None = None, claimant_text: str | None = None,
               cue: tuple | None = None, values: Mapping[str, str] | None = None) -> Mark:
    """A claim's mark; a free-text claimant counts only where no claimant span is linked,
    and empty values count as no value (as agreement counts them)."""
    kept = tuple(sorted((k, v) for k, v in (values or {}).items() if v))
    return (start, end, label, claimant, None if claimant is not None else (claimant_text or None), cue, kept)


def field_value(mark: Mark, name: str) -> object:
    """One field of a claim mark: ``claimant`` ((span key or None, free text or None)), ``cue``
    (span key or None) or ``attribute:NAME`` (the value or None)."""
    if name == "claimant":
        return (mark[3], mark[4])
    if name == "cue":
        return mark[5]
    if name.startswith("attribute:"):
        return dict(mark[6]).get(name[len("attribute:"):])
    raise ValueError(f"no claim field {name!r}")


def with_field(mark: Mark, name: str, value: object) -> Mark:
    """The claim mark with one field set to ``value`` (as ``field_value`` gives it)."""
    if name == "claimant":
        claimant, text = value  # type: ignore[misc]
        return (*mark[:3], claimant, text, *mark[5:])
    if name == "cue":
        return (*mark[:5], value, mark[6])
    attribute = name[len("attribute:"):]
    values = {k: v for k, v in mark[6] if k != attribute}
    if value:
        values[attribute] = value
    return (*mark[:6], tuple(sorted(values.items())))


def claim_fields(unit: Unit) -> tuple[str, ...]:
    """The fields a claim unit's claims can differ in: claimant, cue, each attribute given."""
    names = sorted({attribute for v in unit.versions for m in v for attribute, _ in m[6]}
                   | {attribute for m in unit.gold for attribute, _ in m[6]})
    return (*CLAIM_FIELDS_FIXED, *(f"attribute:{name}" for name in names))


def field_options(unit: Unit, name: str) -> list[tuple[object, tuple[str, ...]]]:
    """(value, annotators giving it) of one claim field, over the annotators who have exactly
    one claim in the unit: most annotators first, then in the order shown."""
    given: dict[object, list[str]] = {}
    for annotator, version in zip(unit.annotators, unit.versions):
        if len(version) == 1:
            given.setdefault(field_value(version[0], name), []).append(annotator)
    return sorted(((value, tuple(who)) for value, who in given.items()), key=lambda option: -len(option[1]))


def field_majority(unit: Unit, name: str) -> object:
    """The value most annotators gave a field (ties: the first shown annotator's); None if
    nobody has a single claim here."""
    options = field_options(unit, name)
    return options[0][0] if options else None
