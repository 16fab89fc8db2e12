"""What the export's parts share: options, result, errors, the worker pool and batch feeding."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import gc
import json
import os
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.export import ExportDocument
from ..core.model import DOCUMENT_STATUSES
from ..formats.registry import OFFSET_UNITS, writer_for, writer_names
from ..store.export_reader import ExportReader
from .spawning import spawn_context

Progress = Callable[[int, int, str], None]  # documents done, documents in the export, what is happening
ALIGNMENT_MODES = ("strict", "contract", "expand")
# Worker processes pay for themselves only on big exports and free cores: starting one (spawn,
# loading spaCy) costs 1-2 s, and the pool adds about a quarter more CPU (pickling, two
# tokenizer caches). One process tokenizes and writes about 4 MB of text a second
# (benchmarks/bench_export.py), so below PARALLEL_FROM_BYTES the pool cannot win.
PARALLEL_FROM_BYTES = 20_000_000
MIN_FREE_CORES = 1.5  # with less, the second worker would share its core with other programs
MAX_NOTES = 1000  # kept in the result; the count of the rest is still given
# Texts read ahead for the workers and not yet handled, in characters: 24 batches of news
# articles hold about 36 million; batches of very long texts stop here instead.
HELD_LIMIT = 64_000_000
CANCEL_CHECK_SECONDS = 0.1  # how often Cancel is asked while a worker is awaited


class ExportError(Exception):
    """The export cannot run as asked (bad option, output folder in the way); nothing was written."""


class ExportCancelled(Exception):
    """Cancelled: the output is as it was before the export started."""


@dataclass(frozen=True)
class ExportOptions:
    format: str = "spacy"
    include: tuple[str, ...] = ("done",)  # document statuses; DOCUMENT_STATUSES for all
    annotator: str | None = None  # only this layer (an annotator ref; "" for no annotator); None: the only one
    # spaCy
    dev: float = 0.2  # share of documents in the dev set, by a stable hash of (seed, text)
    seed: int = 0
    alignment: str = "strict"  # strict: misaligned spans are reported and left out
    single_file: bool = False  # train.spacy / dev.spacy as one file each, not folders of shards
    # other formats
    offsets: str = "codepoints"  # "utf16" for doccano and Label Studio (JavaScript string offsets)
    tokens: bool = True  # Prodigy: tokens and token indices
    variant: str = ""  # doccano: "" (label lists), "relations" (entities + relations), "annotations" (1.x)
    raw_cells: bool = False  # csv: no leading ' on cells a spreadsheet would run as formulas
    workers: int | None = None  # None: two worker processes for big exports; 0: all in this process

    def check(self) -> None:
        known = ["spacy", *writer_names()]
        if self.format not in known:
            try:
                writer_for(self.format)  # an alias such as "jsonl"
            except Exception:
                raise ExportError(f"cannot export to {self.format!r}; choose one of {', '.join(known)}") from None
        if not self.include or any(s not in DOCUMENT_STATUSES for s in self.include):
            raise ExportError(f"--include takes {', '.join(DOCUMENT_STATUSES)} (any list) or all")
        if not 0 <= self.dev < 1:
            raise ExportError(f"--dev must be at least 0 and below 1, got {self.dev}")
        if self.alignment not in ALIGNMENT_MODES:
            raise ExportError(f"--alignment must be one of {', '.join(ALIGNMENT_MODES)}")
        if self.offsets not in OFFSET_UNITS:
            raise ExportError(f"--offsets must be one of {', '.join(OFFSET_UNITS)}")
        if not self.tokens and self.writer_name != "prodigy":
            raise ExportError("--no-tokens only applies to the prodigy format")
        if self.variant and (self.writer_name != "doccano" or self.variant not in ("relations", "annotations")):
            raise ExportError("--variant applies to doccano: 'relations' (entities + relations) or 'annotations' "
                              "(doccano 1.x, each annotator's spans)")

    @property
    def writer_name(self) -> str:
        return "spacy" if self.format == "spacy" else writer_for(self.format).name


@dataclass
class ExportResult:
    """What an export wrote and found. ``summary`` is JSON-ready (saved as summary.json for spaCy)."""

    format: str
    output: Path
    files: list[Path] = field(default_factory=list)
    documents: int = 0
    summary: dict[str, Any] = field(default_factory=dict)
    issues: list[Any] = field(default_factory=list)  # spaCy: nlp.docbin.AlignmentIssue, one per span
    notes: list[str] = field(default_factory=list)  # other formats: what could not be written as it is
    notes_not_shown: int = 0
    seconds: float = 0.0
    text: str = ""  # the human summary, as printed and saved
    workers: int = 0  # worker processes used (0: all in this process); not in the summary: it depends on the load


def choose_workers(options: ExportOptions, reader: ExportReader) -> int:
    """``options.workers`` when given; else ``auto_workers`` for the selection's size."""
    if options.workers is not None:
        return max(0, options.workers)
    return auto_workers(reader.text_bytes())


def choose_token_workers(options: ExportOptions, reader: ExportReader) -> int:
    """Tokenizing workers for a format with tokens (Prodigy, CoNLL): ``options.workers`` when
    given; else one when ``auto_workers`` would run a pool. One is enough: this process
    reads, encodes and writes meanwhile, which takes about as long as the tokenizing."""
    if options.workers is not None:
        return max(0, options.workers)
    return min(1, auto_workers(reader.text_bytes()))


