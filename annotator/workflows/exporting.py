"""Export a project: spaCy training data (DocBin shards + config.cfg) or another tool's format.

``export_project(project, output, options, progress, cancelled)`` is the one entry point, for
the command line and for the window (which runs it on a worker thread with a Project of its
own, like the import). It reads the selection in batches (store.export_reader), hands the
batches to worker processes when the work is heavy and cores are free (spaCy: tokenizing and
serialising shards; the formats with tokens: tokenizing only, this process encoding), and writes everything into a staging folder first: a cancelled or failed export
leaves the output as it was.

Nothing is dropped silently: spans spaCy cannot align, overlapping entities, spans a format
cannot hold are all in ``ExportResult.issues`` / ``notes`` and in the printed summary.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.export import ExportDocument
from ..core.team import GOLD_NAME, GOLD_UUID, UNATTRIBUTED_TITLE, Layer
from ..formats.registry import WriteOptions, piece_bytes, writer_for, writer_names
from ..store.export_reader import ExportReader, ExportSelection
from ..store.project import Project
from .export_common import (
    MAX_NOTES, ExportCancelled, ExportError, ExportOptions, ExportResult, Progress, choose_token_workers, choose_workers,
    frozen_heap, pool, run_batches, staging_folder,
)
from .export_spacy import export_spacy
from .export_summary import count_documents, label_summary, writer_text
from .export_workers import Packed, encode_batch, texts_to_tokenize, tokenize_texts, tokens_of

# Per tokenizing worker: batches read ahead while it starts (250 documents, at most 4 million
# characters each), so this process has work when the tokens come: 1.5 MB of text and its
# spans per batch of news articles.
TOKEN_BATCHES_AHEAD = 24

__all__ = ["ExportCancelled", "ExportError", "ExportFormat", "ExportOptions", "ExportResult", "Progress",
           "export_format_info", "export_formats", "export_project"]


def export_formats() -> list[str]:
    """Every ``--format`` the export knows, spaCy first."""
    return ["spacy", *writer_names()]


@dataclass(frozen=True)
class ExportFormat:
    """What an export dialog needs to offer a format: a folder or a file (with its suffix)."""

    name: str
    description: str
    folder: bool
    suffix: str = ""  # for a file: the usual suffix, e.g. ".jsonl"
    options: tuple[str, ...] = ()  # the ExportOptions fields that apply beyond include/annotator


def export_format_info() -> list[ExportFormat]:
    info = [ExportFormat("spacy", "spaCy training data: DocBin shards, config.cfg, summary", True, "",
                         ("dev", "seed", "alignment", "single_file"))]
    extra = {"prodigy": ("tokens",), "doccano": ("offsets", "variant"), "labelstudio": ("offsets",),
             "webanno": ("offsets",)}
    for name in writer_names():
        writer = writer_for(name)
        info.append(ExportFormat(name, writer.description, writer.to_folder, writer.suffix, extra.get(name, ())))
    return info


def export_project(
    project: Project, output: str | Path, options: ExportOptions = ExportOptions(),
    progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False,
) -> ExportResult:
    """Export the selection to ``output`` (a folder for spaCy, brat and csv, else a file).

    Raises ExportError before writing anything when an option or the output is wrong,
    ExportCancelled (output unchanged) when ``cancelled()`` turns true.
    """
    options.check()
    started = time.perf_counter()
    output = Path(output)
    try:
        reader = ExportReader(project, _selection(project, options))
    except ExportError:
        raise
    except Exception as exc:  # an unknown annotator, a bad status: the store says which
        raise ExportError(str(exc)) from exc
    report = progress or (lambda done, total, message: None)
    if options.writer_name == "spacy":
        result = export_spacy(project, reader, output, options, report, cancelled, choose_workers(options, reader))
    else:
        result = _export_with_writer(project, reader, output, options, report, cancelled)
    result.seconds = time.perf_counter() - started
    result.summary["seconds"] = round(result.seconds, 2)
    return result


def keeps_layers_apart(options: ExportOptions) -> bool:
    """Formats that write each annotator's annotation on its own (Label Studio's annotation per
    ``completed_by``, doccano 1.x's ``user`` per span) may carry every layer at once."""
    return options.format == "labelstudio" or (options.format == "doccano" and options.variant == "annotations")


