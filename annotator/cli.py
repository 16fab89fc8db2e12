"""The ``annotator`` command: a thin click layer over the library.

With no sub-command it starts the window on the sample project.
"""

from __future__ import annotations

import json
import os
import sys

import click

from . import __version__
from .core.model import Label
from .core.problems import InputError
from .core.scheme import COLOR_RE, load_scheme_file
from .store import LabelInUse, Project, ProjectError
from .workflows.claimants import claim_stats_lines

EXIT_INPUT = 2  # bad input: a refused file, a bad scheme, a bad option value
EXIT_PROJECT = 3  # the project file cannot be used


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def _open(path: str, *, create: bool = False) -> Project:
    try:
        return Project.open(path, create=create)
    except ProjectError as exc:
        _fail(f"error: {exc}", EXIT_PROJECT)
        raise  # unreachable; keeps type checkers calm


def _self_test(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .launch import display_available
    from .selftest import run_self_test

    if not display_available():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    ctx.exit(run_self_test())


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="annotator")
@click.option("--self-test", is_flag=True, is_eager=True, expose_value=False, callback=_self_test,
              help="Check this installation: open a throw-away sample project in the window "
                   "(offscreen without a display), print each step, exit 0 if all pass.")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Label entities and attributed claims in news articles; export spaCy training data.

    Run without a command to open the window on the sample project.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_project, project=None)


@main.command("open")
@click.argument("project", required=False, type=click.Path(dir_okay=False))
def open_project(project: str | None) -> None:
    """Open PROJECT in the window (default: the sample project, created on first run)."""
    from .launch import launch_gui

    sys.exit(launch_gui(project))


@main.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--scheme", type=click.Path(exists=True, dir_okay=False), help="Label scheme (.toml or .json).")
def new(project: str, scheme: str | None) -> None:
    """Create an empty PROJECT, with the default label scheme or --scheme FILE."""
    try:
        parsed = load_scheme_file(scheme) if scheme else None
    except InputError as exc:
        _fail(f"error: the scheme was refused:\n{exc}", EXIT_INPUT)
    try:
        Project.create(project, parsed).close()
    except ProjectError as exc:
        _fail(f"error: {exc}", EXIT_PROJECT)
    click.echo(f"created {project}")


@main.command("import")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", default="auto", show_default=True,
              help="auto, text, csv, tsv, prodigy (jsonl), doccano, labelstudio, brat, conll or spacy.")
@click.option("--offsets", type=click.Choice(["codepoints", "utf16"]), default="codepoints", show_default=True,
              help="Unit of the file's character offsets: utf16 for doccano and Label Studio files whose offsets "
                   "count UTF-16 units (an emoji counts 2).")
@click.option("--tag-map", default=None, metavar="TAG=LABEL,...",
              help="CoNLL: rename entity types, e.g. PER=PERSON,LOC=GPE, or a file of TAG=LABEL lines.")
@click.option("--text-column", default="text", show_default=True, help="CSV/TSV column holding the text.")
@click.option("--title-column", default=None, help="CSV/TSV column holding the title (default: 'title' if present).")
@click.option("--skip-invalid", is_flag=True, help="Import the good records of a file and report the bad ones.")
@click.option("--add-labels", is_flag=True, help="Add labels met in the files to the scheme instead of refusing.")
@click.option("--annotator", default=None, help="Name stamped on imported spans that name no annotator.")
def import_(project: str, inputs: tuple[str, ...], fmt: str, offsets: str, tag_map: str | None, text_column: str,
            title_column: str | None, skip_invalid: bool, add_labels: bool, annotator: str | None) -> None:
    """Import files or folders into PROJECT (created if missing). Each file lands whole or not at all."""
    from .formats.conll import parse_tag_map
    from .formats.registry import ReadOptions, reader_for
    from .workflows.importing import ImportOptions, import_paths

    try:
        if fmt != "auto":
            reader_for(fmt)
        tags = parse_tag_map(tag_map) if tag_map else ()
    except InputError as exc:
        _fail(f"error: {exc}", EXIT_INPUT)
    read = ReadOptions(text_column=text_column, title_column=title_column, offsets=offsets, tag_map=tags)
    options = ImportOptions(format=fmt, read=read, skip_invalid=skip_invalid, add_labels=add_labels,
                            annotator=annotator)
    with _open(project, create=True) as opened:
        try:
            report = import_paths(opened, inputs, options)
        except ProjectError as exc:
            _fail(f"error: {exc}", EXIT_PROJECT)
    for file in report.files:
        if file.guessed:
            click.echo(f"{file.path}: read as {file.format} (guessed from the {file.guessed_from})", err=True)
        for problem in file.problems:
            # In a file that still landed (--skip-invalid), a bad record was skipped, not fatal.
            prefix = ("error" if file.refused else "skipped") if problem.is_error else "notice"
            click.echo(f"{prefix}: {problem}", err=True)
        if file.problems_not_shown:
            click.echo(f"... and {file.problems_not_shown} more problems in {file.path}", err=True)
        if file.refused:
            click.echo(f"refused: {file.path}: nothing from this file was imported "
                       "(fix the errors above, or use --skip-invalid)", err=True)
        elif file.labels_added:
            click.echo(f"{file.path}: added labels {', '.join(file.labels_added)}", err=True)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(EXIT_INPUT)


