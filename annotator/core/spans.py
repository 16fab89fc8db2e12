"""The rules a span must keep with its neighbours, independent of storage and widgets."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Span


def find_conflict(
    nearby: Iterable[tuple[Span, str]], start: int, end: int, label: str, kind: str, state: str,
    *, allow_overlap: bool, ignore_id: int | None = None,
) -> str | None:
    """Why a span ``start``-``end`` ``label`` (of label ``kind``) cannot join ``nearby``, or None.

    ``nearby`` holds the document's non-rejected spans that overlap the range, with the kind
    of their label. Refused: the same range and label twice (in any state), and, in the
    entity layer (NER) unless overlaps are allowed, an entity overlapping an accepted entity.
    A suggestion may overlap another suggestion: they compete until one is accepted.
    """
    for span, other_kind in nearby:
        if span.id is not None and span.id == ignore_id:
            continue
        if not (span.start < end and start < span.end):
            continue
        if (span.start, span.end, span.label) == (start, end, label):
            what = "a suggestion" if span.state == "suggested" else "tagged"
            return f"{_quote(span.text)} is already {what} {label}"
        if allow_overlap or kind != "entity" or other_kind != "entity" or span.state != "accepted":
            continue
        return (f"entity spans may not overlap: this would overlap {span.label} {_quote(span.text)} "
                f"({span.start}-{span.end}); remove it first, or allow overlapping spans in the project")
    return None


def _quote(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"
