"""The disagreements list: each unit where two annotators differ, with its document and text.

What the window's Analysis > Agreement… dialog lists (and copies as CSV or LaTeX), and what an
adjudicator walks through. The units and their kinds are defined in
``annotator.core.disagreements``; this module reads the same scope as the figures (the
documents both annotators of a pair marked done, accepted spans, the chosen labels) and
fills in titles and the text of every span involved.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, replace

from ..core.disagreements import Disagreement, disagreements
from ..store import Project
from .agreement import AgreementOptions, Progress, resolve_scope, scope_layers
from .agreement_report import Table

KIND_TITLES = {"missing": "missing", "label": "other label", "boundaries": "other boundaries",
               "label_and_boundaries": "other label and boundaries", "claimant": "other claimant",
               "cue": "other cue", "attribute": "other attribute"}


@dataclass(frozen=True)
class DisagreementRow:
    """One unit, ready to show: ``start``/``end`` is where to scroll to in the document."""

    doc_id: int
    document: str  # the title
    a: str
    b: str
    layer: str  # entity | claim
    kind: str  # a key of KIND_TITLES
    start: int
    end: int
    label_a: str | None
    label_b: str | None
    text_a: str | None  # the text of a's span (or claim content); None if a has none
    text_b: str | None
    attribute: str | None  # for kind "attribute"
    value_a: str | None  # claimant/cue text or attribute value for those kinds
    value_b: str | None
    span_a: tuple[int, int] | None
    span_b: tuple[int, int] | None

    @property
    def description(self) -> str:
        """One line for the list, e.g. ``other label: ORG / GPE``."""
        title = KIND_TITLES[self.kind]
        if self.kind == "missing":
            who = self.a if self.label_a is not None else self.b
            return f"only {who}: {self.label_a or self.label_b}"
        if self.kind in ("label", "label_and_boundaries"):
            return f"{title}: {self.label_a} / {self.label_b}"
        if self.kind == "boundaries":
            return f"{title}: “{self.text_a}” / “{self.text_b}”"
        what = self.attribute if self.kind == "attribute" else self.kind
        return f"other {what}: {self.value_a or '—'} / {self.value_b or '—'}"


def _value(value: tuple[int, int] | str | None, text: str) -> str | None:
    if isinstance(value, tuple):
        return text[value[0]:value[1]]
    return value


def _row(unit: Disagreement, title: str, text: str) -> DisagreementRow:
    a, b = unit.span_a, unit.span_b
    spans = [s for s in (a, b) if s is not None]
    return DisagreementRow(
        unit.doc_id, title, unit.a, unit.b, unit.layer, unit.kind, min(s[0] for s in spans), max(s[1] for s in spans),
        a[2] if a else None, b[2] if b else None, text[a[0]:a[1]] if a else None, text[b[0]:b[1]] if b else None,
        unit.attribute, _value(unit.value_a, text), _value(unit.value_b, text),
        a[:2] if a else None, b[:2] if b else None)


def find_disagreements(project: Project, options: AgreementOptions = AgreementOptions(), *,
                       documents: Container[int] | None = None, limit: int | None = None,
                       progress: Progress | None = None,
                       should_stop: Callable[[], bool] | None = None) -> list[DisagreementRow]:
    """Units where the chosen annotators differ, pair by pair, in document and text order.

    ``documents`` restricts to some document ids; ``limit`` stops after that many rows (a
    big project can have hundreds of thousands). ``progress(done, total)`` is called every
    100 documents. Raises ``AgreementError`` for bad options and ``AgreementCancelled`` when
    ``should_stop`` returns True.
    """
    scope = resolve_scope(project, options)
    if documents is not None:
        scope = replace(scope, documents=tuple(d for d in scope.documents if d in documents))
    found: list[DisagreementRow] = []
    total = len(scope.documents)
    for done, (doc_id, title, text, layers) in enumerate(scope_layers(scope, should_stop=should_stop), start=1):
        if progress is not None and (done % 100 == 0 or done == total):
            progress(done, total)
        for i, j in scope.pairs:
            a, b = scope.names[i], scope.names[j]
            if a in layers and b in layers:
                for unit in disagreements(doc_id, a, layers[a], b, layers[b]):
                    found.append(_row(unit, title, text))
                    if limit is not None and len(found) >= limit:
                        return found
    return found


def disagreement_table(rows: list[DisagreementRow]) -> Table:
    """The list as a tidy table, for Copy as CSV / LaTeX (``agreement_report.to_csv``/``to_latex``)."""
    return Table("disagreements",
                 ("document", "doc_id", "a", "b", "layer", "kind", "start", "end", "label_a", "text_a", "label_b",
                  "text_b", "attribute", "value_a", "value_b"),
                 tuple((r.document, r.doc_id, r.a, r.b, r.layer, KIND_TITLES[r.kind], r.start, r.end, r.label_a,
                        r.text_a, r.label_b, r.text_b, r.attribute, r.value_a, r.value_b) for r in rows))
