"""The model in the loop: suggest, train, and spaCy's own command line.

The workflows return results and raise typed errors; here they are printed and turned into
exit statuses (0 done, 2 refused input or a failed training, 3 an unusable project, 130
stopped by Ctrl+C).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from collections.abc import Callable, Iterator

import click

from ..store import ProjectError
from . import main
from .common import EXIT_INPUT, EXIT_PROJECT, fail, open_for_writing, wait_option

EXIT_STOPPED = 130  # stopped by Ctrl+C, as shells report SIGINT


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
@wait_option
def suggest(project: str, model: str | None, patterns: tuple[str, ...], claims: bool, only: str, score: bool,
            processes: int | None, wait: float | None) -> None:
    """Pre-annotate PROJECT: suggested spans (and claims) that wait for accept or reject.

    Suggestions never change a tagged span, never duplicate one, and a suggestion rejected
    once is not proposed again. Ctrl+C stops after the batch in progress (whole batches are kept).
    """
    from ..core.problems import InputError
    from ..workflows.suggesting import SourceSpec, SuggestError, prepare, suggest_project, trained_model_id

    if bool(model) + bool(patterns) > 1:
        fail("error: give --model or --patterns, not both", EXIT_INPUT)
    if not model and not patterns and not claims:
        fail("error: give --model NAME_OR_PATH, --patterns FILE or --claims", EXIT_INPUT)
    if model:
        spec = SourceSpec("model", model, claims=claims)
    elif patterns:
        spec = SourceSpec("patterns", patterns[0], claims=claims, refs=tuple(patterns))
    else:
        spec = SourceSpec("cues", claims=True)
    last = [0.0]

    def progress(done: int, total: int, counts) -> None:  # noqa: ANN001 - SuggestCounts
        now = time.monotonic()
        if now - last[0] >= 2.0 or done == total:
            last[0] = now
            click.echo(f"suggest: {done:,} of {total:,} documents, {counts.added:,} suggestions", err=True)

    with open_for_writing(project, "suggest", wait=wait) as opened:
        try:
            prepared = prepare(opened, spec)
        except InputError as exc:
            fail(f"error: the pattern file was refused:\n{exc}", EXIT_INPUT)
        except SuggestError as exc:
            fail(f"error: {exc}", EXIT_INPUT)
        if score and trained_model_id(opened, prepared[0]) is None:
            click.echo("note: --score needs a model trained in this project (annotator train); not scoring", err=True)
        with _first_interrupt_stops("stopping after the batch in progress (Ctrl+C again to interrupt now)") as stop:
            try:
                run = suggest_project(opened, prepared[0], only, progress=progress, cancelled=stop,
                                      processes=processes, with_scores=score, prepared=prepared)
            except ProjectError as exc:
                fail(f"error: {exc}", EXIT_PROJECT)
    click.echo(run.summary())
    if run.scored:
        click.echo(f"ranked {run.scored:,} documents by uncertainty (Go > Next Uncertain Document)")
    sys.exit(EXIT_STOPPED if run.cancelled else 0)


@contextlib.contextmanager
def _first_interrupt_stops(note: str | None) -> Iterator[Callable[[], bool]]:
    """The first Ctrl+C asks the work to stop (its handler only sets a flag, so spaCy's forked
    workers, which inherit it, simply finish); a second one interrupts (with ``note``)."""
    asked = {"stop": False}

    def on_interrupt(_signum: int, _frame: object) -> None:
        if asked["stop"] and note is not None:
            raise KeyboardInterrupt
        asked["stop"] = True
        if note is not None:
            click.echo(note, err=True)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield lambda: asked["stop"]
    finally:
        signal.signal(signal.SIGINT, previous)


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
@wait_option
def train(project: str, output: str | None, name: str | None, epochs: int, patience: int, components: str,
          dev: float, base: str | None, seed: int, wait: float | None) -> None:
    """Train a model on PROJECT's done documents (spaCy, in a subprocess) and record it in the project.

    Prints a line per epoch and the final precision/recall/F per label. Ctrl+C stops the
    training and removes its folder; the project is left as it was.
    """
    from ..workflows.training import (
        TrainCancelled,
        TrainError,
        TrainProgress,
        TrainSettings,
        epoch_line,
        per_label_table,
        train_project,
    )

    settings = TrainSettings(components=tuple(c.strip() for c in components.split(",") if c.strip()),
                             epochs=epochs, patience=patience, dev=dev, base=base, seed=seed)
    shown = {"epochs": 0, "stage": ""}

    def progress(state: TrainProgress) -> None:
        if state.stage != shown["stage"]:
            shown["stage"] = state.stage
            click.echo(f"{state.stage}: {state.message}", err=True)
        for row in state.epochs[shown["epochs"]:]:
            click.echo(epoch_line(row))
        shown["epochs"] = len(state.epochs)

    with open_for_writing(project, "train", wait=wait) as opened, _first_interrupt_stops(None) as stop:
        try:
            result = train_project(opened, settings, name=name, output=output, progress=progress, cancelled=stop)
        except TrainCancelled:
            fail("training cancelled; nothing was recorded", EXIT_STOPPED)
        except TrainError as exc:
            fail(f"error: {exc}", EXIT_INPUT)
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_PROJECT)
        docs = result.documents
        click.echo(f"trained {result.model.name} on {docs.get('train', 0)} documents, scored on "
                   f"{docs.get('dev', 0)} held-out documents, in {result.seconds:.0f} s")
        click.echo(f"model: {result.model.path}")
        click.echo(per_label_table(result.model))
        click.echo(f"use it: annotator suggest {opened.path} --model {result.model.name}")


@main.command("spacy-cli", hidden=True, context_settings={"ignore_unknown_options": True,
                                                          "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def spacy_cli(args: tuple[str, ...]) -> None:
    """spaCy's own command line (what ``python -m spacy`` runs): training uses it in a bundle."""
    from ..workflows.training import run_spacy_cli

    run_spacy_cli(args)
