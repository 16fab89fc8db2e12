"""The registry of file formats: a name, how to recognise a file, a reader and a writer.

Each reader is a generator ``read(path, options)`` yielding ``DocumentRecord`` for good
records and ``Problem`` for bad ones (never raising for a bad record, so the caller can
refuse the file or skip the record), and ``SchemeHints`` when a file declares its scheme
(brat's annotation.conf), before the records. A whole-file fault raises ``InputError``.
Whatever else a reader raises (a field of an unexpected type that slipped past its checks) is
turned into an ``InputError`` naming file, line and field by ``guard_reader``, which
``register`` puts around every reader: a reader bug refuses one file, never ends in a
traceback.

Each writer turns one ``ExportDocument`` into pieces of text, ``encode(doc, options) ->
Encoded([(file, text), ...], notes)`` ("" is the output file itself, any other name a file
in the output folder; notes say what could not be written as it is). Writers never open
files: the export workflow appends the pieces, so the same writer runs in the GUI thread,
in a worker process, or in a test that just looks at text. A writer whose work per document
shares well over many (Prodigy's tokens) also has ``encode_many(docs, options)``, which the
export calls with each batch; it gives what ``encode`` gives for each document.
The spaCy DocBin format needs spaCy, which formats may not import: its reader is registered
by annotator.workflows.nlp_formats, and its export is annotator.nlp.docbin's.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from ..core.export import ExportDocument
from ..core.model import Scheme
from ..core.problems import InputError, Problem
from ..core.records import DocumentRecord, SchemeHints
from ..core.textutil import QUOTE_LIMIT, path_text, quoted

RecordStream = Iterator[DocumentRecord | Problem | SchemeHints]


@dataclass(frozen=True)
class ReadOptions:
    text_column: str = "text"
    title_column: str | None = None  # None: use a column named "title" when there is one
    delimiter: str | None = None  # None: tab for .tsv/.tab, comma otherwise
    # "utf16": the file's character offsets count UTF-16 units (JavaScript tools: doccano,
    # Label Studio) and are converted; "codepoints" (default) takes them as they are and
    # reports a span whose given text does not match.
    offsets: str = "codepoints"
    tag_map: tuple[tuple[str, str], ...] = ()  # CoNLL: (tag in the file, label in the project)
    # Plain text: the title is the first line when it looks like a headline ("auto"), or always
    # the "first-line", or the "filename" (formats/plain_text.py).
    title_from: str = "auto"
    label_map: tuple[tuple[str, str], ...] = ()  # doccano 1.x: (label id in the file, label name)


OFFSET_UNITS = ("codepoints", "utf16")


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, ReadOptions], RecordStream]
    # For a suffix several formats share (.jsonl, .json): does this head of the file
    # (first bytes, decoded leniently) look like this format? Asked in registration order.
    sniff: Callable[[str], bool] | None = None


@dataclass(frozen=True)
class WriteOptions:
    scheme: Scheme = Scheme()  # label kinds and claim attributes of the project
    offsets: str = "codepoints"  # "utf16" for doccano and Label Studio, on request
    tokens: bool = True  # Prodigy: write ``tokens`` and token indices (needs spaCy's tokenizer)
    variant: str = ""  # a writer's sub-format, e.g. doccano "relations"
    raw_cells: bool = False  # CSV: cells as they are, without the formula-injection quote


# (file, text to append); "" is the output file itself. Text as str, or as bytes already
# UTF-8 (a writer that formats bytes itself: Prodigy, whose lines are half a gigabyte).
Pieces = list[tuple[str, str | bytes]]


def piece_bytes(text: str | bytes) -> bytes:
    """A piece as the bytes the file gets."""
    return text if isinstance(text, bytes) else text.encode("utf-8")


@dataclass
class Encoded:
    """One document as a writer wrote it."""

    pieces: Pieces
    # What could not be written as it is, one line each, naming the document and the span
    # (e.g. a span that cuts a token, written without token indices). Never silent.
    notes: list[str] = field(default_factory=list)


def _no_pieces(options: WriteOptions) -> Pieces:
    return []


@dataclass(frozen=True)
class Writer:
    name: str
    description: str
    encode: Callable[[ExportDocument, WriteOptions], Encoded]
    suffix: str = ""  # the output is one file with this suffix; "" means a folder
    needs_tokens: bool = False  # ExportDocument.tokens must be filled (the document's own, else spaCy's)
    suggestions: bool = False  # ExportDocument.suggestions must be filled (a model's undecided spans)
    # Files named by ``start`` are opened before the first record (headers, "[") and kept
    # open for appending; any other file an ``encode`` names is written whole at once.
    start: Callable[[WriteOptions], Pieces] = _no_pieces
    end: Callable[[WriteOptions], Pieces] = _no_pieces
    separator: str = ""  # between two records in the output file (a JSON list's ",\n")
    # A batch at once (the same as ``encode`` of each): for a writer whose work per document
    # is shared better over many (Prodigy's tokens, formatted with numpy a batch at a time).
    encode_many: Callable[[Sequence[ExportDocument], WriteOptions], list[Encoded]] | None = None

    @property
    def to_folder(self) -> bool:
        return not self.suffix


READERS: dict[str, Reader] = {}
ALIASES: dict[str, str] = {}
WRITERS: dict[str, Writer] = {}


ReadFunction = Callable[[Path, ReadOptions], RecordStream]
# Where a reader keeps the record's line and the field it is looking at, by the names the
# readers use: ``line``/``number`` (an int), ``where``/``fld`` (text such as "spans[2]").
_LINE_NAMES = ("line", "number")
_FIELD_NAMES = ("where", "fld")


def guard_reader(read: ReadFunction) -> ReadFunction:
    """``read`` with any unexpected exception turned into a ``file:line: field:`` refusal.

    Why one guard and not a check per reader: every reader must treat every field as
    untrusted, and each missed check (a ``type`` that is a number, ``choices`` that is a float)
    was a traceback that lost the user's import. Here a missed check refuses the file with
    the line and field the reader was reading, found in the reader's own frame.
    """

    @functools.wraps(read)
    def guarded(path: Path, options: ReadOptions) -> RecordStream:
        last_line: int | None = None
        try:
            for item in read(path, options):
                last_line = getattr(item, "line", last_line)  # SchemeHints carry no line
                yield item
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - any fault of a reader is a fault of the file
            raise InputError([unexpected_problem(path_text(path), exc, last_line, read.__module__)]) from exc

    return guarded


def unexpected_problem(file: str, exc: BaseException, line: int | None = None, module: str = "") -> Problem:
    """A problem for an exception met while reading a record: where the reader was, what it met.

    ``line``: where to say it was when no frame of the reader tells (the last record read).
    """
    found_line, found_field = _reader_position(exc.__traceback__, module)
    detail = str(exc)
    if len(detail) > 160:
        detail = detail[:160] + "…"
    return Problem(file, found_line if found_line is not None else line, found_field,
                   f"a value here has an unexpected type or shape ({type(exc).__name__}: {detail})")


def _reader_position(trace: TracebackType | None, module: str = "") -> tuple[int | None, str | None]:
    """The line and field in the innermost frame of ours (or of the reader's ``module``) in
    ``trace`` that names them; library frames (json, spaCy) are passed over."""
    frames = []
    while trace is not None:
        name = str(trace.tb_frame.f_globals.get("__name__", ""))
        if name.startswith("annotator.") or (module and name == module):
            frames.append(trace.tb_frame)
        trace = trace.tb_next
    line = fld = None
    for frame in reversed(frames):
        names = frame.f_locals
        if line is None:
            line = next((names[n] for n in _LINE_NAMES if type(names.get(n)) is int), None)
        if fld is None:
            fld = next((names[n] for n in _FIELD_NAMES if isinstance(names.get(n), str) and names[n]), None)
        if line is not None and fld is not None:
            break
    if fld is not None and len(fld) > QUOTE_LIMIT:
        fld = fld[:QUOTE_LIMIT] + "…"
    return line, fld


# Which module registered each format: the order of ``_BUILTIN_MODULES`` is restored from it.
_REGISTERED_BY: dict[tuple[str, str], str] = {}


def register(reader: Reader, *aliases: str) -> Reader:
    reader = dataclasses.replace(reader, read=guard_reader(reader.read))
    READERS[reader.name] = reader
    _REGISTERED_BY[("reader", reader.name)] = sys._getframe(1).f_globals.get("__name__", "")
    for alias in aliases:
        ALIASES[alias] = reader.name
    return reader


def register_writer(writer: Writer, *aliases: str) -> Writer:
    WRITERS[writer.name] = writer
    _REGISTERED_BY[("writer", writer.name)] = sys._getframe(1).f_globals.get("__name__", "")
    for alias in aliases:
        ALIASES[alias] = writer.name
    return writer


def writer_for(name: str) -> Writer:
    _load_builtin()
    name = ALIASES.get(name, name)
    if name not in WRITERS:
        known = ", ".join(sorted(WRITERS))
        raise InputError([Problem("<options>", None, "--format", f"cannot export to {quoted(name)}; known: {known}")])
    return WRITERS[name]


def reader_for(name: str) -> Reader:
    _load_builtin()
    name = ALIASES.get(name, name)
    if name not in READERS:
        known = ", ".join(sorted([*READERS, *ALIASES, "auto"]))
        raise InputError([Problem("<options>", None, "--format", f"unknown format {quoted(name)}; known: {known}")])
    return READERS[name]


def guess_format(path: Path) -> str | None:
    """The format a file's name (and, for a shared suffix, its content) says it is, or None."""
    found = guess_format_why(path)
    return found[0] if found else None


def guess_format_why(path: Path) -> tuple[str, str] | None:
    """(format, how it was told: "name" or "content"), or None when neither says.

    A suffix one format owns decides alone. A suffix several share (.jsonl: Prodigy or
    doccano; .json: Label Studio or doccano) is settled by each candidate's ``sniff`` on the head of
    the file, in registration order; when none claims it, the first candidate is taken.
    """
    _load_builtin()
    suffix = path.suffix.lower()
    candidates = [reader for reader in READERS.values() if suffix in reader.suffixes]
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0].name, "name"
    head = _head(path)
    for reader in candidates:
        if reader.sniff is not None and head and reader.sniff(head):
            return reader.name, "content"
    # No format claimed the content: the suffix's usual owner reads it: one that does not
    # sniff, else the one whose own suffix it is (.json: Label Studio's; doccano's is .jsonl).
    usual = next((reader for reader in candidates if reader.sniff is None),
                 next((reader for reader in candidates if reader.suffixes[0] == suffix), candidates[0]))
    return usual.name, "name"


