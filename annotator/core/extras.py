"""Attributes and notes from files, sorted against the project's scheme.

A reader cannot know which spans are claims, so it hands over every attribute and note as
``Extras`` on the annotation it was stated on (core.records). Here, once the import workflow
has derived the claims (core.interchange):

- on a claim's content span, a claim attribute becomes the claim's value, and a note becomes
  the claim's note (its text attribute ``note``, when the scheme has one); the attribute
  ``claimant`` (when the scheme has no claim attribute of that name) is a free-text claimant;
- anything else is a span attribute (also on relations and events), checked against the
  span attributes of the scheme: a flag is set or not, a choice must be one of its choices;
- a name the scheme lacks is refused, once per name with the line that stated it, unless the
  import adds labels: then it is collected for the workflow to add (a claim attribute when it
  is on a claim, else a span attribute), with every value met as a choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .model import FLAG_VALUE, ClaimAttribute, SpanAttribute
from .problems import Problem
from .records import DocumentRecord, Extras

CLAIMANT_ATTRIBUTE = "claimant"  # a free-text claimant, where a format has only attributes (brat)
NOTE_ATTRIBUTE = "note"  # the claim attribute that holds a claim's free-text note
OLD_CLAIMANT_NOTE = "claimant: "  # brat notes of claims written by annotator before schema 3


@dataclass
class SchemeAdditions:
    """Attributes to add to the scheme (with ``--add-labels``): name -> kind and choices met."""

    claim: dict[str, set[str]] = field(default_factory=dict)  # choice attributes of claims
    span: dict[str, tuple[str, set[str]]] = field(default_factory=dict)  # name -> ("choice" | "flag", choices)

    def __bool__(self) -> bool:
        return bool(self.claim or self.span)


def sort_extras(
    file: str, record: DocumentRecord, claim_attributes: Iterable[ClaimAttribute],
    span_attributes: Iterable[SpanAttribute], add: bool, additions: SchemeAdditions,
) -> list[Problem]:
    """Move claim attributes and notes onto the claims, check the rest (module docstring)."""
    claims_by_name: Mapping[str, ClaimAttribute] = {a.name: a for a in claim_attributes}
    spans_by_name: Mapping[str, SpanAttribute] = {a.name: a for a in span_attributes}
    problems: list[Problem] = []
    reported: set[str] = set()

    def unknown(name: str, where: tuple[int, str], what: str) -> None:
        if name not in reported:
            reported.add(name)
            problems.append(Problem(file, where[0], where[1], f"unknown {what} attribute {name!r}; add it to the "
                                    "scheme first or import with --add-labels"))

    claim_spans = {claim.content: claim for claim in record.claims}
    # A comprehension finds the few spans with extras: most files have none (a loop per span
    # was a measurable part of a plain import).
    for index in [i for i, s in enumerate(record.spans) if s.extras is not None]:
        span = record.spans[index]
        extras = span.extras
        assert extras is not None
        claim = claim_spans.get(index)
        if claim is None:
            problems.extend(_check_span_values(file, record.line_of(span), span.field, extras, spans_by_name, add,
                                               additions, unknown))
            continue
        for name, value in list(extras.values.items()):
            where = extras.where.get(name, (record.line_of(span), span.field))
            text = FLAG_VALUE if value is None else value
            if name in claims_by_name:
                claim.values.setdefault(name, text)
            elif name == CLAIMANT_ATTRIBUTE and value is not None:
                if claim.claimant is None and claim.claimant_text is None:
                    claim.claimant_text = value
            elif name in spans_by_name:
                continue  # a span attribute on a claim span stays on the span
            elif add:
                additions.claim.setdefault(name, set()).add(text)
                claim.values.setdefault(name, text)
            else:
                unknown(name, where, "claim")
                continue
            del extras.values[name]
        if extras.note is not None and extras.note.startswith(OLD_CLAIMANT_NOTE) and "\n" not in extras.note \
                and claim.claimant is None and claim.claimant_text is None:
            # How annotator wrote a free-text claimant before it wrote the claimant attribute.
            claim.claimant_text, extras.note = extras.note[len(OLD_CLAIMANT_NOTE):], None
        note_attribute = claims_by_name.get(NOTE_ATTRIBUTE)
        if extras.note is not None and note_attribute is not None and note_attribute.kind == "text" \
                and NOTE_ATTRIBUTE not in claim.values:
            claim.values[NOTE_ATTRIBUTE] = extras.note
            extras.note = None
        problems.extend(_check_span_values(file, record.line_of(span), span.field, extras, spans_by_name, add,
                                           additions, unknown))
    for item in [*record.relations, *record.events]:
        if item.extras is not None:
            problems.extend(_check_span_values(file, record.line_of(item), item.field, item.extras, spans_by_name,
                                               add, additions, unknown))
    return sorted(problems, key=lambda p: p.line or 0)


def _check_span_values(file: str, line: int, fld: str, extras: Extras, known: Mapping[str, SpanAttribute],
                       add: bool, additions: SchemeAdditions, unknown) -> list[Problem]:  # noqa: ANN001
    problems = []
    for name, value in extras.values.items():
        where = extras.where.get(name, (line, fld))
        attribute = known.get(name)
        if attribute is None:
            if not add:
                unknown(name, where, "span")
                continue
            kind, choices = additions.span.get(name, ("flag" if value is None else "choice", set()))
            if value is not None:
                kind = "choice"
                choices.add(value)
            additions.span[name] = (kind, choices)
        elif attribute.kind == "flag" and value not in (None, FLAG_VALUE):
            problems.append(Problem(file, where[0], where[1], f"{name} is set or not set; it takes no value "
                                    f"(got {value!r})"))
        elif attribute.kind == "choice" and (value is None or value not in attribute.choices):
            if add and value is not None:
                additions.span.setdefault(name, ("choice", set()))[1].add(value)
            else:
                shown = "no value" if value is None else repr(value)
                problems.append(Problem(file, where[0], where[1], f"{name}: {shown} is not one of "
                                        f"{', '.join(attribute.choices) or 'its choices (none yet)'}"))
    return problems
