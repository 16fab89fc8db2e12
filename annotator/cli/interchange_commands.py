"""Moving data in and out: import, export."""

from __future__ import annotations

import sys

import click

from ..core.problems import InputError
from ..store import ProjectError
from . import main
from .common import EXIT_INPUT, EXIT_PROJECT, fail, open_for_reading, open_for_writing, progress_line, wait_option


@main.command("import")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", default="auto", show_default=True,
              help="auto, text, csv, tsv, prodigy (jsonl), doccano, labelstudio, brat, conll, webanno, spacy or html "
                   "(saved web pages: the article's text and metadata).")
@click.option("--offsets", type=click.Choice(["codepoints", "utf16"]), default="codepoints", show_default=True,
              help="Unit of the file's character offsets: utf16 for doccano and Label Studio files whose offsets "
                   "count UTF-16 units (an emoji counts 2).")
@click.option("--tag-map", default=None, metavar="TAG=LABEL,...",
              help="CoNLL: rename entity types, e.g. PER=PERSON,LOC=GPE, or a file of TAG=LABEL lines.")
@click.option("--label-map", default=None, metavar="ID=LABEL,...",
              help="doccano 1.x: names for label ids, e.g. 12=PER,13=LOC, or a file (doccano's label export, "
                   "a JSON object or ID=LABEL lines).")
@click.option("--text-column", default="text", show_default=True, help="CSV/TSV column holding the text.")
@click.option("--title-column", default=None, help="CSV/TSV column holding the title (default: 'title' if present).")
@click.option("--title-from", type=click.Choice(["auto", "first-line", "filename"]), default="auto",
              show_default=True, help="Plain text: the title is the first line when it reads as a headline (auto), "
                                      "always the first non-empty line, or the file name.")
@click.option("--skip-invalid", is_flag=True, help="Import the good records of a file and report the bad ones.")
@click.option("--add-labels", is_flag=True, help="Add labels met in the files to the scheme instead of refusing.")
@click.option("--annotator", default=None, help="Name stamped on imported spans that name no annotator.")
@click.option("--workers", type=click.IntRange(0), default=None,
              help="html: processes extracting pages (default: 2 from 50 pages on; 0: none).")
@wait_option
def import_(project: str, inputs: tuple[str, ...], fmt: str, offsets: str, tag_map: str | None, label_map: str | None,
            text_column: str, title_column: str | None, title_from: str, skip_invalid: bool, add_labels: bool,
            annotator: str | None, workers: int | None, wait: float | None) -> None:
    """Import files or folders into PROJECT (created if missing). Each file lands whole, committed
    when it is done, or not at all."""
    from ..formats.conll import parse_tag_map
    from ..formats.label_map import parse_label_map
    from ..formats.registry import ReadOptions, reader_for
    from ..workflows.importing import ImportOptions, ImportStopped, import_paths

    try:
        if fmt != "auto":
            reader_for(fmt)
        tags = parse_tag_map(tag_map) if tag_map else ()
        labels = parse_label_map(label_map) if label_map else ()
    except InputError as exc:
        fail(f"error: {exc}", EXIT_INPUT)
    read = ReadOptions(text_column=text_column, title_column=title_column, offsets=offsets, tag_map=tags,
                       label_map=labels, title_from=title_from)
    options = ImportOptions(format=fmt, read=read, skip_invalid=skip_invalid, add_labels=add_labels,
                            annotator=annotator)
    stopped: ImportStopped | None = None
    with open_for_writing(project, "import", wait=wait, create=True) as opened:
        try:
            if fmt == "html":  # extraction is the cost: spread over worker processes
                from ..workflows.html_import import import_pages

                report = import_pages(opened, inputs, options, workers)
            else:
                report = import_paths(opened, inputs, options)
        except ImportStopped as exc:
            report, stopped = exc.report, exc
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_PROJECT)
    _print_report(report, stopped is not None)
    if stopped is not None:
        fail(f"error: {stopped.cause}", EXIT_PROJECT)
    if not report.ok:
        sys.exit(EXIT_INPUT)


