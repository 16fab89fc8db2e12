"""Import files into a project: every file atomically, streaming, with exact problem reports.

Each file is its own transaction, committed when the file is done: a file with a bad record
is rolled back whole (unless ``skip_invalid``), other files still land, and a crash, a
Cancel or a full disk loses at most the file in progress. Anything unexpected while reading
a record refuses that file with its line (``registry.guard_reader`` for the readers, the
guard in ``_import_file`` for the checks here); errors of the project itself (a full disk,
a lost editing lock) stop the import and reach the caller, with the report of the files
already committed attached (``ImportStopped``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.problems import InputError, Problem
from ..core.records import DocumentRecord, SchemeHints, check_span_set, give_statuses
from ..core.textutil import is_blank, path_text, quoted
from ..formats.registry import ReadOptions, guess_format_why, reader_for, unexpected_problem
from . import nlp_formats  # noqa: F401  (registers the spaCy DocBin reader)
from ..store.errors import ProjectError
from ..store.import_writer import ImportWriter, PreparedDocument
from ..store.project import Project
from .import_checks import FileScheme, apply_hints, check_claims_and_extras
from .binary_answers import BinaryAnswers
from .import_layers import store_batch

BATCH_SIZE = 2000
MAX_REPORTED_PROBLEMS = 200  # per file; the count of the rest is still given


class ImportCancelled(Exception):
    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__("import cancelled")


class ImportStopped(ProjectError):
    """The project could not take a file (disk full, lock lost, file unwritable).

    ``report`` holds every file's outcome so far: the files before ``stopped_at`` are committed,
    that file was rolled back, the ones after it were not read. ``cause`` is the store's error.
    """

    def __init__(self, report: ImportReport, stopped_at: str, cause: ProjectError):
        self.report, self.stopped_at, self.cause = report, stopped_at, cause
        super().__init__(str(cause))


@dataclass(frozen=True)
class ImportOptions:
    format: str = "auto"
    read: ReadOptions = ReadOptions()
    skip_invalid: bool = False
    add_labels: bool = False
    annotator: str | None = None  # stamped on imported spans that name no annotator
    batch_size: int = BATCH_SIZE


@dataclass
class FileReport:
    path: str
    format: str
    guessed: bool = False
    guessed_from: str = "name"  # "name" or "content": what told the format, when guessed
    added: int = 0
    layered: int = 0  # records whose annotators' layers were added to a document of the same text
    merged: int = 0  # binary answers (ner.teach lines) joined to a document of the same text in this file
    duplicates: int = 0
    conflicts: int = 0
    blank: int = 0
    invalid: int = 0
    spans: int = 0
    labels_added: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problems_not_shown: int = 0
    refused: bool = False

    def note(self, problem: Problem) -> None:
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            self.problems.append(problem)
        else:
            self.problems_not_shown += 1

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files if not f.refused or name == "invalid")

    @property
    def refused(self) -> list[FileReport]:
        return [f for f in self.files if f.refused]

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        layered, merged = self.total("layered"), self.total("merged")
        return (f"{self.total('added')} added, "
                + (f"{layered} added as annotators' layers of documents already there, " if layered else "")
                + (f"{merged} binary answers merged into their text's document, " if merged else "")
                + f"{self.total('duplicates')} duplicates, "
                f"{self.total('conflicts')} conflicts, {self.total('blank')} blank skipped, "
                f"{self.total('invalid')} invalid, {len(self.refused)} file(s) refused")


class _FileRefused(Exception):
    pass


Progress = Callable[[int, int, str, int], None]  # files done, files total, current file, records read


def expand_paths(paths: Iterable[str | Path], fmt: str) -> tuple[list[tuple[Path, str, str]], list[Problem]]:
    """Files to import with their format and how it was told ("" given, "name" or "content"
    guessed); folders are read recursively in name order."""
    files: list[tuple[Path, str, str]] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file())
            in_folder = True
        elif path.is_file():
            candidates, in_folder = [path], False
        else:
            problems.append(Problem(path_text(path), None, None, "no such file or folder"))
            continue
        for candidate in candidates:
            if in_folder and _brat_text(candidate, fmt):
                continue  # NAME.txt of a brat pair: read with NAME.ann
            if fmt != "auto":
                files.append((candidate, reader_for(fmt).name, ""))
                continue
            guessed = guess_format_why(candidate)
            if guessed is None:
                if in_folder:
                    problems.append(Problem(path_text(candidate), None, None,
                                            "skipped: not a known format (.txt, .jsonl, .json, .csv, .tsv, .html,"
                                            " .ann, .conll, .spacy)", "notice"))
                else:
                    problems.append(Problem(path_text(candidate), None, None,
                                            "cannot tell the format from the name; give --format"))
                continue
            files.append((candidate, guessed[0], guessed[1]))
    return files, problems


FOLDER_BY_SUFFIX = ("brat", "spacy", "webanno")  # formats whose folders hold other files (NAME.txt, config.cfg)
UTF16_FORMATS = ("doccano", "labelstudio", "brat", "webanno")  # readers that honour --offsets utf16


def _brat_text(path: Path, fmt: str) -> bool:
    """A file in a folder to pass over: brat's NAME.txt (read with its NAME.ann) and, with
    --format brat or spacy, anything without that format's suffix (annotation.conf, config.cfg)."""
    if fmt != "auto":
        reader = reader_for(fmt)
        return reader.name in FOLDER_BY_SUFFIX and path.suffix.lower() not in reader.suffixes
    return path.suffix.lower() == ".txt" and path.with_suffix(".ann").is_file()


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    options: ImportOptions = ImportOptions(),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ImportReport:
    files, path_problems = expand_paths(paths, options.format)
    report = ImportReport()
    if path_problems:
        notices = FileReport("<arguments>", "-")
        notices.problems = path_problems
        notices.refused = any(p.is_error for p in path_problems)
        report.files.append(notices)
        if notices.refused:
            return report
    for index, (path, fmt, how) in enumerate(files):
        if cancelled():
            raise ImportCancelled(report)
        file_report = FileReport(path_text(path), fmt, bool(how), how or "name")
        report.files.append(file_report)
        try:
            with project.transaction():  # this file lands whole, and is committed, or not at all
                _import_file(project, path, fmt, options, file_report,
                             lambda n, i=index, p=path_text(path): progress and progress(i, len(files), p, n),
                             cancelled)
        except _FileRefused:
            file_report.refused = True
        except ImportCancelled:
            file_report.refused = True
            file_report.note(Problem(path_text(path), None, None, "cancelled: nothing from this file was imported"))
            raise ImportCancelled(report) from None  # the files already done stay committed
        except ProjectError as exc:
            file_report.refused = True  # rolled back whole; the caller says why (exc)
            raise ImportStopped(report, path_text(path), exc) from exc
        if progress:
            progress(index + 1, len(files), path_text(path), 0)
    return report


