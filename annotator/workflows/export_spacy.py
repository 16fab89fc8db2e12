"""The spaCy export: DocBin shards in DIR/train.spacy/ and DIR/dev.spacy/, config.cfg, summary, alignment report.

Split: each document goes to dev when ``split_score(seed, content hash) < dev``, so the same
project and seed always give the same split, and adding documents never moves one already
placed. (When that leaves dev empty although it was asked for, the document nearest to the
dev side goes there, so ``spacy train`` has something to evaluate on.)

Shards: each batch of documents becomes ``train.spacy/NNNNN.spacy`` and
``dev.spacy/NNNNN.spacy``, written by a worker process; spaCy reads a folder of .spacy files
as one corpus, so ``--paths.train DIR/train.spacy --paths.dev DIR/dev.spacy`` works as the
spaCy docs write it whether those are the shard folders or, with ``single_file``, one merged
file each (slower: everything is packed twice).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.export import ExportDocument, split_score
from ..core.team import GOLD_NAME
from ..store.export_reader import ExportReader
from ..store.project import Project
from .export_common import (
    ExportCancelled,
    ExportError,
    ExportOptions,
    ExportResult,
    Progress,
    pool,
    run_batches,
    staging_folder,
    write_json,
)
from .export_summary import spacy_text

# Everything an earlier spaCy export may have left in DIR: replaced (or removed) by a new one.
OWN_FILES = ("config.cfg", "summary.json", "summary.txt", "alignment.jsonl")
# The training data: a shard folder or (single_file) one file each, under the same name.
OWN_DATA = ("train.spacy", "dev.spacy")
# Shard folders as earlier versions named them: replaced too, when they hold nothing but shards.
OLD_FOLDERS = ("train", "dev")


def export_spacy(project: Project, reader: ExportReader, output: Path, options: ExportOptions,
                 progress: Progress, cancelled: Callable[[], bool], workers: int) -> ExportResult:
    from ..nlp.docbin import DocBinSettings, ShardResult, merge_shards, write_shard
    from ..nlp.export_tokens import effective_language

    _check_output(output)
    splits = plan_splits(reader.content_hashes(), options.seed, options.dev)
    total = len(splits)
    if not total:
        if reader.selection.layer == GOLD_NAME:  # gold's own status: a document is done once reviewed
            raise ExportError(f"nothing to export: no document of the gold layer has status "
                              f"{' or '.join(options.include)} (a document is done in gold once it is marked "
                              "reviewed: View > Review and Ctrl+Return, or annotator review --auto … --mark-reviewed; "
                              "or export one annotator's layer: --annotator NAME)")
        raise ExportError(f"nothing to export: no document has status {' or '.join(options.include)} "
                          "(include other statuses: --include all, or the Documents boxes of File > Export…)")
    scheme = project.scheme()
    language = effective_language(scheme.language)
    settings = DocBinSettings(language, options.alignment,
                              doc_labels=tuple(lab.name for lab in scheme.labels if lab.kind == "doc"),
                              kinds=tuple((lab.name, lab.kind) for lab in scheme.labels))
    staging = staging_folder(output)
    executor = pool(workers, language) if workers else None
    merged = ShardResult()
    done = 0
    number = 0
    progress(0, total, "tokenizing and writing DocBin shards")

    def submit(batch: list[ExportDocument]) -> Any:
        nonlocal number
        number += 1
        items = [(splits[doc.id], doc) for doc in batch]
        if executor is None:
            return write_shard(items, settings, str(staging), number)
        return executor.submit(write_shard, items, settings, str(staging), number)

    def handle(batch: list[ExportDocument], shard: Any) -> None:
        nonlocal done
        merged.merge(shard)
        done += len(batch)
        progress(done, total, f"{done} of {total} documents tokenized and written")

    try:
        run_batches(reader.batches(), submit, executor, handle, cancelled, workers)
        if executor is not None:
            executor.shutdown(wait=True)
        if cancelled():
            raise ExportCancelled
        progress(done, total, "writing config.cfg")
        output.mkdir(parents=True, exist_ok=True)
        result = ExportResult("spacy", output, documents=done)
        train, dev = output / "train.spacy", output / "dev.spacy"
        notes = []
        if not merged.documents.get("dev"):
            notes.append("the dev set is empty (--dev 0 or too few documents): config.cfg evaluates on the training "
                         "data, which says nothing about accuracy on new text")
            dev = train
        summary = _summary(output, options, language, merged, train, dev, notes)
        summary["selection"]["layer"] = reader.selection.layer
        config = _config(summary, merged, language, output, train, dev)  # before anything in DIR changes
        _place(staging, output, options.single_file, merge_shards)
        if config is None:
            (output / "config.cfg").unlink(missing_ok=True)
        else:
            (output / "config.cfg").write_text(config, encoding="utf-8")
        _write_reports(output, summary, merged)
    except BaseException:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.workers = workers
    result.summary = summary
    result.issues = merged.issues
    result.text = spacy_text(summary)
    (output / "summary.txt").write_text(result.text + "\n", encoding="utf-8")
    # After summary.txt: a first export into a folder listed everything but it.
    result.files = sorted(p for p in output.rglob("*") if p.is_file() and _is_own(output, p))
    return result


def plan_splits(hashes: list[tuple[int, str]], seed: int, dev: float) -> dict[int, str]:
    """Document id -> "train" or "dev" (module docstring)."""
    scores = {doc_id: split_score(content_hash, seed) for doc_id, content_hash in hashes}
    splits = {doc_id: "dev" if score < dev else "train" for doc_id, score in scores.items()}
    if dev > 0 and len(splits) >= 2 and "dev" not in splits.values():
        nearest = min(scores, key=lambda doc_id: (scores[doc_id], doc_id))
        splits[nearest] = "dev"
    return splits


def _check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise ExportError(f"{output} is a file; the spaCy export writes a folder (train.spacy, dev.spacy, "
                          "config.cfg, ...)")
    for name in OWN_DATA:
        folder = output / name
        if folder.is_dir() and _strangers(folder):
            raise ExportError(f"{folder} holds files that are not .spacy shards ({_strangers(folder)[0].name}); "
                              "the export replaces that folder: choose another output folder")


def _strangers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix != ".spacy"]


def _is_own(output: Path, path: Path) -> bool:
    relative = path.relative_to(output)
    return relative.parts[0] in OWN_DATA or relative.name in OWN_FILES and len(relative.parts) == 1


def _place(staging: Path, output: Path, single_file: bool, merge: Callable) -> None:
    """Replace what an earlier export left with the new shards (or merged files).

    Everything slow (merging) happens in the staging folder first; then the old files go
    and the new ones are renamed into place.
    """
    ready: dict[str, Path] = {}
    for split, name in zip(OLD_FOLDERS, OWN_DATA, strict=True):
        folder = staging / split  # where the workers wrote this split's shards
        shards = sorted(folder.glob("*.spacy")) if folder.is_dir() else []
        if single_file:
            if shards:
                merge(shards, staging / name)
                ready[name] = staging / name
        else:
            folder.mkdir(exist_ok=True)
            ready[name] = folder
    for name in OWN_DATA:
        target = output / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    for name in OLD_FOLDERS:
        old = output / name
        if old.is_dir() and not _strangers(old) and any(old.glob("*.spacy")):
            shutil.rmtree(old)
    for name, source in ready.items():
        source.rename(output / name)


def _summary(output: Path, options: ExportOptions, language: str, merged: Any, train: Path, dev: Path,
             notes: list[str]) -> dict[str, Any]:
    problems = {"misaligned": 0, "adjusted": 0, "overlapping entity": 0, "white-space entity": 0}
    for issue in merged.issues:
        problems[issue.problem] = problems.get(issue.problem, 0) + 1
    return {
        "format": "spacy",
        "output": str(output),
        "language": language,
        "documents": dict(merged.documents),
        "tokens": dict(merged.tokens),
        "entities": {split: dict(sorted(c.items())) for split, c in merged.entities.items()},
        "claims": {split: dict(sorted(c.items())) for split, c in merged.claims.items()},
        "spans": {split: dict(sorted(c.items())) for split, c in merged.spans.items()},
        "cats": {split: dict(sorted(c.items())) for split, c in merged.cats.items()},
        "alignment": {"mode": options.alignment, **problems,
                      "report": "alignment.jsonl" if merged.issues else None},
        "train": str(train),
        "dev": str(dev),
        "selection": {"include": list(options.include), "annotator": options.annotator, "dev": options.dev,
                      "seed": options.seed},
        "notes": notes,
    }


def _config(summary: dict[str, Any], merged: Any, language: str, output: Path, train: Path,
            dev: Path) -> str | None:
    """The config.cfg text (None when there is nothing to train); notes what it chose in ``summary``."""
    from ..nlp.spacy_config import ConfigPlan, training_config

    has = {key: any(summary[key].get("train", {}).values()) for key in ("entities", "claims", "cats")}
    doc_labels = {name for split in summary["cats"].values() for name in split}
    textcat = None
    if has["cats"]:
        textcat = "textcat" if merged.exclusive_cats and len(doc_labels) >= 2 else "textcat_multilabel"
    plan = ConfigPlan(language, ner=has["entities"], spancat=has["claims"], textcat=textcat,
                      longest_claim=merged.longest_claim)
    config = output / "config.cfg"
    if not plan.pipeline:
        summary["config"] = None
        summary["config_note"] = "the training documents hold no entity, claim or document label"
        return None
    text = training_config(plan, train, dev)
    summary["config"] = str(config)
    summary["components"] = plan.pipeline
    if plan.spancat and merged.longest_claim > plan.claim_ngram_max:
        summary["notes"].append(f"the longest claim has {merged.longest_claim} tokens; spancat suggests spans of up "
                                f"to {plan.claim_ngram_max} (components.spancat.suggester.max_size in config.cfg)")
    # --output: without it spacy train trains and then saves nothing.
    summary["command"] = (f"python -m spacy train {_shell(config)} --paths.train {_shell(train)} "
                          f"--paths.dev {_shell(dev)} --output {_shell(output / 'model')}")
    return text


def _shell(path: Path) -> str:
    text = str(path)
    return text if all(c.isalnum() or c in "/._-:\\" for c in text) else "'" + text.replace("'", "'\\''") + "'"


def _write_reports(output: Path, summary: dict[str, Any], merged: Any) -> None:
    write_json(output / "summary.json", summary)
    report = output / "alignment.jsonl"
    if merged.issues:
        with report.open("w", encoding="utf-8", newline="\n") as handle:
            for issue in merged.issues:
                handle.write(json.dumps(issue.as_dict(), ensure_ascii=False) + "\n")
    else:
        report.unlink(missing_ok=True)
