"""Which annotation layers the window shows, and which one it edits.

Every span belongs to an annotator's layer (DESIGN.md habit 14; gold is a layer too). Today
the window shows one layer, ``merged``: every span of the document, editable, as annotator has
always worked. Two uses are designed in:

- side by side (Teams): ``Layers(editable="alice", others=("bob", "carol"))`` edits Alice's
  spans and shows Bob's and Carol's read-only;
- review into gold: ``Layers(editable="gold", others=("alice", "bob"))``.

The session splits each shown document with ``split`` and refuses edits of spans that are
not in the editable layer; views draw ``ShownDocument.others`` as they choose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ...core.model import Span, SpanDetails


@dataclass(frozen=True)
class Layers:
    editable: str | None = None  # whose spans edits create and change (the annotator's name)
    others: tuple[str, ...] = ()  # other annotators' layers shown read-only
    merged: bool = True  # one layer: every span of the document, editable (before Teams)

    def owns(self, span: Span) -> bool:
        """Whether ``span`` is in the editable layer."""
        if self.merged:
            return True
        return span.annotator == self.editable or (span.annotator is None and span.state == "suggested")

    def split(self, spans: Iterable[Span]) -> tuple[list[Span], dict[str, list[Span]]]:
        """The editable layer's spans, and each shown other layer's (read-only)."""
        mine: list[Span] = []
        others: dict[str, list[Span]] = {name: [] for name in self.others}
        for span in spans:
            if self.owns(span):
                mine.append(span)
            elif span.annotator in others:
                others[span.annotator].append(span)
        return mine, others


@dataclass
class ShownDocument:
    """The document on screen as the session holds it (views read it; only the session changes it)."""

    doc_id: int
    title: str
    text: str
    status: str
    spans: dict[int, Span]  # the editable layer, by id
    others: dict[str, list[Span]] = field(default_factory=dict)  # read-only layers, by annotator
    claims: list = field(default_factory=list)  # core Claims of the editable layer
    stale: set[int] = field(default_factory=set)  # spans whose stored text no longer matches
    # Attribute values and notes other tools' files brought, by span id (spans with neither
    # are left out). Views keep this very dict: the session updates it before each span signal.
    details: dict[int, SpanDetails] = field(default_factory=dict)

    def linked_span_ids(self) -> set[int]:
        """Spans the document's claims use (content, claimant, cue)."""
        return {s.id for c in self.claims for s in (c.content, c.claimant, c.cue) if s is not None and s.id}