@main.command("export")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", default="spacy", show_default=True,
              help="spacy, prodigy (jsonl), doccano, labelstudio, brat, conll or csv.")
@click.option("--output", "-o", required=True, type=click.Path(),
              help="A folder for spacy, brat and csv; a file for the others.")
@click.option("--include", default="done", show_default=True,
              help="Documents by status: any of done,todo,skipped, or all.")
@click.option("--annotator", default=None, help="Only this annotator's spans and document labels.")
@click.option("--dev", type=float, default=0.2, show_default=True, help="spacy: share of documents in dev.")
@click.option("--seed", type=int, default=0, show_default=True, help="spacy: seed of the stable train/dev split.")
@click.option("--alignment", type=click.Choice(["strict", "contract", "expand"]), default="strict",
              show_default=True, help="spacy: spans that are not whole tokens are reported and left out "
                                      "(strict), or shrunk/grown to tokens.")
@click.option("--single-file", is_flag=True, help="spacy: train.spacy and dev.spacy as one file each, not folders of shards (slower).")
@click.option("--offsets", type=click.Choice(["codepoints", "utf16"]), default="codepoints", show_default=True,
              help="doccano, labelstudio: offsets in UTF-16 units, as JavaScript tools count them.")
@click.option("--tokens/--no-tokens", default=True, show_default=True, help="prodigy: write tokens.")
@click.option("--variant", default="", help="doccano: 'relations' for entities + relations.")
@click.option("--workers", type=int, default=None, help="Worker processes (default: 2 for big exports; 0: none).")
def export(project: str, fmt: str, output: str, include: str, annotator: str | None, dev: float, seed: int,
           alignment: str, single_file: bool, offsets: str, tokens: bool, variant: str, workers: int | None) -> None:
    """Export PROJECT: spaCy training data (DocBin + config.cfg) or another tool's format."""
    from .workflows.exporting import ExportError, ExportOptions, export_project

    statuses = ("done", "todo", "skipped") if include.strip() == "all" else tuple(
        s.strip() for s in include.split(",") if s.strip())
    options = ExportOptions(format=fmt, include=statuses, annotator=annotator, dev=dev, seed=seed, alignment=alignment,
                            single_file=single_file, offsets=offsets, tokens=tokens, variant=variant, workers=workers)
    live = sys.stderr.isatty()  # a live progress line on a terminal; nothing in logs and pipes

    def progress(done: int, total: int, message: str) -> None:
        if live:
            click.echo(f"\r{message[:70]:<70}", err=True, nl=False)

    with _open(project) as opened:
        opened.read_only = True  # an export never writes to the project
        try:
            result = export_project(opened, output, options, progress)
        except ExportError as exc:
            _fail(f"error: {exc}", EXIT_INPUT)
        except ProjectError as exc:
            _fail(f"error: {exc}", EXIT_PROJECT)
        finally:
            if live:
                click.echo(f"\r{'':<70}\r", err=True, nl=False)
    shown = 20
    for issue in result.issues[:shown]:
        click.echo(f"alignment: {issue}", err=True)
    for note in result.notes[:shown]:
        click.echo(f"note: {note}", err=True)
    rest = max(0, len(result.issues) - shown) + max(0, len(result.notes) - shown) + result.notes_not_shown
    if rest:
        click.echo(f"... and {rest} more" + (" (all in alignment.jsonl)" if result.issues else ""), err=True)
    click.echo(result.text)


@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--model", "model", metavar="NAME_OR_PATH",
              help="A spaCy pipeline: installed package, folder, or the name of a model trained here.")