def _selection(project: Project, options: ExportOptions) -> ExportSelection:
    """One layer: the one asked for (``gold`` is the reviewed gold layer), the gold layer when
    the project has one, or the only one there is. Several layers and no choice is refused,
    naming them: one training set never mixes annotators. A format that keeps annotators
    apart takes every layer (documents chosen by the project's own status)."""
    suggestions = options.writer_name != "spacy" and writer_for(options.format).suggestions
    include = tuple(options.include)
    gold = project.gold_annotator()
    if options.annotator == GOLD_NAME or (gold is not None and options.annotator in (gold.uuid, gold.ref)):
        if gold is None:
            raise ExportError("this project has no gold layer yet: review it first (annotator review, or View > "
                              "Review in the window)")
        return ExportSelection(include, gold.uuid, suggestions=suggestions, layer=GOLD_NAME)
    if options.annotator is not None:
        title = options.annotator or UNATTRIBUTED_TITLE
        return ExportSelection(include, options.annotator, suggestions=suggestions, layer=title)
    if keeps_layers_apart(options):
        return ExportSelection(include, None, suggestions=suggestions, layer="all layers")
    if gold is not None and project.has_gold_layer():
        return ExportSelection(include, gold.uuid, suggestions=suggestions, layer=GOLD_NAME)
    holders = [a for a in project.layer_holders() if a is None or a.uuid != GOLD_UUID]
    if len(holders) > 1:  # the counts only for the message
        layers = [layer for layer in project.layers() if layer.annotator is None or layer.annotator.uuid != GOLD_UUID]
        listed = "; ".join(f"{layer.title} ({layer.spans:,} spans, {layer.doc_labels:,} document labels)"
                           for layer in layers)
        nobody = "; --annotator '' for the one with no annotator" if any(not layer.annotator for layer in layers) else ""
        raise ExportError(f"this project holds {len(layers)} annotators' layers: {listed}. Export one of them "
                          f"(--annotator NAME{nobody}) rather than mix annotators in one training set, or review "
                          "them into a gold layer (annotator review)")
    only = holders[0] if holders else None
    return ExportSelection(include, None, suggestions=suggestions, status_of=only.uuid if only else None,
                           layer=Layer(only).title if holders else "")


