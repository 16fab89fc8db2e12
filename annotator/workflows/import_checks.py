"""The import's checks beyond labels and span sets: claims, attributes and notes, events and
equivalences, and the scheme a file brings along (brat's annotation.conf).

Kept apart from importing.py (the file loop, savepoints, batching): these only look at one
record and the project's scheme, and add to the scheme when ``--add-labels`` asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.extras import SchemeAdditions, sort_extras
from ..core.interchange import check_claim_values, derive_claims
from ..core.model import ClaimAttribute, SpanAttribute
from ..core.problems import Problem
from ..core.records import DocumentRecord, SchemeHints
from ..store.import_writer import ImportWriter
from ..store.project import Project


@dataclass
class FileScheme:
    """The scheme as one file's import sees it, growing as ``--add-labels`` adds to it."""

    claim_labels: set[str]
    claim_attributes: tuple[ClaimAttribute, ...]
    span_attributes: tuple[SpanAttribute, ...]
    label_kinds: dict[str, str] = field(default_factory=dict)  # kinds a file declared for labels it may add

    @classmethod
    def of(cls, project: Project) -> FileScheme:
        scheme = project.scheme()
        return cls({lab.name for lab in scheme.labels if lab.kind == "claim"}, scheme.attributes,
                   scheme.span_attributes)

    def refresh(self, project: Project) -> None:
        scheme = project.scheme()
        self.claim_attributes, self.span_attributes = scheme.attributes, scheme.span_attributes


def apply_hints(project: Project, writer: ImportWriter, hints: SchemeHints, add_labels: bool,
                state: FileScheme) -> list[str]:
    """A file's declared scheme (annotation.conf): with ``--add-labels`` its entity and event
    types become labels (events as role labels: they are not NER entities) and its
    attributes span attributes. Returns the names added."""
    state.label_kinds.update(hints.label_kinds)
    if not add_labels:
        return []
    added: list[str] = []
    for kind in ("entity", "role"):
        names = [name for name, k in hints.label_kinds.items() if k == kind and name not in writer.label_ids]
        added.extend(writer.add_labels(names, kind=kind))
    known = {a.name for a in state.span_attributes}
    for name, (kind, choices) in hints.attributes.items():
        project.add_span_attribute(SpanAttribute(name, kind, choices, f"from {hints.source}"))
        if name not in known:
            added.append(name)
    state.refresh(project)
    return added


def check_claims_and_extras(project: Project, file: str, record: DocumentRecord, state: FileScheme,
                            add_labels: bool, notices: list[Problem]) -> tuple[list[Problem], list[str]]:
    """Claim spans become claims, claim relations their claimant and cue (core.interchange);
    attributes and notes go where the scheme says (core.extras); events and equivalences name
    spans of the record. Returns (errors, attribute names added to the scheme); notices (a
    relation kept as a plain one) are appended to ``notices``."""
    problems = _check_structures(file, record)
    if problems:
        return problems, []
    if state.claim_labels or record.claims:
        found = derive_claims(file, record, state.claim_labels)
        notices.extend(p for p in found if not p.is_error)
        errors = [p for p in found if p.is_error]
        if errors:
            return errors, []
    additions = SchemeAdditions()
    errors = sort_extras(file, record, state.claim_attributes, state.span_attributes, add_labels, additions) \
        if _has_extras(record) else []
    if errors:
        return errors, []
    added = _add_attributes(project, additions, state) if additions else []
    if record.claims:
        return check_claim_values(file, record, state.claim_attributes), added
    return [], added


def _add_attributes(project: Project, additions: SchemeAdditions, state: FileScheme) -> list[str]:
    known = {a.name for a in (*state.claim_attributes, *state.span_attributes)}
    for name, choices in sorted(additions.claim.items()):
        project.add_claim_attribute(name, tuple(sorted(choices)))
    for name, (kind, choices) in sorted(additions.span.items()):
        project.add_span_attribute(SpanAttribute(name, kind, tuple(sorted(choices))))
    state.refresh(project)
    return [name for name in [*sorted(additions.claim), *sorted(additions.span)] if name not in known]


def _has_extras(record: DocumentRecord) -> bool:
    return any([s.extras is not None for s in record.spans]) or any(
        [r.extras is not None for r in record.relations]) or bool(record.events)


def _check_structures(file: str, record: DocumentRecord) -> list[Problem]:
    """Events and equivalences must name spans of their record (a reader's slip, never a
    stray row in the store)."""
    count = len(record.spans)
    problems = []
    for event in record.events:
        indices = [event.trigger, *(target for _, target, _ in event.roles)]
        if any(not 0 <= i < count for i in indices) or any(
                e is not None and not 0 <= e < len(record.events) for _, _, e in event.roles):
            problems.append(Problem(file, record.line_of(event), event.field, "names an annotation that is not here"))
    for equivalence in record.equivalences:
        if any(not 0 <= i < count for i in equivalence.members):
            problems.append(Problem(file, record.line_of(equivalence), equivalence.field,
                                    "names an annotation that is not here"))
    return problems