def import_records(
    project: Project, sources: Iterable[tuple[str, str, Iterable[DocumentRecord | Problem]]],
    options: ImportOptions = ImportOptions(),
) -> list[FileReport]:
    """Records that no reader opens a file for (pages fetched from the web, pages extracted in
    worker processes): each (name, format, records) is checked and stored as one file would
    be, a savepoint of its own, all of them in one transaction."""
    reports = []
    with project.transaction():
        for name, fmt, records in sources:
            report = FileReport(name, fmt)
            reports.append(report)
            try:
                with project.transaction():
                    _import_file(project, Path(name), fmt, options, report, lambda _n: None, lambda: False, records)
            except _FileRefused:
                report.refused = True
    return reports


def _import_file(
    project: Project, path: Path, fmt: str, options: ImportOptions, report: FileReport,
    progress: Callable[[int], object], cancelled: Callable[[], bool],
    records: Iterable[DocumentRecord | Problem] | None = None,
) -> None:
    writer = ImportWriter(project, options.annotator)
    scheme = project.scheme()
    entity_labels = {lab.name for lab in scheme.labels if lab.kind == "entity"}
    doc_labels = {lab.name for lab in scheme.labels if lab.kind == "doc"}
    state = FileScheme.of(project)
    allow_overlap = scheme.allow_overlapping_entities
    answers = BinaryAnswers(allow_overlap, entity_labels)  # entity_labels grows with --add-labels
    batch: list[PreparedDocument] = []
    refusing = False  # once a file will be refused, keep reading only to report problems
    read = 0
    current: int | None = None  # the line of the record in hand
    try:
        if options.read.offsets == "utf16" and fmt not in UTF16_FORMATS:
            # Taken silently, the option would promise a conversion this reader does not make.
            raise InputError([Problem(report.path, None, "--offsets", f"UTF-16 offsets apply to "
                                      f"{', '.join(UTF16_FORMATS)} files; {fmt} offsets are code points")])
        stream = reader_for(fmt).read(path, options.read) if records is None else records
        for item in stream:
            current = getattr(item, "line", current)  # SchemeHints carry no line
            read += 1
            if read % 500 == 0:
                if cancelled():
                    raise ImportCancelled(ImportReport())  # replaced by the full report above
                progress(read)
            if isinstance(item, Problem):
                report.note(item)
                if item.is_error:
                    report.invalid += 1
                    refusing = refusing or not options.skip_invalid
                continue
            if isinstance(item, SchemeHints):
                report.labels_added.extend(apply_hints(project, writer, item, options.add_labels, state))
                continue
            problems = _check_record(item, writer, options, entity_labels, doc_labels, allow_overlap, report, state)
            if not problems:
                notices: list[Problem] = []
                problems, added = check_claims_and_extras(project, report.path, item, state, options.add_labels,
                                                          notices)
                report.labels_added.extend(added)
                for notice in notices:
                    report.note(notice)
            if problems:
                for problem in problems:
                    report.note(problem)
                report.invalid += 1
                refusing = refusing or not options.skip_invalid
                continue
            if is_blank(item.text):
                report.blank += 1
                report.note(Problem(report.path, item.line, "text", "empty or white-space-only document skipped",
                                    "notice"))
                continue
            if refusing:
                continue
            give_statuses(item, options.annotator)
            batch.append(PreparedDocument(item, token_source=fmt))
            if len(batch) >= options.batch_size:
                _flush(writer, batch, report, answers)
                batch = []
    except InputError as exc:
        for problem in exc.problems:
            report.note(problem)
        report.invalid += 1
        refusing = True
    except (sqlite3.Error, ProjectError, ImportCancelled):
        raise  # the project's trouble, or the user's Cancel: not this file's
    except Exception as exc:  # noqa: BLE001 - a record our checks did not foresee refuses its file
        report.note(unexpected_problem(report.path, exc, current))
        report.invalid += 1
        refusing = True
    if refusing:
        raise _FileRefused
    _flush(writer, batch, report, answers)
    if report.added == 0 and read == 0 and not report.problems:
        report.note(Problem(report.path, None, None, "the file holds no documents", "notice"))