@click.option("--patterns", "patterns", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A pattern file (spaCy EntityRuler / Prodigy JSONL); repeat for several.")
@click.option("--claims", is_flag=True, help="Also propose claims (content, cue, claimant) from reporting cues.")
@click.option("--only", type=click.Choice(["todo", "all"]), default="todo", show_default=True,
              help="Documents still to do, or all of them.")
@click.option("--score", is_flag=True,
              help="Also rank documents by the model's uncertainty (a model trained here; about twice as slow).")
@click.option("--processes", type=int, default=None, help="Worker processes for the pipeline (default: 2 on "
                                                          "two cores for big runs; 1: none).")
@click.option("--name", default=None, hidden=True, help="The origin name of the model's suggestions.")
@click.option("--progress-json", is_flag=True, hidden=True,
              help="Progress and result as JSON lines (the window runs suggest as a child process).")
def suggest(project: str, model: str | None, patterns: tuple[str, ...], claims: bool, only: str, score: bool,
            processes: int | None, name: str | None, progress_json: bool) -> None:
    """Pre-annotate PROJECT: suggested spans (and claims) that wait for accept or reject.

    Suggestions never change a tagged span, never duplicate one, and a suggestion rejected
    once is not proposed again. Ctrl+C stops after the batch in progress (whole batches are kept).
    """
    from .workflows.suggesting import SourceSpec, run_cli_suggest

    if bool(model) + bool(patterns) > 1:
        _fail("error: give --model or --patterns, not both", EXIT_INPUT)
    if not model and not patterns and not claims:
        _fail("error: give --model NAME_OR_PATH, --patterns FILE or --claims", EXIT_INPUT)
    if model:
        spec = SourceSpec("model", model, name or "", claims=claims)
    elif patterns:
        spec = SourceSpec("patterns", patterns[0], claims=claims, refs=tuple(patterns))
    else:
        spec = SourceSpec("cues", claims=True)
    try:  # the window checked the file already when it runs this as a child
        opened = Project.open(project, check=not progress_json)
    except ProjectError as exc:
        _fail(f"error: {exc}", EXIT_PROJECT)
    with opened:
        sys.exit(run_cli_suggest(opened, spec, only, score=score, processes=processes, echo=click.echo,
                                 progress_json=progress_json))


@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--output", type=click.Path(file_okay=False), default=None,
              help="Folder for the model (default: PROJECT-STEM.models/NAME next to the project).")
@click.option("--name", default=None, help="The model's name in the project (default: components and date).")
@click.option("--epochs", type=click.IntRange(1), default=10, show_default=True)
@click.option("--patience", type=click.IntRange(0), default=3, show_default=True,
              help="Stop after this many epochs without a better score (0: never).")
@click.option("--components", default="ner", show_default=True, help="ner, spancat (claims), or ner,spancat.")
@click.option("--dev", type=float, default=0.2, show_default=True, help="Share of done documents to evaluate on.")
@click.option("--base", default=None, help="A spaCy pipeline (package or folder) whose weights to start from.")
@click.option("--seed", type=int, default=0, show_default=True)
def train(project: str, output: str | None, name: str | None, epochs: int, patience: int, components: str,
          dev: float, base: str | None, seed: int) -> None:
    """Train a model on PROJECT's done documents (spaCy, in a subprocess) and record it in the project.

    Prints a line per epoch and the final precision/recall/F per label. Ctrl+C stops the
    training and removes its folder; the project is left as it was.
    """
    from .workflows.training import TrainSettings, run_cli_train

    settings = TrainSettings(components=tuple(c.strip() for c in components.split(",") if c.strip()),
                             epochs=epochs, patience=patience, dev=dev, base=base, seed=seed)
    with _open(project) as opened:
        sys.exit(run_cli_train(opened, settings, name=name, output=output, echo=click.echo))


