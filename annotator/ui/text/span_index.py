"""The spans of the shown document, in Qt positions, bucketed by text block.

The article never changes while it is shown (it is read-only), so block boundaries are fixed
and each span is filed under the blocks it touches once. Painting and the highlighter then
ask for one block's spans; an edit touches only the buckets of the changed span, which is
what keeps adding a span to a document with thousands of them a local repaint.

Each span gets a ``level`` per block within its layer: overlapping spans of a layer get
different levels (greedy interval colouring), so nested and overlapping spans are drawn
inset from each other instead of on top of each other.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from ...core.model import Span
from ..common.offsets import OffsetMap

ENTITY_LAYER = "entity"  # entity and role labels: filled boxes
CLAIM_LAYER = "claim"  # claim labels: drawn as underlines (a later claims view may take this layer over)


def layer_of(kind: str) -> str:
    return CLAIM_LAYER if kind == "claim" else ENTITY_LAYER


@dataclass(slots=True)
class ShownSpan:
    span: Span
    kind: str
    qs: int  # Qt position of the start
    qe: int  # Qt position of the end
    rtl: bool  # right-to-left text: its tag sits over its right end (where it starts)

    @property
    def id(self) -> int:
        assert self.span.id is not None
        return self.span.id

    @property
    def layer(self) -> str:
        return layer_of(self.kind)

    @property
    def suggested(self) -> bool:
        return self.span.state == "suggested"


class SpanIndex:
    def __init__(self, offsets: OffsetMap, block_starts: list[int], text: str = ""):
        self.offsets = offsets
        self.text = text
        self._starts = block_starts  # Qt position of each block, in order
        self._by_id: dict[int, ShownSpan] = {}
        self._by_block: dict[int, list[ShownSpan]] = {}
        self._levels: dict[int, dict[int, int]] = {}  # block -> span id -> level (cached)

    # ------------------------------------------------------------------ filling
    def set_spans(self, spans: Iterable[Span], kinds: dict[str, str]) -> None:
        self._by_id.clear()
        self._by_block.clear()
        self._levels.clear()
        for span in spans:
            self._file(span, kinds.get(span.label, "entity"), sort=False)
        for bucket in self._by_block.values():
            bucket.sort(key=_order)

    def put(self, span: Span, kind: str) -> set[int]:
        """Add or replace a span (rejected ones are dropped); returns the blocks to redraw."""
        blocks = self.remove(span.id) if span.id in self._by_id else set()
        shown = self._file(span, kind)
        if shown is not None:
            blocks |= set(self.blocks_of(shown))
        return blocks

    def remove(self, span_id: int | None) -> set[int]:
        shown = self._by_id.pop(span_id, None) if span_id is not None else None
        if shown is None:
            return set()
        blocks = set(self.blocks_of(shown))
        for block in blocks:
            bucket = self._by_block.get(block, [])
            bucket[:] = [s for s in bucket if s.span.id != span_id]
            self._levels.pop(block, None)
        return blocks

    def _file(self, span: Span, kind: str, *, sort: bool = True) -> ShownSpan | None:
        if span.state == "rejected" or span.id is None:
            return None
        start, end = span.start, span.end
        if not 0 <= start < end <= self.offsets.length:
            return None  # stale beyond the text: reported by the window, never drawn
        offsets = self.offsets
        if offsets.identity:  # plain BMP text without CRLF: positions are offsets
            qs, qe = start, end
        else:
            qs, qe = offsets.to_qt(start), offsets.to_qt(end)
        text = self.text
        shown = ShownSpan(span, kind, qs, qe, bool(text) and not text[start:end].isascii() and is_rtl(text[start:end]))
        self._by_id[span.id] = shown
        starts = self._starts
        first = bisect_right(starts, qs) - 1
        final = bisect_right(starts, max(qs, qe - 1)) - 1
        by_block, levels = self._by_block, self._levels
        for block in range(max(0, first), max(0, final) + 1):
            bucket = by_block.get(block)
            if bucket is None:
                by_block[block] = [shown]
            else:
                bucket.append(shown)
                if sort:
                    bucket.sort(key=_order)
            levels.pop(block, None)
        return shown

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._by_id

    def get(self, span_id: int) -> ShownSpan | None:
        return self._by_id.get(span_id)

    def all(self) -> list[ShownSpan]:
        return sorted(self._by_id.values(), key=_order)

    def block_of(self, position: int) -> int:
        return max(0, bisect_right(self._starts, position) - 1)

    def blocks_of(self, shown: ShownSpan) -> set[int] | range:
        first = self.block_of(shown.qs)
        last = self.block_of(max(shown.qs, shown.qe - 1))
        return range(first, last + 1)

    def in_block(self, block: int) -> list[ShownSpan]:
        return self._by_block.get(block, [])

    def at(self, position: int) -> list[ShownSpan]:
        """Spans covering Qt ``position`` (the character after it), innermost last."""
        return [s for s in self.in_block(self.block_of(position)) if s.qs <= position < s.qe]

    def level(self, block: int, shown: ShownSpan) -> int:
        levels = self._levels.get(block)
        if levels is None:
            levels = self._levels[block] = _assign_levels(self.in_block(block))
        return levels.get(shown.id, 0)

    def max_level(self, block: int) -> int:
        if not self.in_block(block):
            return 0
        self.level(block, self.in_block(block)[0])
        return max(self._levels[block].values(), default=0)


def is_rtl(text: str) -> bool:
    """Whether a span reads right to left: it has strong RTL letters and no strong LTR ones."""
    if text.isascii():
        return False
    kinds = {unicodedata.bidirectional(c) for c in text}
    return bool(kinds & {"R", "AL"}) and "L" not in kinds


def _order(shown: ShownSpan) -> tuple[int, int, int]:
    # Outer spans before the spans nested in them, then by id for a stable order.
    return shown.qs, -shown.qe, shown.id


def _assign_levels(spans: list[ShownSpan]) -> dict[int, int]:
    levels: dict[int, int] = {}
    for layer in (ENTITY_LAYER, CLAIM_LAYER):
        active: list[tuple[int, int]] = []  # (end, level) of spans still open
        for shown in spans:  # sorted by start, outer first
            if shown.layer != layer:
                continue
            active = [(end, lvl) for end, lvl in active if end > shown.qs]
            used = {lvl for _, lvl in active}
            level = next(i for i in range(len(used) + 1) if i not in used)
            levels[shown.id] = level
            active.append((shown.qe, level))
    return levels