def _check_record(
    record: DocumentRecord, writer: ImportWriter, options: ImportOptions,
    entity_labels: set[str], doc_labels: set[str], allow_overlap: bool, report: FileReport, state: FileScheme,
) -> list[Problem]:
    file = report.path
    labels = {s.label for s in record.spans}  # set operations: a file has few labels, records many spans
    # A document-level label (kind "doc") on a character span was stored as a span that no
    # layer owns (neither NER nor claims); refuse it like any other wrong label.
    if not doc_labels.isdisjoint(labels):
        span = next(s for s in record.spans if s.label in doc_labels)
        return [Problem(file, record.line_of(span), f"{span.field}.label",
                        f"label {quoted(span.label)} is a document label; spans need an entity or claim label")]
    unknown = sorted(labels.difference(writer.label_ids))
    if unknown:
        if not options.add_labels:
            first = next(s for s in record.spans if s.label in unknown)
            return [Problem(file, record.line_of(first), f"{first.field}.label",
                            f"unknown label(s) {', '.join(map(repr, unknown))}; add them to the scheme "
                            "first or import with --add-labels")]
        # The kind a file declares (brat events are role labels), else entity.
        kinds = {**state.label_kinds, **record.label_kinds}
        for kind in ("entity", "role", "claim"):
            added = writer.add_labels([name for name in unknown if kinds.get(name, "entity") == kind], kind=kind)
            report.labels_added.extend(added)
            (entity_labels if kind == "entity" else state.claim_labels if kind == "claim" else set()).update(added)
    if record.doc_labels:
        problems = _check_doc_labels(record, writer, options, doc_labels, report)
        if problems:
            return problems
    return check_span_set(file, record, frozenset(entity_labels), allow_overlap)


def _check_doc_labels(record: DocumentRecord, writer: ImportWriter, options: ImportOptions,
                      doc_labels: set[str], report: FileReport) -> list[Problem]:
    """Document labels must be labels of kind doc; ``--add-labels`` adds unknown ones as such."""
    wanted = set(record.doc_labels)
    wrong = sorted(wanted.difference(doc_labels).intersection(writer.label_ids))
    if wrong:
        return [Problem(report.path, record.line, "doc_labels",
                        f"{', '.join(map(repr, wrong))} label(s) spans, not documents; document labels need"
                        " labels of kind doc")]
    unknown = sorted(wanted.difference(writer.label_ids))
    if unknown:
        if not options.add_labels:
            return [Problem(report.path, record.line, "doc_labels",
                            f"unknown document label(s) {', '.join(map(repr, unknown))}; add them to the scheme "
                            "first or import with --add-labels")]
        added = writer.add_labels(unknown, kind="doc")
        report.labels_added.extend(added)
        doc_labels.update(added)
    return []


def _flush(writer: ImportWriter, batch: list[PreparedDocument], report: FileReport, answers: BinaryAnswers) -> None:
    """Store a batch: new texts as documents, known ones as duplicates, conflicts, or the
    layers of annotators new to that document (workflows/import_layers.py)."""
    outcome = store_batch(writer, batch, report.path, answers)
    for notice in outcome.notices:
        report.note(notice)
    report.added += outcome.added
    report.layered += outcome.layered
    report.merged += outcome.merged
    report.duplicates += outcome.duplicates
    report.conflicts += outcome.conflicts
    report.spans += outcome.spans
