"""Teams: split the work into annotators' files, see their progress, merge their files back."""

from __future__ import annotations

import json
import sys

import click

from ..store import ProjectError
from . import main
from .common import EXIT_INPUT, EXIT_PROJECT, fail, open_for_reading, open_for_writing, progress_line, wait_option


@main.group()
def team() -> None:
    """Several annotators on one corpus: split the work, follow progress (merge: annotator merge)."""


@team.command("split")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--annotators", required=True, metavar="NAME,NAME,...", help="Who gets a file: DIR/NAME.annotator.")
@click.option("--overlap", type=float, default=None,
              help="Share of documents (0-1) every annotator gets, for agreement.")
@click.option("--overlap-docs", type=int, default=None, help="Or: this many documents every annotator gets.")
@click.option("--per-doc", type=int, default=1, show_default=True,
              help="Annotators per document outside the overlap.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random choice of documents.")
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Folder for the files.")
@wait_option
def split(project: str, annotators: str, overlap: float | None, overlap_docs: int | None, per_doc: int, seed: int,
          output: str, wait: float | None) -> None:
    """Write one project file per annotator (scheme, their documents, their existing work) and
    record who has which document in PROJECT."""
    from ..workflows.splitting import SplitError, SplitOptions, split_project

    names = tuple(name.strip() for name in annotators.split(",") if name.strip())
    options = SplitOptions(names, overlap, overlap_docs, per_doc, seed)
    report, clear = progress_line()
    with open_for_writing(project, "team split", wait=wait) as opened:  # it records the assignment
        try:
            result = split_project(opened, output, options, report)
        except SplitError as exc:
            fail(f"error: {exc}", EXIT_INPUT)
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_PROJECT)
        finally:
            clear()
    for file in result.files:
        c = file.counts
        extra = f", {c.suggestions:,} suggestions" if c.suggestions else ""
        click.echo(f"{file.path}: {file.annotator}: {c.documents:,} documents, {c.spans:,} spans, "
                   f"{c.claims:,} claims{extra}")
        if c.links_left_out:
            click.echo(f"note: {file.path.name}: {c.links_left_out} claim links to other annotators' spans left out",
                       err=True)
        if c.unattributed_left_out:
            click.echo(f"note: {file.path.name}: {c.unattributed_left_out:,} spans with no annotator on these "
                       "documents left out (they belong to no layer)", err=True)
    click.echo(f"split {result.documents:,} documents among {len(result.files)} annotators "
               f"({result.overlap:,} shared by all) in {result.seconds:.1f} s; the assignment is in {project}")


@team.command("status")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(project: str, as_json: bool) -> None:
    """Each annotator's progress (done, skipped, todo of their documents) and layers."""
    with open_for_reading(project) as opened:
        progress = opened.progress()
        layers = opened.layers()
        own = opened.own_annotator()
    rows = [{"annotator": p.annotator.ref, "uuid": p.annotator.uuid, "own": p.annotator.own,
             "assigned": p.assigned, "documents": p.total, "done": p.done, "skipped": p.skipped, "todo": p.todo,
             "spans": p.spans, "claims": p.claims} for p in progress]
    if as_json:
        click.echo(json.dumps({"own_annotator": own.ref if own else None, "annotators": rows,
                               "layers": [{"layer": layer.title, "spans": layer.spans, "claims": layer.claims,
                                           "doc_labels": layer.doc_labels, "documents": layer.documents}
                                          for layer in layers]}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{project}: {'own copy of ' + own.ref if own else 'nobody’s own copy'}")
    if not rows:
        click.echo("no annotators yet")
    width = max((len(r["annotator"]) for r in rows), default=9)
    for r in rows:
        scope = f"of {r['assigned']:,} assigned" if r["assigned"] else f"of all {r['documents']:,}"
        click.echo(f"  {r['annotator']:<{width}}  {r['done']:>6,} done, {r['skipped']:,} skipped, {r['todo']:,} todo "
                   f"{scope}; {r['spans']:,} spans, {r['claims']:,} claims")
    unattributed = [layer for layer in layers if layer.annotator is None]
    for layer in unattributed:
        click.echo(f"  {layer.title}: {layer.spans:,} spans, {layer.claims:,} claims on {layer.documents:,} documents")


@main.command("merge")
@click.argument("target", type=click.Path(exists=True, dir_okay=False))
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--add-labels", is_flag=True, help="Add labels, claim attributes and choices TARGET lacks.")
@wait_option
def merge(target: str, sources: tuple[str, ...], add_labels: bool, wait: float | None) -> None:
    """Merge annotators' project files into TARGET: each annotator's layer comes in whole,
    documents are matched by content; merging again adds nothing. Each SOURCE lands whole or
    not at all."""
    from ..workflows.merging import MergeOptions, merge_projects, summary_text

    report, clear = progress_line()
    with open_for_writing(target, "merge", wait=wait) as opened:
        try:
            result = merge_projects(opened, sources, MergeOptions(add_labels=add_labels), report)
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_PROJECT)
        finally:
            clear()
    for summary in result.summaries:
        click.echo(summary_text(summary))
    for path, error in result.errors:
        click.echo(f"refused: {error}", err=True)
        click.echo(f"refused: {path}: nothing from this file was merged", err=True)
    if not result.ok:
        sys.exit(EXIT_INPUT)