@main.command("spacy-cli", hidden=True, context_settings={"ignore_unknown_options": True,
                                                          "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def spacy_cli(args: tuple[str, ...]) -> None:
    """spaCy's own command line (what ``python -m spacy`` runs): training uses it in a bundle."""
    from .workflows.training import run_spacy_cli

    run_spacy_cli(args)


@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def stats(project: str, as_json: bool) -> None:
    """Documents by status, spans per label, claims and annotators."""
    with _open(project) as opened:
        data = opened.stats()
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    docs = data["documents"]
    click.echo(f"{data['project']}")
    click.echo(f"documents: {docs['total']} ({docs['done']} done, {docs['todo']} todo, {docs['skipped']} skipped)")
    click.echo("spans (accepted / suggested / rejected):")
    width = max((len(name) for name in data["spans"]), default=5)
    for name, counts in data["spans"].items():
        click.echo(f"  {name:<{width}}  {counts['kind']:<6}  {counts['accepted']:>7} / {counts['suggested']} "
                   f"/ {counts['rejected']}")
    click.echo(f"claims: {data['claims']}")
    for line in claim_stats_lines(data["claim_details"]):
        click.echo(line)
    click.echo(f"relations: {data['relations']}")
    click.echo("annotators: " + (", ".join(f"{n} ({c} spans)" for n, c in data["annotators"].items()) or "none"))


@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--merge", multiple=True, metavar="NAME", help="A claimant name to merge (repeat for more).")
@click.option("--into", default=None, metavar="CANONICAL", help="With --merge: the name they become.")
@click.option("--unmerge", multiple=True, metavar="NAME",
              help="Make an alias its own claimant again; a canonical name lets go of all its aliases.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def claimants(project: str, merge: tuple[str, ...], into: str | None, unmerge: tuple[str, ...],
              as_json: bool) -> None:
    """Claimants with their claim and document counts; merge names of one source into one."""
    from .workflows.claimants import change_claimants, claimant_lines, claimant_report

    with _open(project) as opened:
        try:
            done = change_claimants(opened, merge, into, unmerge) if merge or unmerge or into else []
        except InputError as exc:
            _fail(f"error: {exc}", EXIT_INPUT)
        except ProjectError as exc:
            _fail(f"error: {exc}", EXIT_PROJECT)
        for line in done:
            click.echo(line, err=as_json)
        if as_json:
            click.echo(json.dumps(claimant_report(opened), indent=2, ensure_ascii=False))
        else:
            for line in claimant_lines(opened.claimant_groups()):
                click.echo(line)


@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--add", "add_name", metavar="NAME", help="Add a label.")
@click.option("--kind", type=click.Choice(["entity", "claim", "doc"]), default="entity", show_default=True)
@click.option("--key", default=None, help="Shortcut key: a digit or letter, or shift+DIGIT.")
@click.option("--color", default=None, help="Colour as #rrggbb.")
@click.option("--description", default=None)
@click.option("--rename", nargs=2, metavar="OLD NEW", help="Rename a label; its spans follow.")
@click.option("--remove", "remove_name", metavar="NAME", help="Remove a label (refused while in use).")
@click.option("--force", is_flag=True, help="With --remove: also delete the spans that use it.")
def labels(project: str, add_name: str | None, kind: str, key: str | None, color: str | None,
           description: str | None, rename: tuple[str, str] | None, remove_name: str | None, force: bool) -> None:
    """List the label scheme, or change it with --add, --rename or --remove."""
    if color is not None and not COLOR_RE.match(color):
        _fail(f"error: --color {color!r} must look like #rrggbb", EXIT_INPUT)
    with _open(project) as opened:
        try:
            if add_name:
                label = opened.add_label(Label(add_name, kind, color or Label.color, key, description or ""))
                click.echo(f"added {label.name} ({label.kind}, {label.color}, key {label.key or '-'})")
            elif rename:
                opened.rename_label(*rename)
                click.echo(f"renamed {rename[0]} to {rename[1]}")
            elif remove_name:
                removed = opened.remove_label(remove_name, force=force)
                click.echo(f"removed {remove_name}" + (f" and {removed} annotation(s) using it" if removed else ""))
            elif color or key or description is not None:
                _fail("error: --color/--key/--description go with --add", EXIT_INPUT)
            else:
                _print_labels(opened)
        except LabelInUse as exc:
            _fail(f"error: {exc}; use --force to remove it and them", EXIT_INPUT)
        except ProjectError as exc:
            _fail(f"error: {exc}", EXIT_INPUT)


def _print_labels(project: Project) -> None:
    usage = {name: sum(c[k] for k in ("accepted", "suggested", "rejected"))
             for name, c in project.stats()["spans"].items()}
    rows = project.labels()
    width = max((len(lab.name) for lab in rows), default=5)
    for lab in rows:
        click.echo(f"{lab.name:<{width}}  {lab.kind:<6}  {lab.color}  key {lab.key or '-':<7}  "
                   f"{usage.get(lab.name, 0):>7} spans  {lab.description}")
    attributes = project.claim_attributes()
    if attributes:
        click.echo("claim attributes:")
        for attr in attributes:
            choices = " / ".join(attr.choices) if attr.kind == "choice" else "free text"
            click.echo(f"  {attr.name} (key {attr.key or '-'}{', required' if attr.required else ''}): {choices}")


if __name__ == "__main__":  # pragma: no cover
    main()