def _print_report(report, stopped: bool) -> None:
    """Every file's problems and outcome, then the totals; the outcome of each file is its last line."""
    for file in report.files:
        if file.guessed:
            click.echo(f"{file.path}: read as {file.format} (guessed from the {file.guessed_from})", err=True)
        for problem in file.problems:
            # In a file that still landed (--skip-invalid), a bad record was skipped, not fatal.
            prefix = ("error" if file.refused else "skipped") if problem.is_error else "notice"
            click.echo(f"{prefix}: {problem}", err=True)
        if file.problems_not_shown:
            click.echo(f"... and {file.problems_not_shown} more problems in {file.path}", err=True)
        if file.path == "<arguments>":
            continue
        if file.refused:
            click.echo(f"refused: {file.path}: nothing from this file was imported"
                       + ("" if stopped else " (fix the errors above, or use --skip-invalid)"), err=True)
        else:
            labels = f"; added labels {', '.join(file.labels_added)}" if file.labels_added else ""
            layered = f", {file.layered} added as layers of documents already there" if file.layered else ""
            layered += f", {file.merged} binary answers merged into their text's document" if file.merged else ""
            click.echo(f"imported: {file.path}: {file.added} added{layered}, {file.duplicates} duplicates{labels}",
                       err=True)
    click.echo(report.summary() + (" (stopped: the files after the one refused were not read)" if stopped else ""))


@main.command("export")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", default="spacy", show_default=True,
              help="spacy, prodigy (jsonl), doccano, labelstudio, brat, conll, webanno or csv.")
@click.option("--output", "-o", required=True, type=click.Path(),
              help="A folder for spacy, brat and csv; a file for the others.")
@click.option("--include", default="done", show_default=True,
              help="Documents by status: any of done,todo,skipped, or all.")
@click.option("--annotator", "--layer", "annotator", default=None,
              help="Only this layer: an annotator's spans and document labels, or gold (the reviewed gold layer: "
                   "the default when the project has one).")
@click.option("--dev", type=float, default=0.2, show_default=True, help="spacy: share of documents in dev.")
@click.option("--seed", type=int, default=0, show_default=True, help="spacy: seed of the stable train/dev split.")
@click.option("--alignment", type=click.Choice(["strict", "contract", "expand"]), default="strict",
              show_default=True, help="spacy: spans that are not whole tokens are reported and left out "
                                      "(strict), or shrunk/grown to tokens.")
@click.option("--single-file", is_flag=True, help="spacy: train.spacy and dev.spacy as one file each, not folders of shards (slower).")
@click.option("--offsets", type=click.Choice(["codepoints", "utf16"]), default="codepoints", show_default=True,
              help="doccano, labelstudio: offsets in UTF-16 units, as JavaScript tools count them.")
@click.option("--tokens/--no-tokens", default=True, show_default=True, help="prodigy: write tokens.")
@click.option("--variant", default="", help="doccano: 'relations' for entities + relations, 'annotations' for "
                                            "doccano 1.x (each annotator's spans as that user's).")
@click.option("--workers", type=int, default=None,
              help="Worker processes (default: one per free core for big exports, else none; 0: none).")
@click.option("--raw-cells", is_flag=True,
              help="csv: write cells as they are; by default a cell a spreadsheet would run as a formula "
                   "(starting with = + - @, a tab or CR) gets a leading ' (see docs/formats.md).")
def export(project: str, fmt: str, output: str, include: str, annotator: str | None, dev: float, seed: int,
           alignment: str, single_file: bool, offsets: str, tokens: bool, variant: str, workers: int | None,
           raw_cells: bool) -> None:
    """Export PROJECT: spaCy training data (DocBin + config.cfg) or another tool's format."""
    from ..workflows.exporting import ExportError, ExportOptions, export_project

    statuses = ("done", "todo", "skipped") if include.strip() == "all" else tuple(
        s.strip() for s in include.split(",") if s.strip())
    options = ExportOptions(format=fmt, include=statuses, annotator=annotator, dev=dev, seed=seed, alignment=alignment,
                            single_file=single_file, offsets=offsets, tokens=tokens, variant=variant, workers=workers,
                            raw_cells=raw_cells)
    progress, clear = progress_line()
    with open_for_reading(project) as opened:  # an export never writes to the project
        try:
            result = export_project(opened, output, options, progress)
        except ExportError as exc:
            fail(f"error: {exc}", EXIT_INPUT)
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_PROJECT)
        finally:
            clear()
    shown = 20
    for issue in result.issues[:shown]:
        click.echo(f"alignment: {issue}", err=True)
    for note in result.notes[:shown]:
        click.echo(f"note: {note}", err=True)
    rest = max(0, len(result.issues) - shown) + max(0, len(result.notes) - shown) + result.notes_not_shown
    if rest:
        click.echo(f"... and {rest} more" + (" (all in alignment.jsonl)" if result.issues else ""), err=True)
    click.echo(result.text)
