"""WebAnno TSV annotations as annotator's spans, stacked twins joined into one.

INCEpTION lets two annotations of a layer with the same label sit on the same rows (a
mention that is an element of two coreference chains, the same entity tagged twice with
different features); annotator keeps one span per offsets and label (per annotator), and
the generic import check refuses a second. So the reader makes the twins ONE span: every
relation, chain link and slot link of either starts or ends at it, a relation that becomes
an exact copy of another (same head, child and label) is kept once, and features are
merged (on a conflict the first value is kept and the dropped one named). Each join is a
notice naming the line and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.problems import Problem
from ..core.records import Extras, RelationRecord, SpanRecord
from ..core.textutil import quoted
from .fields import check_label
from .webanno_tsv import CLAIM_LAYER, LABEL_FEATURE, NAMED_ENTITY, short_name

KINDS = {NAMED_ENTITY: "entity", CLAIM_LAYER: "claim"}  # any other span layer: role (may overlap anything)
_COUNTS = {2: "two", 3: "three", 4: "four"}


@dataclass
class Ann:
    """One annotation of the file (a span layer's, or a chain's element) before it is a span."""

    layer: str
    begin: int
    end: int
    line: int
    unit: str
    values: dict[str, str] = field(default_factory=dict)
    roles: list[str] | None = None
    targets: list[str] | None = None
    index: int = -1  # in record.spans, once made (a stacked twin shares its first's)
    chain: str = ""  # the chain a chain element belongs to

    @property
    def place(self) -> str:
        return f"{self.unit}.{short_name(self.layer)}"


class SpanMaker:
    """Spans from annotations, and the notices of stacked twins joined."""

    def __init__(self, file: str, problems: list[Problem], spans: list[SpanRecord], kinds: dict[str, str]) -> None:
        self.file, self.problems, self.spans, self.kinds = file, problems, spans, kinds
        self.merged: set[int] = set()  # indices of spans that stand for two annotations or more

    def make(self, anns: list[Ann]) -> None:
        first_of: dict[tuple[int, int, str], Ann] = {}
        twins: dict[int, list[Ann]] = {}  # span index -> the annotations joined into it, first first
        dropped: dict[int, list[str]] = {}  # span index -> what its twins said that was not kept
        for ann in anns:
            if ann.end <= ann.begin:
                self.problems.append(Problem(self.file, ann.line, ann.unit, f"a zero-width {short_name(ann.layer)} "
                                             f"annotation at {ann.begin} is not imported (a span covers at least one "
                                             "character)", "notice"))
                continue
            values = {k: v for k, v in ann.values.items() if not k.startswith("\0")}
            label_feature = next((f for f in (LABEL_FEATURE, "value", "referenceType") if f in values), None)
            label = values.pop(label_feature) if label_feature else short_name(ann.layer)
            if (problem := check_label(self.file, ann.line, ann.place, label)) is not None:
                self.problems.append(problem)
                continue
            first = first_of.get((ann.begin, ann.end, label))
            if first is not None:
                ann.index = first.index
                twins.setdefault(first.index, [first]).append(ann)
                span = self.spans[first.index]
                extras = span.extras or Extras()
                dropped.setdefault(first.index, []).extend(merge_values(extras, values, ann.line, ann.place))
                if extras.values and span.extras is None:
                    span.placed(extras=extras)
                continue
            first_of[(ann.begin, ann.end, label)] = ann
            extras = Extras(dict(values), where={k: (ann.line, ann.place) for k in values}) if values else None
            ann.index = len(self.spans)
            self.spans.append(SpanRecord(ann.begin, ann.end, label, ann.place).placed(extras=extras, line=ann.line))
            self.kinds.setdefault(label, KINDS.get(ann.layer, "role"))
        for index, group in twins.items():
            self.merged.add(index)
            self.problems.append(self._notice(self.spans[index].label, group, dropped.get(index, [])))

    def _notice(self, label: str, group: list[Ann], dropped: list[str]) -> Problem:
        count = _COUNTS.get(len(group), str(len(group)))
        layers = list(dict.fromkeys(short_name(ann.layer) for ann in group))
        chains = list(dict.fromkeys(ann.chain for ann in group if ann.chain))
        what = f"{count} {label} annotations" + (f" ({' and '.join(layers)})" if len(layers) > 1 else "")
        if chains:
            where = " and ".join([", ".join(chains[:-1]), chains[-1]] if len(chains) > 1 else chains)
            what += f" on the same text (chains {where}) are kept as one span, linked in " + (
                "both chains" if len(chains) == 2 else f"all {len(chains)} chains" if len(chains) > 2 else "its chain")
        else:
            what += " on the same text are kept as one span"
        if dropped:
            what += "; dropped: " + "; ".join(dict.fromkeys(dropped))
        return Problem(self.file, group[0].line, group[0].place, what, "notice")

    def dedupe(self, relations: list[RelationRecord]) -> list[RelationRecord]:
        """Relations once each: two that became one (same head, child and label) by a join.

        A link between two twins becomes a link from the span to itself: kept, as the file
        says the one is linked to the other."""
        if not self.merged:
            return relations
        kept: list[RelationRecord] = []
        seen: dict[tuple[int, int, str], RelationRecord] = {}
        for relation in relations:
            key = (relation.head, relation.child, relation.label)
            if relation.head not in self.merged and relation.child not in self.merged:
                kept.append(relation)
                continue
            first = seen.get(key)
            if first is None:
                seen[key] = relation
                kept.append(relation)
            elif relation.extras and relation.extras.values:
                first.extras = first.extras or Extras()
                lost = merge_values(first.extras, dict(relation.extras.values), relation.line, relation.field)
                if lost:
                    self.problems.append(Problem(self.file, relation.line, relation.field, f"two {relation.label} "
                                                 "relations between the same spans are kept as one; dropped: "
                                                 + "; ".join(dict.fromkeys(lost)), "notice"))
        return kept


def merge_values(extras: Extras, values: dict, line: int, fld: str) -> list[str]:
    """Add a twin's feature values to the kept annotation's; each conflicting one is dropped
    and described (the first value stays: INCEpTION lists stacked annotations in order)."""
    lost = []
    for name, value in values.items():
        if name not in extras.values:
            extras.values[name] = value
            extras.where[name] = (line, fld)
        elif extras.values[name] != value:
            lost.append(f"{name} {quoted(value)} (kept {quoted(extras.values[name] or '')})")
    return lost
