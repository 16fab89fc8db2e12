"""Agreement between annotators: ``annotator agreement``."""

from __future__ import annotations

import json

import click

from . import main
from .common import EXIT_INPUT, EXIT_PROJECT, comma_names, fail, open_or_exit


@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--annotators", metavar="A,B,...", help="Annotators to compare (default: all with a layer or done documents of their own).")
@click.option("--labels", metavar="L,...", help="Entity and claim labels to count (default: all).")
@click.option("--gold", is_flag=True, help="Each annotator against the gold layer (documents reviewed and done).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (docs/agreement.md).")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Write pairs.csv, labels.csv, claims.csv, attributes.csv and summary.csv to DIR.")
def agreement(project: str, annotators: str | None, labels: str | None, gold: bool, as_json: bool,
              csv_dir: str | None) -> None:
    """Inter-annotator agreement of PROJECT: span F1 (exact, relaxed), token κ and α, claims.

    Compares the documents both annotators of a pair marked done; definitions in
    docs/agreement.md.
    """
    from ..store import ProjectError
    from ..workflows.agreement import AgreementError, AgreementOptions, compute_agreement
    from ..workflows.agreement_report import as_json as to_json, readable, write_csv_folder

    if as_json and csv_dir:
        fail("error: give --json or --csv DIR, not both", EXIT_INPUT)
    options = AgreementOptions(comma_names(annotators, "--annotators"), comma_names(labels, "--labels"), gold)
    with open_or_exit(project) as opened:
        opened.read_only = True  # agreement only reads
        try:
            result = compute_agreement(opened, options)
        except AgreementError as exc:
            fail(f"error: {exc}", EXIT_INPUT)
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_PROJECT)
    if as_json:
        click.echo(json.dumps(to_json(result), indent=2, ensure_ascii=False))
    elif csv_dir:
        try:
            written = write_csv_folder(result, csv_dir)
        except OSError as exc:
            fail(f"error: {csv_dir}: cannot write: {exc.strerror or exc}", EXIT_INPUT)
        click.echo(f"wrote {', '.join(path.name for path in written)} to {csv_dir}")
    else:
        click.echo(readable(result), nl=False)
