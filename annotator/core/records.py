"""The interchange shape between file formats and the project.

Importers turn each input record into a ``DocumentRecord``; the import workflow checks
it against the project and stores it. Exporters read ``core.export.ExportDocument`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .problems import Problem
from .textutil import quoted


@dataclass
class SpanRecord:
    start: int
    end: int
    label: str
    field: str = ""  # where it came from in the record, e.g. "spans[3]", for error messages
    annotator: str | None = None
    state: str = "accepted"


@dataclass
class RelationRecord:
    head: int  # index into DocumentRecord.spans
    child: int
    label: str
    field: str = ""


@dataclass
class ClaimRecord:
    """A claim a file states outright (brat A lines, our own Prodigy meta, spaCy user_data).

    Indices point into ``DocumentRecord.spans``. Claims a file only implies (a span with a
    claim label, a relation between it and another span) are derived by the import workflow,
    which knows the project's label kinds (core.interchange.derive_claims).
    """

    content: int
    claimant: int | None = None
    claimant_text: str | None = None
    relation: str | None = None  # the relation label that linked the claimant, kept for export
    cue: int | None = None
    values: dict[str, str] = field(default_factory=dict)
    field: str = ""


@dataclass
class DocumentRecord:
    text: str
    line: int  # 1-based physical line (or first line) of the record in its file
    title: str = ""
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    spans: list[SpanRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    status: str = "todo"
    claims: list[ClaimRecord] = field(default_factory=list)
    doc_labels: list[str] = field(default_factory=list)  # document-level labels (kind "doc")


def is_int(value: object) -> bool:
    """JSON integers only: ``True`` is an int in Python but never an offset."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_span_offsets(
    file: str, line: int, fld: str, start: object, end: object, text_length: int
) -> Problem | None:
    """The offset checks every format shares; returns the first problem or None."""
    for name, value in (("start", start), ("end", end)):
        if not is_int(value):
            shown = ("a boolean" if isinstance(value, bool) else "null" if value is None
                     else f"{type(value).__name__} {quoted(value)}")
            return Problem(file, line, f"{fld}.{name}", f"offset must be an integer, got {shown}")
    assert isinstance(start, int) and isinstance(end, int)
    if start < 0:
        return Problem(file, line, f"{fld}.start", f"offset {start} is negative")
    if end < start:
        return Problem(file, line, fld, f"end {end} is before start {start}")
    if end == start:
        return Problem(file, line, fld, f"span is empty (start = end = {start})")
    if end > text_length:
        return Problem(
            file, line, f"{fld}.end", f"offset {end} is out of range (text has {text_length} characters)"
        )
    return None


def check_span_set(
    file: str, record: DocumentRecord, entity_labels: frozenset[str] | None, allow_overlap: bool
) -> list[Problem]:
    """Duplicate spans, and conflicting ones in the entity layer.

    Two spans with the same range and label are duplicates. When overlaps are not allowed
    (the NER layer), two entity spans that overlap conflict. ``entity_labels`` None means
    every label counts as an entity label.
    """
    if _plainly_distinct(record.spans, entity_labels, allow_overlap):
        return []
    return _span_set_problems(file, record, entity_labels, allow_overlap)


def _span_set_problems(
    file: str, record: DocumentRecord, entity_labels: frozenset[str] | None, allow_overlap: bool
) -> list[Problem]:
    """The full check, with every problem named."""
    problems: list[Problem] = []
    seen: dict[tuple[int, int, str], SpanRecord] = {}
    for span in record.spans:
        key = (span.start, span.end, span.label)
        if key in seen:
            problems.append(
                Problem(file, record.line, span.field,
                        f"duplicate span {span.start}-{span.end} {span.label} (same as {seen[key].field})")
            )
        else:
            seen[key] = span
    if allow_overlap:
        return problems
    entities = sorted(
        (s for s in seen.values() if entity_labels is None or s.label in entity_labels),
        key=lambda s: (s.start, s.end),
    )
    # Compared with the span reaching furthest so far, not only the neighbour: spans nested
    # in one long span after the first nested one were not reported.
    furthest: SpanRecord | None = None
    for current in entities:
        previous = furthest
        if furthest is None or current.end > furthest.end:
            furthest = current
        if previous is not None and current.start < previous.end:
            problems.append(
                Problem(
                    file, record.line, current.field,
                    f"entity span {current.start}-{current.end} {current.label} overlaps "
                    f"{previous.field} {previous.start}-{previous.end} {previous.label} "
                    "(entity spans may not overlap unless the project allows overlapping spans)",
                )
            )
    return problems


def _plainly_distinct(spans: list[SpanRecord], entity_labels: frozenset[str] | None, allow_overlap: bool) -> bool:
    """True when one pass shows no duplicate and no entity overlap; False means look closer.

    Why: the full check builds a dict and sorts the spans of every record, though almost no
    record has a problem. Most files list spans in text order, and entity spans that each
    start at or after the previous one's end can neither overlap nor duplicate each other (a
    duplicate overlaps its twin). Any other order goes through the full check.
    """
    end = 0
    others = []
    for span in spans:
        if not allow_overlap and (entity_labels is None or span.label in entity_labels):
            if span.start < end or span.end <= span.start:
                return False
            end = span.end
        else:
            others.append((span.start, span.end, span.label))
    return len(set(others)) == len(others)