def free_cores() -> tuple[int, float]:
    """(cores this process may run on, how many of them are free).

    Free: what the CPU counters show idle over 50 ms (10 ticks of 2 cores), where the system has them
    (Linux); else what the 1-minute load average leaves. Why not the load average alone: it
    counts this program's own recent work for a minute after it ends, so an export started
    right after another one (or after the window tokenized a long article) saw a busy
    machine on a quiet one and ran in one process.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    idle = idle_cores()
    if idle is not None:
        return cores, min(float(cores), idle)
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows
        return cores, float(cores)
    return cores, max(0.0, cores - load)


def idle_cores(seconds: float = 0.05, stat: Path = Path("/proc/stat")) -> float | None:
    """How many cores were idle over ``seconds`` (the kernel's counters: idle and waiting for
    the disk), or None where there are no such counters."""

    def sample() -> tuple[int, int, int]:
        lines = stat.read_text().splitlines()
        fields = [int(value) for value in lines[0].split()[1:9]]  # user nice system idle iowait irq softirq steal
        cpus = sum(1 for line in lines[1:] if line.startswith("cpu"))
        return sum(fields), fields[3] + fields[4], cpus

    try:
        total, idle, cpus = sample()
        time.sleep(seconds)
        total_after, idle_after, _ = sample()
    except (OSError, ValueError, IndexError):
        return None
    if total_after <= total or not cpus:
        return None
    return cpus * (idle_after - idle) / (total_after - total)


def auto_workers(text_bytes: int, cores: tuple[int, float] | None = None) -> int:
    """Worker processes for an export of ``text_bytes`` of text: 0 (all in this process) unless
    the export is big and at least two cores are free; then one per free core.

    Why not always two: on a busy machine two workers and this process fight over the cores
    other programs use, and the pool's extra CPU makes the export slower than one process.
    """
    if text_bytes < PARALLEL_FROM_BYTES:
        return 0
    available, free = cores if cores is not None else free_cores()
    if free < MIN_FREE_CORES:
        return 0
    workers = min(available, int(free + 0.5))  # one per free core, a core 50 % free counting
    return workers if workers >= 2 else 0  # one worker beside this process only adds the pool's cost


def pool(workers: int, language: str) -> cf.ProcessPoolExecutor:
    """Spawned, not forked: exports run from a thread of the window, and forking a threaded
    process can deadlock. Each worker loads spaCy once, before its first batch."""
    from ..nlp.docbin import warm_up

    executor = cf.ProcessPoolExecutor(workers, mp_context=spawn_context(),
                                      initializer=warm_up, initargs=(language,))
    for _ in range(workers):  # each starts now, not at the first batch: loading spaCy takes a second
        executor.submit(int)
    return executor


def run_batches(batches: Iterator[list[ExportDocument]], submit: Callable[[list[ExportDocument]], Any],
                executor: cf.Executor | None, handle: Callable[[list[ExportDocument], Any], None],
                cancelled: Callable[[], bool], workers: int, ahead: int = 2, held_limit: int = HELD_LIMIT) -> None:
    """Feed batches to the pool and hand each result to ``handle`` in the order the batches
    were read: as soon as the oldest is done, else once ``ahead`` per worker are in flight or
    their texts reach ``held_limit`` characters (memory stays bounded however long the
    articles). While the workers start (spaCy loads in each: about a second) this process
    reads ahead instead of waiting. Cancel is honoured while waiting for a worker too."""
    if executor is None:
        for batch in batches:
            if cancelled():
                raise ExportCancelled
            handle(batch, submit(batch))
        return
    pending: deque[tuple[list[ExportDocument], cf.Future, int]] = deque()
    held = 0
    try:
        for batch in batches:
            if cancelled():
                raise ExportCancelled
            size = sum(len(doc.text) for doc in batch)
            pending.append((batch, submit(batch), size))
            held += size
            while pending and (pending[0][1].done() or len(pending) >= ahead * workers or held >= held_limit):
                done_batch, future, size = pending.popleft()
                handle(done_batch, _result(future, cancelled))
                held -= size
                if cancelled():
                    raise ExportCancelled
        while pending:
            done_batch, future, _size = pending.popleft()
            handle(done_batch, _result(future, cancelled))
    finally:
        for _, future, _size in pending:
            future.cancel()


def _result(future: cf.Future, cancelled: Callable[[], bool]) -> Any:
    """The future's result, asking ``cancelled`` every ``CANCEL_CHECK_SECONDS`` meanwhile (a
    worker may be loading spaCy for seconds before it answers)."""
    while not future.done():
        if cancelled():
            raise ExportCancelled
        cf.wait([future], timeout=CANCEL_CHECK_SECONDS)
    return future.result()


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """While an export runs, the objects that were alive before it (spaCy's vocabulary, a
    window's widgets) are left out of the garbage collector's passes (``gc.freeze``).

    Why: an export makes millions of short-lived objects (spans, dicts, byte strings), so the
    collector runs often, and each full pass walked the whole heap again: 6 % of a Prodigy
    export's instructions (callgrind, 1,000 documents). Nothing is leaked: ``gc.unfreeze`` at
    the end hands them back to the collector.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def staging_folder(output: Path) -> Path:
    """A fresh folder beside the output, on the same file system, so the finished export
    moves into place with renames."""
    parent = output.parent if output.suffix or not output.is_dir() else output
    folder = parent / f".annotator-export-{uuid.uuid4().hex[:12]}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir()
    except OSError as exc:
        # Name the folder the user chose, not the hidden one the export works in.
        raise ExportError(f"cannot write into {parent} ({exc.strerror or exc}); nothing was written. "
                          "Choose a folder you can write to (one on a disk that is not full or read-only)") from exc
    return folder



def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