def _head(path: Path, size: int = 65536) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(size).decode("utf-8", "replace").lstrip("\ufeff")
    except OSError:
        return ""  # the reader reports an unreadable file properly


def format_names() -> list[str]:
    """Every name ``reader_for`` knows (for ``--format`` of import)."""
    _load_builtin()
    order = list(READERS)
    aliases = sorted((alias for alias, name in ALIASES.items() if name in READERS),
                     key=lambda alias: (order.index(ALIASES[alias]), alias))
    return ["auto", *order, *aliases]


def writer_names() -> list[str]:
    """Every format a project can be exported to through a writer (spaCy is the workflow's own)."""
    _load_builtin()
    return list(WRITERS)


# The built-in formats in the order of the Import dialog's list and, for a shared suffix, of
# guessing (Prodigy before doccano for .jsonl, doccano before Label Studio for .json).
_BUILTIN_MODULES = ("plain_text", "csv_table", "prodigy", "prodigy_writer", "doccano", "labelstudio", "brat",
                    "conll", "webanno", "csv_export", "html_page")
_builtin_loaded = False


def _load_builtin() -> None:
    """Import the built-in formats, then put them in ``_BUILTIN_MODULES`` order.

    Why reorder: a module imported earlier by someone else (a test, a workflow importing
    ``formats.doccano`` directly) registers first, and registration order would otherwise
    decide which reader sniffs a shared suffix first.
    """
    global _builtin_loaded
    if _builtin_loaded:
        return
    # Imported here so that the registry module has no import cycle with the readers; written
    # out (not importlib) so that the bundle's analysis (PyInstaller) sees them.
    from . import plain_text, csv_table, prodigy, prodigy_writer  # noqa: F401, I001
    from . import doccano, labelstudio, brat, conll, webanno, csv_export  # noqa: F401, I001
    from . import html_page  # noqa: F401, I001
    rank = {f"{__package__}.{module}": index for index, module in enumerate(_BUILTIN_MODULES)}

    for kind, table in (("reader", READERS), ("writer", WRITERS)):
        ordered = sorted(table.items(),  # stable: a module's own formats keep their order
                         key=lambda item, kind=kind: rank.get(_REGISTERED_BY.get((kind, item[0]), ""), len(rank)))
        table.clear()
        table.update(ordered)
    _builtin_loaded = True
