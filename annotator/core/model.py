"""The objects the store hands out and the formats read and write.

Offsets are Python code points, end exclusive, everywhere.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

DOCUMENT_STATUSES = ("todo", "done", "skipped")
LABEL_KINDS = ("entity", "claim", "doc")
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


@dataclass(frozen=True)
class Scheme:
    labels: tuple[Label, ...] = ()
    attributes: tuple[ClaimAttribute, ...] = ()
    language: str = "en"
    allow_overlapping_entities: bool = False

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
