"""The objects the store hands out and the formats read and write.

Offsets are Python code points, end exclusive, everywhere.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

DOCUMENT_STATUSES = ("todo", "done", "skipped")
# entity: the NER layer (doc.ents; no overlaps unless the project allows them)
# claim:  claim content spans (may overlap anything)
# role:   spans that play a part in a claim but are not entities: cues ("said"), source
#         phrases ("a source at the ministry"); they may overlap anything
# doc:    document-level labels (text classification), never on a character span
LABEL_KINDS = ("entity", "claim", "role", "doc")
SPAN_KINDS = ("entity", "claim", "role")
SPAN_STATES = ("accepted", "suggested", "rejected")
# Origins are "manual", "import", or "model:<name>" / "pattern:<file>" for suggestions.
FIXED_ORIGINS = ("manual", "import")
ORIGIN_PREFIXES = ("model:", "pattern:")


def is_valid_origin(origin: str) -> bool:
    return origin in FIXED_ORIGINS or origin.startswith(ORIGIN_PREFIXES)


class DocStatus(str, enum.Enum):
    TODO = "todo"
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Label:
    name: str
    kind: str = "entity"
    color: str = "#999999"
    key: str | None = None
    description: str = ""
    id: int | None = None


@dataclass(frozen=True)
class ClaimAttribute:
    """One field of a claim, defined by the project's scheme."""

    name: str
    title: str = ""
    kind: str = "choice"  # "choice" | "text"
    choices: tuple[str, ...] = ()
    default: str | None = None
    required: bool = False
    key: str | None = None
    description: str = ""


SPAN_ATTRIBUTE_KINDS = ("choice", "text", "flag")


@dataclass(frozen=True)
class SpanAttribute:
    """An attribute any span (or relation, or event) may carry, e.g. brat's ``Negation``
    (kind "flag": present or not) or ``Confidence`` (kind "choice"). Claims have their own
    attributes (``ClaimAttribute``); these are for the annotations of other tools' schemes."""

    name: str
    kind: str = "choice"  # "choice" | "text" | "flag"
    choices: tuple[str, ...] = ()
    description: str = ""


FLAG_VALUE = "true"  # the stored value of a flag attribute that is set


@dataclass(frozen=True)
class Scheme:
    labels: tuple[Label, ...] = ()
    attributes: tuple[ClaimAttribute, ...] = ()
    language: str = "en"
    allow_overlapping_entities: bool = False
    span_attributes: tuple[SpanAttribute, ...] = ()

    def label(self, name: str) -> Label | None:
        return next((lab for lab in self.labels if lab.name == name), None)

    @property
    def label_names(self) -> frozenset[str]:
        return frozenset(lab.name for lab in self.labels)


@dataclass(frozen=True)
class Span:
    doc_id: int
    start: int
    end: int
    label: str
    text: str
    annotator: str | None = None
    origin: str = "manual"
    state: str = "accepted"
    id: int | None = None


@dataclass(frozen=True)
class Claim:
    """An attributed claim: its content span, who claimed it, with which cue, and how.

    The claimant is a span of the same document (``claimant``) or free text
    (``claimant_text``) when the source is not in the text; ``claimant_relation`` keeps the
    relation label an import used (e.g. ``ASSERTED_BY``) so export can write it back.
    ``values`` maps attribute names to their values (choices or free text).
    """

    id: int
    content: Span
    claimant: Span | None = None
    claimant_text: str | None = None
    claimant_relation: str | None = None
    cue: Span | None = None
    values: dict[str, str] = field(default_factory=dict)

    @property
    def doc_id(self) -> int:
        return self.content.doc_id

    @property
    def label(self) -> str:
        return self.content.label

    @property
    def claimant_name(self) -> str | None:
        """What the claimant is called here: its span's text, or the free text."""
        if self.claimant is not None:
            return self.claimant.text
        return self.claimant_text


@dataclass(frozen=True)
class ClaimantCount:
    """One claimant name across the project, with the canonical name it is merged into."""

    name: str
    canonical: str
    claims: int
    documents: int


@dataclass(frozen=True)
class ClaimantGroup:
    """A canonical claimant and every name merged into it (itself included when used)."""

    canonical: str
    claims: int
    documents: int
    names: tuple[ClaimantCount, ...] = ()


@dataclass(frozen=True)
class SpanSnapshot:
    """Everything deleting a span removes, so that undo can put it all back with the same ids.

    Rows are plain dicts of column values as stored: the store writes them back verbatim.
    """

    span: dict[str, Any]
    claim: dict[str, Any] | None = None  # the claim whose content this span was
    claim_values: tuple[dict[str, Any], ...] = ()
    linked_as_claimant: tuple[int, ...] = ()  # claims whose claimant this span was
    linked_as_cue: tuple[int, ...] = ()  # claims whose cue this span was
    relations: tuple[dict[str, Any], ...] = ()
    # (table, row) in the order they go back: events the span triggers, notes and attribute
    # values of the span, its relations and events, its equivalence memberships.
    extra: tuple[tuple[str, dict[str, Any]], ...] = ()

    def details(self) -> SpanDetails | None:
        """The span's own attribute values and note as the store's ``span_details`` gives them
        (None when it has neither): what the window shows again after an undo."""
        span_id = self.span.get("id")
        values = dict(sorted((row["attribute"], row["value"]) for table, row in self.extra
                             if table == "attribute_values" and row.get("span_id") == span_id))
        note = next((row["note"] for table, row in self.extra
                     if table == "annotation_notes" and row.get("span_id") == span_id), None)
        return SpanDetails(values, note) if values or note is not None else None


@dataclass(frozen=True)
class SpanDetails:
    """What a span carries beyond its label: attribute values and a free-text note."""

    values: dict[str, str] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class Document:
    id: int
    text: str
    content_hash: str
    title: str = ""
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    status: str = "todo"
    position: int = 0


@dataclass(frozen=True)
class DocumentSummary:
    """What a document list row needs, without the (possibly 2 MB) text."""

    id: int
    title: str
    snippet: str
    status: str
    position: int


@dataclass(frozen=True)
class LabelSnapshot:
    """A label as stored, with everything deleting it removed (its spans, each with what
    deleting that span removed, and its document-label rows), so undo puts it all back
    under the same ids."""

    label: dict[str, Any]
    spans: tuple[SpanSnapshot, ...] = ()
    doc_labels: tuple[dict[str, Any], ...] = ()
