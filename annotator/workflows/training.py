"""Train a model on the project's done documents; record it beside the project.

    <folder of the project>/<project stem>.models/<name>/
        data/            the spaCy export of the done documents (train/, dev/, summary)
        config.cfg       the training config (see nlp.training for what is changed and why)
        annotator_logger.py, command.txt, train.log
        output/model-best, output/model-last

Nothing is written to the project until the training has succeeded; then one row goes into
``models`` (scores per label from model-best's meta.json). Cancel or failure removes the
model's folder, so the project and the models folder stay as they were.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from ..core.suggestions import TrainedModel
from ..nlp.training import (
    EpochRow,
    TrainError,
    TrainSettings,
    model_scores,
    parse_line,
    rows_as_json,
    run_spacy_cli,
    spacy_command,
    write_config,
)
from ..store.project import Project
from .child_process import ChildError, ChildFailed, ChildFunction
from .exporting import ExportCancelled, ExportError, ExportOptions, export_project

__all__ = ["TrainCancelled", "TrainError", "TrainProgress", "TrainResult", "TrainSettings", "models_folder",
           "run_spacy_cli", "train_project"]

CLAIMS_KEY = "claims"  # the span group the export writes claims to (nlp.docbin.CLAIMS_KEY)
MIN_DOCUMENTS = 2  # one to learn from, one to score on


class TrainCancelled(Exception):
    pass


@dataclass
class TrainProgress:
    """Cumulative, so a progress report that is coalesced away loses nothing."""

    stage: str = "export"  # export, train, save
    message: str = ""
    epochs: list[EpochRow] = field(default_factory=list)
    log_tail: list[str] = field(default_factory=list)
    planned_epochs: int = 0
    steps_per_epoch: int = 0


@dataclass
class TrainResult:
    model: TrainedModel
    epochs: list[EpochRow]
    folder: Path
    seconds: float
    documents: dict[str, int]

    def per_label_table(self) -> str:
        return per_label_table(self.model)


def models_folder(project: Project) -> Path:
    """``<project stem>.models`` next to the project file."""
    path = project.path.resolve()
    return path.with_name(f"{path.stem}.models")


def default_name(settings: TrainSettings) -> str:
    return f"{'+'.join(settings.components)}-{datetime.now().strftime('%Y%m%d-%H%M')}"


def train_project(
    project: Project, settings: TrainSettings, *, name: str | None = None, output: str | Path | None = None,
    progress: Callable[[TrainProgress], None] | None = None, cancelled: Callable[[], bool] = lambda: False,
    annotator: str | None = None,
) -> TrainResult:
    """Export the done documents, train in a subprocess, record the model; see module docstring.
    ``annotator``: the layer to train on (its documents done, its spans), as ``export --annotator``
    takes it; None: the only layer (a project with several refuses, naming them)."""
    settings.check()
    started = time.perf_counter()
    name = project.unique_model_name(name or default_name(settings))
    # Absolute: spaCy runs with the model's folder as its working folder.
    folder = (Path(output) if output else models_folder(project) / name).resolve()
    if folder.exists() and any(folder.iterdir()):
        raise TrainError(f"{folder} already exists and is not empty; choose another name or folder")
    state = TrainProgress(planned_epochs=settings.epochs)

    def report(current: TrainProgress) -> None:
        # A copy: the state goes on changing here while the window (another thread) reads it.
        if progress is not None:
            progress(replace(current, epochs=list(current.epochs), log_tail=list(current.log_tail)))

    folder.mkdir(parents=True, exist_ok=True)
    try:
        documents, steps = _prepare(project, settings, folder, state, report, cancelled, annotator)
        state.steps_per_epoch = steps
        _train(folder, state, report, cancelled)
        state.stage, state.message = "save", "recording the model"
        report(state)
        best = folder / "output" / "model-best"
        if not (best / "meta.json").is_file():
            raise TrainError(f"spaCy finished without a model-best (see {folder / 'train.log'})")
        scores = model_scores(best, CLAIMS_KEY)
        scores["epochs"] = rows_as_json(state.epochs)
        model = project.add_model(
            name, str(best), components=list(settings.components), documents=sum(documents.values()),
            scores=scores, base=settings.base,
            settings={"epochs": settings.epochs, "patience": settings.patience, "dev": settings.dev,
                      "seed": settings.seed, "documents": documents, "steps_per_epoch": steps,
                      "folder": str(folder), **({"annotator": annotator} if annotator is not None else {})})
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        if not output:
            with contextlib.suppress(OSError):
                folder.parent.rmdir()  # the models folder, if this was to be its first model
        raise
    return TrainResult(model, state.epochs, folder, time.perf_counter() - started, documents)


def _prepare(project: Project, settings: TrainSettings, folder: Path, state: TrainProgress,
             report: Callable[[TrainProgress], None], cancelled: Callable[[], bool],
             annotator: str | None = None) -> tuple[dict[str, int], int]:
    done = project.document_count("done", annotator=annotator)
    if done < MIN_DOCUMENTS:
        raise TrainError(f"training needs at least {MIN_DOCUMENTS} done documents (this project has {done}); "
                         "mark annotated documents done first (Ctrl+Return)")
    state.message = f"exporting {done:,} done documents"
    report(state)

    def export_progress(count: int, total: int, _message: str) -> None:
        state.message = f"exporting: {count:,} of {total:,} documents"
        report(state)

    data = folder / "data"
    try:
        result = export_project(project, data, ExportOptions(format="spacy", include=("done",), dev=settings.dev,
                                                             seed=settings.seed, alignment="contract",
                                                             annotator=annotator),
                                export_progress, cancelled)
    except ExportCancelled as exc:
        raise TrainCancelled from exc
    except ExportError as exc:
        raise TrainError(str(exc)) from exc
    summary = result.summary
    documents = {split: int(n) for split, n in summary.get("documents", {}).items()}
    _check_data(settings, summary)
    state.stage, state.message = "train", "initializing the pipeline"
    report(state)
    steps = write_config(data / "config.cfg", folder / "config.cfg", language=summary.get("language", "en"),
                         train=Path(summary["train"]), dev=Path(summary["dev"]), settings=settings,
                         train_documents=documents.get("train", 0), claims_key=CLAIMS_KEY)
    return documents, steps


def _check_data(settings: TrainSettings, summary: dict[str, Any]) -> None:
    documents = summary.get("documents", {})
    if not documents.get("train") or not documents.get("dev"):
        raise TrainError(f"too few done documents to split into training and evaluation "
                         f"({documents.get('train', 0)} train, {documents.get('dev', 0)} dev); "
                         "mark more documents done or change the dev share")
    if "ner" in settings.components and not any(summary.get("entities", {}).get("train", {}).values()):
        raise TrainError("the done documents hold no accepted entity spans to train ner on")
    if "spancat" in settings.components and not any(summary.get("claims", {}).get("train", {}).values()):
        raise TrainError("the done documents hold no accepted claims to train spancat on")


def _train(folder: Path, state: TrainProgress, report: Callable[[TrainProgress], None],
           cancelled: Callable[[], bool]) -> None:
    """spaCy's training in a spawned child process (child_process.py); its output goes to
    train.log, which is followed here for the evaluation rows and the log's tail."""
    from ..nlp.training import LOGGER_FILE

    command = spacy_command(folder / "config.cfg", folder / "output", folder / LOGGER_FILE)
    (folder / "command.txt").write_text(" ".join(f'"{c}"' if " " in c else c for c in command) + "\n",
                                        encoding="utf-8")
    log_path = folder / "train.log"
    log_path.write_text("$ " + " ".join(command) + "\n", encoding="utf-8")
    try:
        child = ChildFunction(_spacy_train_child, command[command.index("train") + 1:], str(log_path))
    except ChildError as exc:
        raise TrainError(str(exc)) from exc
    with log_path.open(encoding="utf-8", errors="replace") as log:
        follow = _LogFollower(log, state, report)
        try:
            child.follow(cancelled, idle=follow.read, graceful=False)
        except ChildFailed as exc:
            follow.read()
            if exc.kind == "Cancelled" or cancelled():
                raise TrainCancelled from exc
            tail = "\n".join(state.log_tail[-8:])
            raise TrainError(f"spaCy's training stopped ({exc}):\n{tail}") from exc
        finally:
            child.stop()
        follow.read()
    if cancelled():
        raise TrainCancelled


