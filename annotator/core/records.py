"""The interchange shape between file formats and the project.

Importers turn each input record into a ``DocumentRecord``; the import workflow checks
it against the project and stores it. Exporters read ``core.export.ExportDocument`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .problems import Problem
from .textutil import quoted


@dataclass
class Extras:
    """Attributes and a free-text note a file puts on one annotation (a span, relation, event
    or equivalence): brat ``A``/``M`` and ``#`` lines, WebAnno features, Label Studio
    per-region controls. Which attributes are claim attributes and which span attributes
    only the project knows: the import workflow sorts them (core.extras)."""

    values: dict[str, str | None] = field(default_factory=dict)  # None: a binary attribute (present)
    note: str | None = None
    # attribute (or "#note") -> (line, field) where the file stated it, for exact error messages
    where: dict[str, tuple[int, str]] = field(default_factory=dict)


@dataclass
class SpanRecord:
    start: int
    end: int
    label: str
    field: str = ""  # where it came from in the record, e.g. "spans[3]", for error messages
    annotator: str | None = None
    state: str = "accepted"
    # Set on the few spans that have them, after construction: class defaults keep the
    # common span (hundreds of thousands per import) as cheap to make as before.
    origin: ClassVar[str | None] = None  # None: the import's own ("import"); "model:<version>" for predictions
    extras: ClassVar[Extras | None] = None
    line: ClassVar[int] = 0  # the physical line of the span when it is not the record's (brat: its T line)

    def placed(self, *, origin: str | None = None, extras: Extras | None = None, line: int = 0) -> SpanRecord:
        """This span with what only some readers give (instance values over the class defaults)."""
        for name, value in (("origin", origin), ("extras", extras), ("line", line)):
            if value:
                object.__setattr__(self, name, value)
        return self


@dataclass
class RelationRecord:
    head: int  # index into DocumentRecord.spans
    child: int
    label: str
    field: str = ""
    annotator: str | None = None
    extras: Extras | None = None
    line: int = 0


@dataclass
class EventRecord:
    """A brat event: a trigger span and its arguments (roles). Stored as the trigger span,
    one relation per role from the trigger (label = role), and the event that groups them,
    so it can be written back as an ``E`` line."""

    trigger: int  # index into DocumentRecord.spans
    label: str
    # (role, span index, event index when the argument is another event, else None): an
    # event argument's span is that event's trigger
    roles: list[tuple[str, int, int | None]] = field(default_factory=list)
    field: str = ""
    annotator: str | None = None
    extras: Extras | None = None
    line: int = 0


@dataclass
class EquivalenceRecord:
    """A brat equivalence (``*  Equiv T1 T2 T3``): spans that name the same thing."""

    label: str
    members: list[int] = field(default_factory=list)  # indices into DocumentRecord.spans
    field: str = ""
    annotator: str | None = None
    extras: Extras | None = None
    line: int = 0


@dataclass
class SchemeHints:
    """What a file says about the scheme beside its records (brat's annotation.conf): label
    kinds and span attribute definitions. Applied with ``--add-labels`` only."""

    source: str
    label_kinds: dict[str, str] = field(default_factory=dict)  # name -> entity | role
    # name -> (kind "choice" | "flag", choices)
    attributes: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)


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
    events: list[EventRecord] = field(default_factory=list)
    equivalences: list[EquivalenceRecord] = field(default_factory=list)
    # The file's own tokenization, (start, end) code points in text order: kept, and written
    # back by the CoNLL, Prodigy and WebAnno writers instead of spaCy's tokens.
    tokens: tuple[tuple[int, int], ...] | None = None
    label_kinds: dict[str, str] = field(default_factory=dict)  # kinds for labels --add-labels adds
    # Who set each document label, when a file says (Label Studio annotations, doccano 1.x
    # users): label -> the annotators who chose it. A label of ``doc_labels`` not named here
    # is the import's own (``--annotator``, else no one's).
    doc_label_annotators: dict[str, list[str]] = field(default_factory=dict)
    # Each annotator's status of this document, when the file gives one per annotator
    # (a Prodigy line's answer, a Label Studio annotation or a cancelled one); ``status`` is
    # the document's own. The import gives an annotator it names without one ``status``.
    annotator_statuses: dict[str, str] = field(default_factory=dict)
    # A binary question's answers (Prodigy's ner.teach, textcat.teach): (start, end, label) of
    # a span, (-1, -1, label) of a document label -> accept/reject/ignore. Such a record is
    # one question about its text, not the whole annotation: the import merges the answers of
    # one annotator to one text in one file (workflows/binary_answers.py). None: the record
    # is its text's whole annotation (a manual one), compared as such.
    questions: dict[tuple[int, int, str], str] | None = None

    def line_of(self, item: SpanRecord | RelationRecord | EventRecord | EquivalenceRecord) -> int:
        """The physical line an annotation was stated on (its own, else the record's)."""
        return item.line or self.line


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
    """Duplicate spans, and conflicting ones in the entity layer, within each annotator's layer.

    Two spans with the same range and label are duplicates. When overlaps are not allowed
    (the NER layer), two accepted entity spans that overlap conflict. ``entity_labels`` None
    means every label counts as an entity label. Each annotator's spans (and each model's
    suggestions) are a layer of their own: two annotators tagging the same words is what
    agreement is measured on, not a duplicate.
    """
    if _plainly_distinct(record.spans, entity_labels, allow_overlap):
        return []
    layers: dict[tuple[str | None, str | None, str], list[SpanRecord]] = {}
    for span in record.spans:
        layers.setdefault((span.annotator, span.origin, span.state), []).append(span)
    problems: list[Problem] = []
    for (_, _, state), spans in layers.items():
        # Suggestions compete until one is accepted, so they may overlap (as in the store).
        problems.extend(_span_set_problems(file, record, spans, entity_labels, allow_overlap or state != "accepted"))
    return problems


def _span_set_problems(
    file: str, record: DocumentRecord, spans: list[SpanRecord], entity_labels: frozenset[str] | None,
    allow_overlap: bool,
) -> list[Problem]:
    """The full check of one layer, with every problem named."""
    problems: list[Problem] = []
    seen: dict[tuple[int, int, str], SpanRecord] = {}
    for span in spans:
        key = (span.start, span.end, span.label)
        if key in seen:
            problems.append(
                Problem(file, record.line_of(span), span.field,
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
                    file, record.line_of(current), current.field,
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


def give_statuses(record: DocumentRecord, default: str | None) -> None:
    """Complete ``record.annotator_statuses``: every annotator the record names without a
    status of their own there gets the record's status (doccano 1.x users, a Prodigy line
    without an answer), and so does the import's own annotator (``default``, ``--annotator``)
    when the record has annotations nobody is named for, or names nobody at all: a file
    given as one annotator's is their work, done where it says done."""
    named: set[str] = set()
    unnamed = False
    for span in record.spans:
        if span.annotator:
            named.add(span.annotator)
        elif span.origin is None:  # a prediction is nobody's
            unnamed = True
    for item in (*record.relations, *record.events, *record.equivalences):
        if item.annotator:
            named.add(item.annotator)
    for name in record.doc_labels:
        who = record.doc_label_annotators.get(name)
        if who:
            named.update(who)
        else:
            unnamed = True
    if default and (unnamed or not named and not record.annotator_statuses):
        named.add(default)
    for name in named:
        record.annotator_statuses.setdefault(name, record.status)
