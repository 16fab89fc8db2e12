"""What the Import dialog says about an import: the format choices, the report and its headline,
and the import itself as a background job's function."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


from ...formats.registry import format_names, reader_for
from ...store import Project
from ...workflows.importing import ImportCancelled, ImportOptions, ImportReport, import_paths
from ..jobs.worker import JobCancelled, JobContext


# Formats whose reader takes the text and title column options.
TABLE_FORMATS = ("auto", "csv", "tsv")
TEXT_KEY_FORMATS = (*TABLE_FORMATS, "labelstudio")  # formats whose text may be under another column or key
UTF16_FORMATS = ("auto", "doccano", "labelstudio", "brat", "webanno")
LABEL_MAP_FORMATS = ("auto", "doccano")


MAX_REPORT_LINES = 5000  # a report of a million bad records stays scrollable


# What told a guessed format (FileReport.guessed_from), as the report says it.
GUESSED_FROM = {"name": "from the file name", "content": "from the content"}


def format_choices() -> list[tuple[str, str]]:
    """(format name, what the combo box shows) for every name the registry knows."""
    choices = []
    for name in format_names():
        if name == "auto":
            choices.append((name, "Detect from each file's name and content"))
            continue
        reader = reader_for(name)
        if reader.name == name:
            choices.append((name, f"{name} — {reader.description}"))
        else:
            choices.append((name, f"{name} — same as {reader.name}"))
    return choices


def file_filter() -> str:
    suffixes = sorted({suffix for reader in (reader_for(n) for n in format_names() if n != "auto")
                       for suffix in reader.suffixes})
    return f"Importable files ({' '.join('*' + s for s in suffixes)});;All files (*)"


def report_text(report: ImportReport, cancelled: bool = False) -> str:
    """The whole report as plain text: totals, each file, then every problem as file:line: field: message."""
    lines: list[str] = []
    if cancelled:
        lines += ["Import cancelled. The files finished before the cancel were kept; "
                  "nothing from the file in progress was imported.", ""]
    lines.append(report.summary())
    files = [f for f in report.files if f.path != "<arguments>"]
    if files:
        lines += ["", "Files:"]
    for file in files:
        how = f"{file.format}, {GUESSED_FROM.get(file.guessed_from, 'guessed')}" if file.guessed else file.format
        if file.refused:
            lines.append(f"  {file.path} ({how}): REFUSED, nothing from this file was imported"
                         f" ({file.invalid} invalid record{'s' if file.invalid != 1 else ''})")
            continue
        parts = [f"{file.added} added", *([f"{file.layered} added as layers"] if file.layered else []),
                 *([f"{file.merged} binary answers merged"] if file.merged else []),
                 f"{file.duplicates} duplicates"]
        for name in ("conflicts", "blank", "invalid"):
            if getattr(file, name):
                parts.append(f"{getattr(file, name)} {'blank skipped' if name == 'blank' else name}")
        parts.append(f"{file.spans} spans")
        if file.labels_added:
            parts.append("labels added: " + ", ".join(file.labels_added))
        lines.append(f"  {file.path} ({how}): {', '.join(parts)}")
    errors = [p for f in report.files for p in f.problems if p.is_error]
    notices = [p for f in report.files for p in f.problems if not p.is_error]
    for title, problems in (("Problems:", errors), ("Notices:", notices)):
        if problems:
            lines += ["", title, *(f"  {p}" for p in problems)]
    hidden = [(f.path, f.problems_not_shown) for f in report.files if f.problems_not_shown]
    for path, count in hidden:
        lines.append(f"  … and {count} more problem{'s' if count != 1 else ''} in {path} not listed")
    if len(lines) > MAX_REPORT_LINES:
        lines = [*lines[:MAX_REPORT_LINES], f"… {len(lines) - MAX_REPORT_LINES} more lines not shown"]
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' if n != 1 else ''}"


def report_headline(report: ImportReport, cancelled: bool = False) -> str:
    """One sentence for the top of the report: what landed, and whether anything needs a look."""
    added = report.total("added")
    parts = [f"Imported {_count(added, 'document')}" if added else "No new documents were imported"]
    if report.total("layered"):
        parts.append(f"{_count(report.total('layered'), 'record')} added as annotators' layers of documents already there")
    if report.total("merged"):
        parts.append(f"{_count(report.total('merged'), 'binary answer')} merged into their text's document")
    if report.total("duplicates"):
        parts.append(f"{_count(report.total('duplicates'), 'duplicate')} already in the project")
    if report.total("conflicts"):
        parts.append(f"{_count(report.total('conflicts'), 'conflict')} left unchanged")
    sentence = "; ".join(parts) + "."
    refused = report.refused
    if cancelled and refused and report.files and refused[-1] is report.files[-1]:
        refused = refused[:-1]  # the file in progress when cancelled: its own line says so
    if refused:
        sentence += f" {_count(len(refused), 'file')} refused: see the problems below."
    elif report.total("invalid"):
        sentence += f" {_count(report.total('invalid'), 'invalid record')} skipped: see below."
    return ("Cancelled. " if cancelled else "") + sentence


def run_import(project_path: Path, paths: Sequence[str], options: ImportOptions, ctx: JobContext) -> ImportReport:
    """The job: import on the worker thread with a Project of its own."""
    with Project.open(project_path) as project:
        try:
            return import_paths(project, paths, options, progress=ctx.progress, cancelled=ctx.is_cancelled)
        except ImportCancelled as exc:
            raise JobCancelled(exc.report) from None
