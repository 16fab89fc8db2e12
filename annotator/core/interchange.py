"""Claims in interchange files: what a file states, and what it only implies.

Other tools have no claims, only spans and relations between them. On import, a span whose
label is a claim label (kind "claim" in the project) becomes a claim; a relation between a
claim span and a span that is not a claim links the two: labelled ``CUE`` it names the cue,
with any other label the claimant, and that label (``ASSERTED_BY``, ``DENIED_BY``) is kept on
the claim so an export writes it back unchanged. The relation is then part of the claim and
not stored again as a generic relation. Which side of the relation the claim is on does
not matter; exports write claim -> partner.

This runs in the import workflow, not in the readers: only the project knows which labels
are claim labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .export import CLAIMANT_RELATION, CUE_RELATION
from .model import ClaimAttribute
from .problems import Problem
from .records import ClaimRecord, DocumentRecord, SpanRecord, check_span_offsets
from .textutil import quoted


def derive_claims(file: str, record: DocumentRecord, claim_labels: frozenset[str] | set[str]) -> list[Problem]:
    """Complete ``record.claims`` from its claim spans and relations, in place.

    Returns problems: errors for a stated claim that does not hold (its content span has no
    claim label, an index out of range), notices for a relation that could not become a
    link because the claim already has that partner (it stays a generic relation).
    """
    problems: list[Problem] = []
    spans = record.spans
    count = len(spans)
    by_content: dict[int, ClaimRecord] = {}
    for i, claim in enumerate(record.claims):
        where = claim.field or f"claims[{i}]"
        for name in ("content", "claimant", "cue"):
            index = getattr(claim, name)
            if index is not None and not 0 <= index < count:
                problems.append(Problem(file, record.line, f"{where}.{name}", f"names span {index} of {count}"))
        if problems:
            return problems
        content = spans[claim.content]
        if content.label not in claim_labels:
            problems.append(Problem(file, record.line, where,
                                    f"span {content.start}-{content.end} {content.label} is a claim here, but "
                                    f"{quoted(content.label)} is not a claim label in this project"))
            continue
        if claim.content in by_content:
            problems.append(Problem(file, record.line, where,
                                    f"a second claim on span {content.start}-{content.end} {content.label}"))
            continue
        if claim.relation == CLAIMANT_RELATION:
            claim.relation = None  # our own default name for a claimant link, not an imported one
        by_content[claim.content] = claim
    if problems:
        return problems
    for index, span in enumerate(spans):
        if span.label in claim_labels and index not in by_content:
            by_content[index] = ClaimRecord(content=index, field=span.field)
    if not by_content:
        return problems
    kept = []
    for relation in record.relations:
        head_claim = spans[relation.head].label in claim_labels if 0 <= relation.head < count else False
        child_claim = spans[relation.child].label in claim_labels if 0 <= relation.child < count else False
        if head_claim == child_claim:  # claim-claim or neither: a generic relation
            kept.append(relation)
            continue
        content, partner = (relation.head, relation.child) if head_claim else (relation.child, relation.head)
        claim = by_content[content]
        if relation.label == CUE_RELATION:
            if claim.cue is None or claim.cue == partner:
                claim.cue = partner
                continue
        elif claim.claimant in (None, partner) and claim.claimant_text is None:
            claim.claimant = partner
            if relation.label != CLAIMANT_RELATION:
                claim.relation = relation.label
            continue
        kept.append(relation)
        other = spans[partner]
        problems.append(Problem(
            file, record.line, relation.field,
            f"the claim at {spans[content].start}-{spans[content].end} already has a "
            f"{'cue' if relation.label == CUE_RELATION else 'claimant'}; {relation.label} to "
            f"{other.start}-{other.end} {other.label} is kept as a plain relation", "notice"))
    record.relations = kept
    record.claims = [by_content[i] for i in sorted(by_content)]
    return problems


def check_claim_values(
    file: str, record: DocumentRecord, attributes: Sequence[ClaimAttribute]
) -> list[Problem]:
    """Every stated attribute value must fit the scheme; missing ones get the scheme's default.

    Done in place on ``record.claims`` (after ``derive_claims``), like ``create_claim`` does
    for a claim made in the window.
    """
    by_name: Mapping[str, ClaimAttribute] = {a.name: a for a in attributes}
    defaults = {a.name: a.default for a in attributes if a.default is not None}
    problems: list[Problem] = []
    for i, claim in enumerate(record.claims):
        where = claim.field or f"claims[{i}]"
        for name, value in claim.values.items():
            attribute = by_name.get(name)
            fld = f"{where}.{name}"
            if attribute is None:
                known = ", ".join(by_name) or "none"
                problems.append(Problem(file, record.line, fld,
                                        f"there is no claim attribute {quoted(name)} in this project (known: {known})"))
            elif not isinstance(value, str):
                problems.append(Problem(file, record.line, fld, "an attribute value must be text"))
            elif attribute.kind == "choice" and value not in attribute.choices:
                problems.append(Problem(file, record.line, fld,
                                        f"{quoted(value)} is not one of {', '.join(attribute.choices)}"))
        if not problems and defaults:
            claim.values = {**defaults, **claim.values}
    return problems


def claims_from_extras(
    file: str, line: int, fld: str, items: object, spans: list[SpanRecord], text: str,
    state: str = "accepted", annotator: str | None = None, add_content: bool = False,
) -> tuple[list[ClaimRecord], Problem | None]:
    """Claims written by ``core.export.claim_extras`` (Prodigy meta, spaCy user_data), read back.

    Spans are named by offsets and label and matched to ``spans``. A claimant or cue span that
    is not among them (the export left it out: another annotator's span) is added, so the claim
    keeps its partner; its offsets and text are checked like any span's. ``add_content``: the
    content span may be missing too (a DocBin leaves out spans that do not align to tokens).
    """
    if items is None:
        return [], None
    if not isinstance(items, (list, tuple)):  # msgpack (spaCy's user_data) gives tuples
        return [], Problem(file, line, fld, "must be a list of claims")
    # Several annotators may have the same span: a claim's partner is the one of the claim's
    # own annotator when there is one (a span-list format names spans only by offsets and label).
    index: dict[tuple, int] = {}
    for i, s in enumerate(spans):
        index.setdefault((s.start, s.end, s.label), i)
        index.setdefault((s.start, s.end, s.label, s.annotator), i)
    claims: list[ClaimRecord] = []
    for i, item in enumerate(items):
        where = f"{fld}[{i}]"
        if not isinstance(item, dict):
            return [], Problem(file, line, where, "a claim must be an object")
        found: dict[str, int | None] = {}
        owner: list[str | None] = []  # the annotator of the claim's content span, once found
        for role in ("content", "claimant", "cue"):
            ref = item if role == "content" else item.get(role)
            if ref is None:
                found[role] = None
                continue
            position, problem = _span_ref(file, line, where if role == "content" else f"{where}.{role}", ref, spans,
                                          index, text, state, annotator, add=role != "content" or add_content,
                                          prefer=owner)
            if problem:
                return [], problem
            found[role] = position
            if role == "content" and position is not None:
                owner.append(spans[position].annotator)
        claimant_text = item.get("claimant_text")
        relation = item.get("relation")
        values = item.get("attributes") or {}
        for name, value in (("claimant_text", claimant_text), ("relation", relation)):
            if value is not None and not isinstance(value, str):
                return [], Problem(file, line, f"{where}.{name}", "must be text or null")
        if not isinstance(values, dict) or not all(isinstance(k, str) for k in values):
            return [], Problem(file, line, f"{where}.attributes", "must be an object of attribute values")
        content = found["content"]
        assert content is not None
        claims.append(ClaimRecord(content, found["claimant"], claimant_text if found["claimant"] is None else None,
                                  relation, found["cue"], dict(values), where))
    return claims, None


def _span_ref(
    file: str, line: int, fld: str, ref: object, spans: list[SpanRecord], index: dict, text: str,
    state: str, annotator: str | None, *, add: bool, prefer: Sequence[str | None] = (),
) -> tuple[int | None, Problem | None]:
    if not isinstance(ref, dict):
        return None, Problem(file, line, fld, "must be an object with start, end and label")
    start, end, label = ref.get("start"), ref.get("end"), ref.get("label")
    if (problem := check_span_offsets(file, line, fld, start, end, len(text))) is not None:
        return None, problem
    if not isinstance(label, str):
        return None, Problem(file, line, f"{fld}.label", "must be a label name")
    key = (start, end, label)
    if prefer and (*key, prefer[0]) in index:
        return index[(*key, prefer[0])], None
    if key in index:
        return index[key], None
    given = ref.get("text")
    if not add:
        return None, Problem(file, line, fld, f"no span {start}-{end} {label} in this record's spans")
    assert isinstance(start, int) and isinstance(end, int)
    if given is not None and given != text[start:end]:
        return None, Problem(file, line, f"{fld}.text", f"span text {quoted(given)} does not match the document at "
                             f"{start}-{end} ({quoted(text[start:end])})")
    spans.append(SpanRecord(start, end, label, fld, annotator, state))
    index[key] = index[(*key, annotator)] = len(spans) - 1
    return len(spans) - 1, None
