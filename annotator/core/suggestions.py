"""Model-in-the-loop objects: what a model or pattern file proposes, and the models trained here.

Plain values, so they pass between the nlp layer (which makes them), the store (which writes
them as spans in state ``suggested``) and worker threads. Offsets are code points, end
exclusive, as everywhere.

The rules a proposal must pass before it is written (``plan_proposals``) live here, beside
``core.spans.find_conflict`` which they reuse, so the bulk writer and a single ``add_span``
can never disagree about what counts as a duplicate or an overlap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import Span
from .spans import find_conflict


@dataclass(frozen=True)
class Proposal:
    """One span a source proposes: ``label`` over ``start``-``end``, with a score if it has one."""

    start: int
    end: int
    label: str
    score: float | None = None


@dataclass(frozen=True)
class ClaimProposal:
    """An attributed claim a cue finder proposes: content, cue and claimant ranges.

    ``claimant`` is a range of the text (matched to an entity span when one covers exactly
    that range, else written as a source-phrase span); ``values`` are claim attribute values
    the finder can tell (``quote_type`` direct/indirect, ``stance`` for a denial).
    """

    content: tuple[int, int]
    cue: tuple[int, int] | None = None
    claimant: tuple[int, int] | None = None
    values: tuple[tuple[str, str], ...] = ()
    how: str = "pattern"  # "parse" (dependency parse) or "pattern" (token patterns): shown in reports


@dataclass(frozen=True)
class DocSuggestions:
    """Everything proposed for one document in one run."""

    doc_id: int
    text: str = field(repr=False)  # the text the proposals were made on (offsets refer to it)
    spans: tuple[Proposal, ...] = ()
    claims: tuple[ClaimProposal, ...] = ()
    uncertainty: float | None = None  # how unsure the model was about this document (0 sure .. 1)


@dataclass(frozen=True)
class ClaimLabels:
    """Which project labels a proposed claim's parts get: content (a claim label), cue and
    source phrase (role labels, None when the project has none)."""

    content: str
    cue: str | None = None
    source: str | None = None


@dataclass
class SuggestCounts:
    """What a run wrote and what it left out, and why."""

    documents: int = 0
    added: int = 0  # span suggestions written (claim parts included)
    claims: int = 0  # claim rows written
    duplicates: int = 0  # the same range and label is already there (tagged or suggested)
    rejected_before: int = 0  # the user rejected this range and label before: not proposed again
    conflicts: int = 0  # would overlap an accepted entity (the store's NER rule)
    unknown_labels: Counter[str] = field(default_factory=Counter)  # labels the project does not have

    def merge(self, other: SuggestCounts) -> None:
        self.documents += other.documents
        self.added += other.added
        self.claims += other.claims
        self.duplicates += other.duplicates
        self.rejected_before += other.rejected_before
        self.conflicts += other.conflicts
        self.unknown_labels.update(other.unknown_labels)

    def summary(self) -> str:
        parts = [f"{self.documents:,} document{'s' if self.documents != 1 else ''}",
                 f"{self.added:,} suggestion{'s' if self.added != 1 else ''} added"]
        if self.claims:
            parts.append(f"{self.claims:,} claim{'s' if self.claims != 1 else ''}")
        left = [(self.duplicates, "already there"), (self.rejected_before, "rejected before"),
                (self.conflicts, "overlapping tagged entities")]
        parts += [f"{n:,} {why}" for n, why in left if n]
        if self.unknown_labels:
            names = ", ".join(f"{name} ({n:,})" for name, n in self.unknown_labels.most_common(5))
            parts.append(f"labels not in the project skipped: {names}")
        return "; ".join(parts)


@dataclass(frozen=True)
class TrainedModel:
    """A model trained from the project (a row of the ``models`` table)."""

    id: int
    name: str
    path: str  # the pipeline directory (model-best)
    created_at: str
    components: tuple[str, ...] = ()
    base: str | None = None
    documents: int = 0
    scores: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"model:{self.name}"

    def per_label(self) -> list[tuple[str, str, float, float, float]]:
        """(component, label, precision, recall, F) for every label scored, in label order."""
        found = []
        for component, table in sorted(self.scores.get("per_label", {}).items()):
            for label, prf in sorted(table.items()):
                found.append((component, label, float(prf.get("p", 0.0)), float(prf.get("r", 0.0)),
                              float(prf.get("f", 0.0))))
        return found


# ----------------------------------------------------------------------------- the rules
Existing = tuple[Span, str]  # a stored span and the kind of its label


def plan_proposals(
    existing: Iterable[Existing], proposals: Iterable[Proposal], kinds: Mapping[str, str], *,
    allow_overlap: bool, counts: SuggestCounts,
) -> list[Proposal]:
    """The proposals that may be written next to ``existing`` (a document's stored spans, in
    any state), in order; ``counts`` learns why the others were left out.

    Left out: a label the project lacks (or a document label); a range and label already
    there in any state but rejected (``find_conflict``'s duplicate rule); a range and label the
    user rejected before (a rejected suggestion is a decision: re-running a model does not ask
    again); an entity overlapping an accepted entity. Proposals may overlap each other and
    other suggestions: they compete until one is accepted.
    """
    live: list[Existing] = []
    rejected: set[tuple[int, int, str]] = set()
    for span, kind in existing:
        if span.state == "rejected":
            rejected.add((span.start, span.end, span.label))
        else:
            live.append((span, kind))
    keep: list[Proposal] = []
    for proposal in proposals:
        kind = kinds.get(proposal.label)
        if kind is None or kind == "doc":
            counts.unknown_labels[proposal.label] += 1
            continue
        key = (proposal.start, proposal.end, proposal.label)
        if key in rejected:
            counts.rejected_before += 1
            continue
        problem = find_conflict(live, proposal.start, proposal.end, proposal.label, kind, "suggested",
                                allow_overlap=allow_overlap)
        if problem is not None:
            if any((s.start, s.end, s.label) == key for s, _ in live):
                counts.duplicates += 1
            else:
                counts.conflicts += 1
            continue
        keep.append(proposal)
        live.append((Span(0, proposal.start, proposal.end, proposal.label, "", state="suggested"), kind))
    return keep


def entity_at(spans: Sequence[Existing], start: int, end: int) -> Span | None:
    """An entity span (accepted first, then suggested) covering exactly ``start``-``end``."""
    found = [s for s, kind in spans if kind == "entity" and s.state != "rejected" and (s.start, s.end) == (start, end)]
    found.sort(key=lambda s: s.state != "accepted")
    return found[0] if found else None