class _LogFollower:
    """Reads the lines the child has written to train.log so far (whole lines only)."""

    def __init__(self, log: TextIO, state: TrainProgress, report: Callable[[TrainProgress], None]):
        self.log, self.state, self.report = log, state, report
        self.partial = ""
        log.readline()  # the command line written above

    def read(self) -> None:
        changed = False
        while chunk := self.log.readline():
            self.partial += chunk
            if not self.partial.endswith("\n"):
                break  # the child is still writing this line
            line, self.partial = self.partial.rstrip("\n"), ""
            row = parse_line(line)
            if row is not None:
                self.state.epochs.append(row)
                self.state.message = f"epoch {row.epoch} of {self.state.planned_epochs}"
            elif line.strip():
                self.state.log_tail = (self.state.log_tail + [line])[-20:]
            changed = True
        if changed:
            self.report(self.state)


def _spacy_train_child(args: list[str], log_path: str, *, report: Callable[[object], None],
                       cancelled: Callable[[], bool]) -> int:
    """What the child runs: spaCy's ``train`` command in this process, everything it prints
    (its own output and our logger's rows, C libraries too) appended to train.log."""
    import os
    import sys

    log = open(log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives as long as the child
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log
    run_spacy_cli(["train", *args])
    return 0


def per_label_table(model: TrainedModel) -> str:
    """The per-label precision/recall/F table as text (CLI and logs)."""
    rows = model.per_label()
    if not rows:
        return "(no per-label scores)"
    lines = [f"{'component':<10} {'label':<16} {'P':>6} {'R':>6} {'F':>6}"]
    lines += [f"{component:<10} {label:<16} {p * 100:6.1f} {r * 100:6.1f} {f * 100:6.1f}"
              for component, label, p, r, f in rows]
    totals = model.scores.get("totals", {})
    for prefix, component in (("ents", "ner"), (f"spans_{CLAIMS_KEY}", "spancat")):
        if f"{prefix}_f" in totals:
            lines.append(f"{component:<10} {'(all)':<16} {totals[f'{prefix}_p'] * 100:6.1f} "
                         f"{totals[f'{prefix}_r'] * 100:6.1f} {totals[f'{prefix}_f'] * 100:6.1f}")
    return "\n".join(lines)


def epoch_line(row: EpochRow) -> str:
    losses = "  ".join(f"loss {k} {v:.2f}" for k, v in row.losses.items())
    scores = "  ".join(f"{k} {v * 100:.1f}" for k, v in row.main_scores())
    return f"epoch {row.epoch:>3}  step {row.step:>6}  {losses}  {scores}  score {row.score * 100:.1f}"