# ------------------------------------------------------------------ other formats
class _Sink:
    """Appends a writer's pieces (UTF-8 bytes, export_workers.encode_batch) to the files of a
    staging folder; written as bytes, so nothing translates line ends."""

    def __init__(self, staging: Path, writer: Any, options: WriteOptions) -> None:
        self.staging = staging
        self.writer = writer
        self.main = staging / "output"
        self.handles: dict[str, Any] = {}
        self.written: list[str] = []
        self.first = True
        if not writer.to_folder:
            self.handles[""] = self.main.open("wb")
        for name, text in writer.start(options):
            self._handle(name).write(piece_bytes(text))

    def _handle(self, name: str) -> Any:
        if name not in self.handles:
            path = self._path(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.handles[name] = path.open("wb")
            self.written.append(name)
        return self.handles[name]

    def _path(self, name: str) -> Path:
        if not name:
            return self.main
        path = (self.staging / "files" / name)
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise ValueError(f"a writer named a file outside the output: {name!r}")
        return path

    def add(self, pieces: list[tuple[str, bytes]]) -> None:
        if self.writer.separator and not self.first:
            self.handles[""].write(self.writer.separator.encode("utf-8"))
        self.first = False
        for name, data in pieces:
            if name in self.handles:
                self.handles[name].write(data)
            else:  # a file of its own (brat's .txt and .ann): written whole, byte-exact
                path = self._path(name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                self.written.append(name)

    def close(self, options: WriteOptions) -> None:
        for name, text in self.writer.end(options):
            self._handle(name).write(piece_bytes(text))
        self.abandon()

    def abandon(self) -> None:
        for handle in self.handles.values():
            handle.close()


def _export_with_writer(project: Project, reader: ExportReader, output: Path, options: ExportOptions,
                        progress: Progress, cancelled: Callable[[], bool]) -> ExportResult:
    writer = writer_for(options.format)
    if writer.to_folder and output.exists() and not output.is_dir():
        raise ExportError(f"{output}: {writer.name} writes a folder, and a file of that name is in the way")
    if not writer.to_folder and output.is_dir():
        raise ExportError(f"{output} is a folder; {writer.name} writes one file, e.g. "
                          f"{output / ('export' + writer.suffix)}")
    scheme = project.scheme()
    write_options = WriteOptions(scheme=scheme, offsets=options.offsets, tokens=options.tokens, variant=options.variant,
                                 raw_cells=options.raw_cells)
    fill_tokens = writer.needs_tokens and options.tokens
    # The project's language as it is: the tokenizer falls back to spaCy's multi-language one
    # itself (nlp.tokens), so the main process never loads spaCy for these formats.
    language = scheme.language if fill_tokens else None
    total = reader.count()
    workers = choose_token_workers(options, reader) if fill_tokens else 0
    result = ExportResult(writer.name, output)
    kinds = {label.name: label.kind for label in scheme.labels}
    counts: Counter = Counter()
    labels: dict[str, Counter] = {}
    staging = staging_folder(output)
    sink: _Sink | None = None
    executor = pool(workers, language or scheme.language) if workers else None
    done = 0
    try:
        sink = _Sink(staging, writer, write_options)

        def encode(batch: list[ExportDocument], columns: Any) -> list[Packed]:
            """The batch encoded here; ``columns``: its tokens from a worker (None: tokenize here)."""
            return encode_batch(writer.name, batch, write_options, language,
                                None if columns is None else tokens_of(columns, texts_to_tokenize(batch)))

        def write(batch: list[ExportDocument], encoded: list[Packed]) -> None:
            nonlocal done
            for pieces, notes in encoded:
                sink.add(pieces)
                for note in notes:
                    if len(result.notes) < MAX_NOTES:
                        result.notes.append(note)
                    else:
                        result.notes_not_shown += 1
            count_documents(batch, kinds, counts, labels)
            done += len(batch)
            progress(done, total, f"{done} of {total} documents written")

        def submit(batch: list[ExportDocument]) -> Any:
            if executor is None:
                return encode(batch, None)
            # The worker tokenizes; this process encodes once the tokens are back (export_workers).
            return executor.submit(tokenize_texts, texts_to_tokenize(batch), language)

        def handle(batch: list[ExportDocument], made: Any) -> None:
            write(batch, made if executor is None else encode(batch, made))

        with frozen_heap():
            # A tokenizing worker is slower to start (spaCy loads) than this process reads: the
            # batches read ahead meanwhile keep both busy once it is up.
            run_batches(reader.batches(), submit, executor, handle, cancelled, workers, ahead=TOKEN_BATCHES_AHEAD)
        sink.close(write_options)
    except BaseException:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        if sink is not None:
            sink.abandon()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if executor is not None:
        executor.shutdown(wait=True)
    result.files = _move_into_place(staging, output, writer, sink)
    result.documents = done
    result.summary = {"format": writer.name, "output": str(output), "documents": done,
                      **label_summary(counts, labels),
                      "selection": {"include": list(options.include), "annotator": options.annotator,
                                    "layer": reader.selection.layer},
                      "notes": len(result.notes) + result.notes_not_shown}
    result.workers = workers
    result.text = writer_text(result)
    return result


def _move_into_place(staging: Path, output: Path, writer: Any, sink: _Sink) -> list[Path]:
    try:
        if not writer.to_folder:
            output.parent.mkdir(parents=True, exist_ok=True)
            os.replace(sink.main, output)
            return [output]
        output.mkdir(parents=True, exist_ok=True)
        files = []
        for name in sink.written:
            target = output / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / "files" / name, target)
            files.append(target)
        return files
    finally:
        shutil.rmtree(staging, ignore_errors=True)
