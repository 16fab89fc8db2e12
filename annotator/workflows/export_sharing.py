"""How a token export (Prodigy, CoNLL) shares its batches between this process and its
tokenizing worker(s), and how much it holds in memory meanwhile.

The worker only tokenizes; this process reads every batch, encodes it once its tokens are
back, and writes it, in the order the batches were read. Two things made the worker wait
for this process or this process wait for the worker (benchmarks/bench_export.py, 10,000
articles):

- while the worker starts (spawn, then spaCy loads: a second or more), this process had
  nothing to do but read ahead;
- afterwards the worker tokenizes a batch in about the time this process encodes one, so
  whichever is slower on the day leaves the other waiting.

So when this process has spaCy's tokenizer loaded already (the window, which snaps
selections with it; a script that used it), it tokenizes and encodes whole batches itself
whenever it would otherwise wait, and keeps the worker fed with a few batches only (what is
queued for the worker cannot be taken back). Without the tokenizer loaded it never loads it
for this: loading costs about what the waiting does on a big export. Then the worker is fed
as far ahead as the memory bound allows, as before.

Memory: the batches read and not yet written are bounded by count (``ahead``) and by size
(``held_limit``: their texts' characters plus the bytes encoded here and not yet written),
so articles of millions of characters do not pile up while the worker starts.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..core.export import ExportDocument
from .export_common import ExportCancelled
from .export_workers import Packed

HELD_LIMIT = 64_000_000  # characters of text read ahead + bytes encoded here, not yet written
FEED_WHEN_SHARING = 3  # batches queued per worker when this process can tokenize too
CANCEL_CHECK_SECONDS = 0.1


@dataclass
class _Slot:
    """A batch read, in reading order: sent to a worker (``future``: its token columns) or
    encoded here (``encoded``), or neither yet."""

    batch: list[ExportDocument]
    size: int
    future: cf.Future | None = None
    encoded: list[Packed] | None = None

    def ready(self) -> bool:
        return self.encoded is not None or (self.future is not None and self.future.done())

    def assigned(self) -> bool:
        return self.encoded is not None or self.future is not None

    def held(self) -> int:
        made = sum(len(piece) for pieces, _ in self.encoded for _, piece in pieces) if self.encoded else 0
        return self.size + made


def share_batches(batches: Iterator[list[ExportDocument]], *, submit: Callable[[list[ExportDocument]], cf.Future],
                  encode: Callable[[list[ExportDocument], Any], list[Packed]],
                  write: Callable[[list[ExportDocument], list[Packed]], None], cancelled: Callable[[], bool],
                  workers: int, tokenize_here: bool, ahead: int, held_limit: int = HELD_LIMIT) -> None:
    """Read ``batches``, have each tokenized by a worker (``submit``) or here, encode it
    (``encode(batch, columns)``; columns None: tokenize here too) and ``write`` it, in order.

    ``tokenize_here``: this process may tokenize batches itself when it would otherwise wait."""
    order: deque[_Slot] = deque()
    reading = iter(batches)
    exhausted = False
    feed = FEED_WHEN_SHARING * workers if tokenize_here else ahead * workers
    held = 0

    def read_one() -> _Slot | None:
        nonlocal exhausted, held
        if exhausted or len(order) >= max(ahead * workers, feed + 1) or (order and held >= held_limit):
            return None
        batch = next(reading, None)
        if batch is None:
            exhausted = True
            return None
        slot = _Slot(batch, sum(len(doc.text) for doc in batch))
        order.append(slot)
        held += slot.size
        return slot

    try:
        while order or not exhausted:
            if cancelled():
                raise ExportCancelled
            if order and order[0].ready():  # the oldest first: it is what the output waits for
                slot = order.popleft()
                encoded = slot.encoded if slot.encoded is not None else encode(slot.batch, slot.future.result())
                held -= slot.held()
                write(slot.batch, encoded)
                continue
            waiting = next((slot for slot in order if not slot.assigned()), None)
            if sum(1 for slot in order if slot.future is not None and not slot.future.done()) < feed:
                waiting = waiting or read_one()
                if waiting is not None:
                    waiting.future = submit(waiting.batch)
                    continue
            if tokenize_here:
                waiting = waiting or read_one()
                if waiting is not None:
                    waiting.encoded = encode(waiting.batch, None)
                    held += waiting.held() - waiting.size
                    continue
            if not order:
                continue  # the last batch was read just now: nothing is left
            if order[0].future is None:  # nothing sent and nothing to do here: cannot happen
                raise RuntimeError("a batch was neither sent to a worker nor encoded")
            cf.wait([order[0].future], timeout=CANCEL_CHECK_SECONDS)  # Cancel is honoured while waiting too
    finally:
        for slot in order:
            if slot.future is not None:
                slot.future.cancel()
