"""The model in the loop: suggest, train, and spaCy's own command line."""

from __future__ import annotations

import sys

import click

from . import main
from .common import EXIT_INPUT, fail, open_for_writing, wait_option


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
@wait_option
def suggest(project: str, model: str | None, patterns: tuple[str, ...], claims: bool, only: str, score: bool,
            processes: int | None, name: str | None, progress_json: bool, wait: float | None) -> None:
    """Pre-annotate PROJECT: suggested spans (and claims) that wait for accept or reject.

    Suggestions never change a tagged span, never duplicate one, and a suggestion rejected
    once is not proposed again. Ctrl+C stops after the batch in progress (whole batches are kept).
    """
    from ..workflows.suggesting import SourceSpec, run_cli_suggest

    if bool(model) + bool(patterns) > 1:
        fail("error: give --model or --patterns, not both", EXIT_INPUT)
    if not model and not patterns and not claims:
        fail("error: give --model NAME_OR_PATH, --patterns FILE or --claims", EXIT_INPUT)
    if model:
        spec = SourceSpec("model", model, name or "", claims=claims)
    elif patterns:
        spec = SourceSpec("patterns", patterns[0], claims=claims, refs=tuple(patterns))
    else:
        spec = SourceSpec("cues", claims=True)
    # --progress-json: a child of the window, which checked the file and holds the editing lock.
    with open_for_writing(project, "suggest", wait=wait, check=not progress_json, lock=not progress_json) as opened:
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
@wait_option
def train(project: str, output: str | None, name: str | None, epochs: int, patience: int, components: str,
          dev: float, base: str | None, seed: int, wait: float | None) -> None:
    """Train a model on PROJECT's done documents (spaCy, in a subprocess) and record it in the project.

    Prints a line per epoch and the final precision/recall/F per label. Ctrl+C stops the
    training and removes its folder; the project is left as it was.
    """
    from ..workflows.training import TrainSettings, run_cli_train

    settings = TrainSettings(components=tuple(c.strip() for c in components.split(",") if c.strip()),
                             epochs=epochs, patience=patience, dev=dev, base=base, seed=seed)
    with open_for_writing(project, "train", wait=wait) as opened:
        sys.exit(run_cli_train(opened, settings, name=name, output=output, echo=click.echo))


@main.command("spacy-cli", hidden=True, context_settings={"ignore_unknown_options": True,
                                                          "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def spacy_cli(args: tuple[str, ...]) -> None:
    """spaCy's own command line (what ``python -m spacy`` runs): training uses it in a bundle."""
    from ..workflows.training import run_spacy_cli

    run_spacy_cli(args)
