"""Which spans can be a claim's claimant or cue, nearest first; which span a selection means.

Functions of the shown spans (``text.span_index``) and the scheme; no widgets, no store.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...core.model import Claim, Label, Span
from ..text.span_index import CLAIM_LAYER, ShownSpan
from .span_chooser import Candidate

# Entity types that name amounts and times, never who said something: listed last as claimants.
NOT_CLAIMANTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"})


def role_labels(labels: Sequence[Label]) -> tuple[str | None, str | None]:
    """The role labels new claimant and cue spans get: SOURCE and CUE by name, else the
    scheme's first role labels."""
    roles = [label.name for label in labels if label.kind == "role"]
    cue = next((n for n in roles if n.upper() == "CUE"), roles[0] if roles else None)
    source = next((n for n in roles if n.upper() == "SOURCE"), next((n for n in roles if n != cue), cue))
    return source, cue


def distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters between two ranges (0 when they touch or overlap)."""
    return max(0, max(a_start, b_start) - min(a_end, b_end))


def candidates(claim: Claim, shown: Sequence[ShownSpan], labels: Sequence[Label], role: str) -> list[Candidate]:
    """Spans that can be the claimant (entities and source phrases) or cue (role spans),
    nearest to the claim first; a name that occurs again further away is listed once.

    Spans inside the claim come after those around it, and dates, amounts and numbers
    after names (a claim is rarely made by its own words or by "Tuesday").
    """
    _source, cue_label = role_labels(labels)
    colors = {label.name: label.color for label in labels}
    content = claim.content
    found: list[tuple[tuple[bool, bool, int, int], Candidate]] = []
    for item in shown:
        span = item.span
        if item.layer == CLAIM_LAYER or item.suggested or span.id == content.id:
            continue
        if role == "claimant" and span.label == cue_label:
            continue
        if role == "cue" and item.kind != "role":
            continue
        where = "inside" if content.start <= span.start and span.end <= content.end else \
            "before" if span.end <= content.start else "after"
        rank = (where == "inside", role == "claimant" and span.label.upper() in NOT_CLAIMANTS,
                distance(content.start, content.end, span.start, span.end), span.start)
        assert span.id is not None
        found.append((rank, Candidate(span.id, span.text, span.label, where, colors.get(span.label, "#999999"))))
    found.sort(key=lambda item: item[0])
    result, seen = [], set()
    for _rank, candidate in found:
        name = (" ".join(candidate.text.split()).casefold(), candidate.label)
        if name not in seen:
            seen.add(name)
            result.append(candidate)
    return result


def span_for_range(shown: Sequence[ShownSpan], start: int, end: int) -> Span | None:
    """The span the user meant by selecting start-end: one with exactly that range, else the
    smallest one around it (never a claim's content)."""
    spans = [s.span for s in shown if s.layer != CLAIM_LAYER and not s.suggested]
    exact = [s for s in spans if (s.start, s.end) == (start, end)]
    if exact:
        return exact[0]
    around = [s for s in spans if s.start <= start and end <= s.end]
    return min(around, key=lambda s: s.end - s.start) if around else None
