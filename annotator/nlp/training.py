"""Training a pipeline on exported project data with ``python -m spacy train`` in a subprocess.

Why a subprocess: training takes minutes and most of a core; in its own process it can never
freeze the window, its memory goes back when it ends, and Cancel is a clean ``terminate``.

What we change in the exported ``config.cfg`` (nlp.spacy_config makes it), and why:

- batches of a fixed number of documents (``spacy.batch_by_sequence.v1``), so an epoch is
  exactly ``ceil(train documents / batch size)`` steps, and ``eval_frequency`` is set to
  that: spaCy then evaluates once per epoch and we can show a row per epoch;
- ``max_epochs`` is the user's epochs + 1 with ``max_steps`` = epochs x steps per epoch, so
  the last evaluation comes right after the last full epoch; ``patience`` (in epochs for the
  user) becomes steps;
- our logger (``annotator.JSONLogger.v1``, written next to the config and passed with
  ``--code``) prints one JSON line per evaluation, which the caller parses for the live
  table; everything else spaCy prints goes to the log as it is.

A base pipeline (optional) gives the trained components their starting weights: each chosen
component the base has (and the tok2vec it listens to) is sourced from it.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .loading import spacy as load_spacy

COMPONENTS = ("ner", "spancat")
LINE_MARK = "@annotator-train "
LOGGER_NAME = "annotator.JSONLogger.v1"
LOGGER_FILE = "annotator_logger.py"

LOGGER_CODE = '''"""Prints one JSON line per evaluation of ``spacy train`` (written by annotator; see
annotator/nlp/training.py). Pass this file with --code to re-run the training by hand."""

import json
import sys

import spacy


@spacy.registry.loggers("annotator.JSONLogger.v1")
def annotator_json_logger():
    def setup(nlp, stdout=sys.stdout, stderr=sys.stderr):
        def log_step(info):
            if info is None:
                return
            scores = {k: v for k, v in (info.get("other_scores") or {}).items()
                      if isinstance(v, (int, float)) and not isinstance(v, bool)}
            row = {"epoch": info["epoch"], "step": info["step"], "score": info["score"],
                   "losses": {k: float(v) for k, v in info["losses"].items()}, "scores": scores,
                   "seconds": info.get("seconds", 0), "words": info.get("words", 0)}
            print("@annotator-train " + json.dumps(row), file=stdout, flush=True)

        def finalize():
            pass

        return log_step, finalize

    return setup
'''


class TrainError(Exception):
    """Training cannot start or failed; the message is for the user (the log has the rest)."""


@dataclass(frozen=True)
class TrainSettings:
    components: tuple[str, ...] = ("ner",)
    epochs: int = 10
    patience: int = 3  # epochs without a better score before stopping early (0: never)
    dev: float = 0.2  # share of done documents held out for evaluation
    base: str | None = None  # a pipeline (package or folder) to start from
    seed: int = 0
    batch_size: int = 0  # documents per step; 0 picks one from the data size

    def check(self) -> None:
        unknown = [c for c in self.components if c not in COMPONENTS]
        if not self.components or unknown:
            raise TrainError(f"components must be among {', '.join(COMPONENTS)}, got {', '.join(self.components)}")
        if self.epochs < 1:
            raise TrainError("train for at least one epoch")
        if self.patience < 0:
            raise TrainError("patience cannot be negative")
        if not 0 < self.dev < 1:
            raise TrainError("the dev share must be above 0 and below 1 (the scores come from it)")


@dataclass(frozen=True)
class EpochRow:
    """One evaluation: after ``epoch`` full passes over the training documents."""

    epoch: int
    step: int
    score: float
    losses: dict[str, float] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    seconds: int = 0

    def main_scores(self) -> list[tuple[str, float]]:
        """The P/R/F totals worth a column: entities and claim spans."""
        keys = [k for k in self.scores if k.endswith(("_p", "_r", "_f")) and (k.startswith(("ents_", "spans_")))]
        return [(k, self.scores[k]) for k in sorted(keys, key=_score_order)]


def _score_order(key: str) -> tuple[int, str]:
    return (0 if key.startswith("ents") else 1, key[:-2] + {"p": "0", "r": "1", "f": "2"}[key[-1]])


def parse_line(line: str) -> EpochRow | None:
    """An evaluation row from a line our logger printed; None for every other line."""
    if not line.startswith(LINE_MARK):
        return None
    try:
        data = json.loads(line[len(LINE_MARK):])
        return EpochRow(int(data["epoch"]), int(data["step"]), float(data["score"] or 0.0),
                        {k: float(v) for k, v in data.get("losses", {}).items()},
                        {k: float(v) for k, v in data.get("scores", {}).items()}, int(data.get("seconds", 0)))
    except (ValueError, KeyError, TypeError):
        return None


def batch_size_for(train_documents: int) -> int:
    """One document a step below 200 training documents, up to four for big sets.

    News articles are long (~600 words): one is already a batch the size spaCy's default
    compounding batcher starts with, and a small set needs every update it can get (measured:
    33 documents at four a step learned nothing in three epochs; at one a step it learns)."""
    return max(1, min(4, train_documents // 100))


def steps_per_epoch(train_documents: int, batch: int) -> int:
    return max(1, math.ceil(train_documents / batch))


def write_config(export_config: Path | None, target: Path, *, language: str, train: Path, dev: Path,
                 settings: TrainSettings, train_documents: int, claims_key: str) -> int:
    """Write the training config; returns the steps per epoch."""
    load_spacy()
    from spacy import util

    from .spacy_config import ConfigPlan, training_config

    longest = 0
    if export_config is not None and export_config.is_file():
        exported = util.load_config(export_config, interpolate=False)
        suggester = exported.get("components", {}).get("spancat", {}).get("suggester", {})
        longest = int(suggester.get("max_size", 0) or 0)
    plan = ConfigPlan(language, ner="ner" in settings.components, spancat="spancat" in settings.components,
                      longest_claim=longest or 8)
    config = util.Config().from_str(training_config(plan, train, dev), interpolate=False)
    batch = settings.batch_size or batch_size_for(train_documents)
    steps = steps_per_epoch(train_documents, batch)
    training = config["training"]
    training["batcher"] = {"@batchers": "spacy.batch_by_sequence.v1", "size": batch, "get_length": None}
    training["eval_frequency"] = steps
    training["max_epochs"] = settings.epochs + 1
    training["max_steps"] = settings.epochs * steps
    training["patience"] = settings.patience * steps
    training["seed"] = settings.seed
    training["logger"] = {"@loggers": LOGGER_NAME}
    if plan.spancat:
        # spancat's scorer gives per-label scores, but meta.json keeps only what score_weights
        # names (ner names its ents_per_type; the quickstart names nothing per label for spans).
        training["score_weights"][f"spans_{claims_key}_per_type"] = None
    if settings.base:
        _source_from_base(config, settings.base)
    target.write_text(config.to_str(), encoding="utf-8")
    (target.parent / LOGGER_FILE).write_text(LOGGER_CODE, encoding="utf-8")
    return steps


def _source_from_base(config: Any, base: str) -> None:
    """Start each chosen component the base pipeline has from the base's weights."""
    spacy = load_spacy()

    try:
        base_nlp = spacy.load(base)
    except (OSError, ValueError) as exc:
        raise TrainError(f"cannot load the base pipeline {base!r}: {str(exc).splitlines()[0]}") from exc
    sourced = []
    for name in list(config["nlp"]["pipeline"]):
        if name in base_nlp.pipe_names and name != "tok2vec":
            config["components"][name] = {"source": base, "replace_listeners": ["model.tok2vec"]}
            sourced.append(name)
    if not sourced:
        raise TrainError(f"the base pipeline {base!r} has none of the chosen components "
                         f"({', '.join(config['nlp']['pipeline'])}); it has {', '.join(base_nlp.pipe_names)}")
    # A sourced component brings its own copy of the tok2vec it listened to (replace_listeners),
    # so the blank shared tok2vec is only kept for components that are not sourced.
    listeners = [n for n in config["nlp"]["pipeline"] if n not in sourced and n != "tok2vec"]
    if not listeners and "tok2vec" in config["nlp"]["pipeline"]:
        config["nlp"]["pipeline"] = [n for n in config["nlp"]["pipeline"] if n != "tok2vec"]
        del config["components"]["tok2vec"]
    config["initialize"]["vectors"] = None


def model_scores(model_dir: Path, claims_key: str) -> dict[str, Any]:
    """Totals and per-label P/R/F of a trained pipeline, from its ``meta.json``."""
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    performance = meta.get("performance", {}) or {}
    totals = {k: float(v) for k, v in performance.items()
              if isinstance(v, (int, float)) and k.endswith(("_p", "_r", "_f"))}
    per_label: dict[str, dict[str, dict[str, float]]] = {}
    for component, key in (("ner", "ents_per_type"), ("spancat", f"spans_{claims_key}_per_type")):
        table = performance.get(key)
        if isinstance(table, Mapping) and table:
            per_label[component] = {label: {m: float(prf.get(m, 0.0)) for m in ("p", "r", "f")}
                                    for label, prf in table.items()}
    return {"totals": totals, "per_label": per_label}


# ------------------------------------------------------------------------ the subprocess
def spacy_command(config: Path, output: Path, code: Path) -> list[str]:
    """``python -m spacy train ...``; a frozen bundle has no ``-m``: its own executable runs
    spaCy's command line through a hidden sub-command."""
    args = ["train", str(config), "--output", str(output), "--code", str(code)]
    if getattr(sys, "frozen", False):
        return [sys.executable, "spacy-cli", *args]
    return [sys.executable, "-m", "spacy", *args]


def run_spacy_cli(args: Sequence[str]) -> None:
    """Run spaCy's own command line in this process (the hidden ``spacy-cli`` sub-command)."""
    from spacy.cli import setup_cli

    sys.argv = ["spacy", *args]
    setup_cli()


def rows_as_json(rows: Sequence[EpochRow]) -> list[dict[str, Any]]:
    return [asdict(row) for row in rows]
