"""Pre-annotation: run a suggestion source over one document or the whole project.

A project run streams documents out of the store page by page, through ``nlp.pipe`` (on
two processes where that pays, see ``processes_for``), and writes every ``batch_size``
documents in ONE transaction (suggestions, claims and uncertainty scores together). Cancel
stops between batches: what is written is whole batches, and a second run adds only what
is missing (the store never duplicates a suggestion, nor brings back a rejected one).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..core.problems import InputError
from ..core.suggestions import ClaimLabels, DocSuggestions, SuggestCounts
from ..nlp.suggest import (
    SourceSpec,
    SuggestError,
    Suggester,
    entity_ranges,
    installed_pipelines,
    is_pipeline_dir,
    make_suggester,
)
from ..store.models import WrittenSuggestions
from ..store.project import Project

BATCH_SIZE = 64  # documents per transaction: a cancel loses at most this much work
PAGE_SIZE = 256  # documents read from the store at a time
MIN_DOCS_FOR_PROCESSES = 200  # below this, starting worker processes costs more than it gains
SOURCE_SETTING = "suggest.source"  # project setting: the source the window last used
PROGRESS_MARK = "@annotator-suggest "  # lines the window reads from a child ``annotator suggest``

Progress = Callable[[int, int, SuggestCounts], None]  # documents done, total, counts so far


@dataclass
class SuggestRun:
    """The outcome of a project run."""

    spec: SourceSpec
    counts: SuggestCounts = field(default_factory=SuggestCounts)
    total: int = 0
    cancelled: bool = False
    seconds: float = 0.0
    processes: int = 1
    doc_ids: list[int] = field(default_factory=list)  # documents that got suggestions
    scored: int = 0  # documents given an uncertainty score

    def to_json(self) -> dict:
        counts = asdict(self.counts)
        counts["unknown_labels"] = dict(self.counts.unknown_labels)
        return {"spec": self.spec.to_json(), "counts": counts, "total": self.total, "cancelled": self.cancelled,
                "seconds": self.seconds, "processes": self.processes, "doc_ids": self.doc_ids, "scored": self.scored}

    @classmethod
    def from_json(cls, data: Mapping) -> SuggestRun:
        counts = dict(data["counts"])
        counts["unknown_labels"] = Counter(counts.get("unknown_labels", {}))
        return cls(SourceSpec.from_json(data["spec"]), SuggestCounts(**counts), int(data["total"]),
                   bool(data["cancelled"]), float(data["seconds"]), int(data["processes"]),
                   [int(i) for i in data["doc_ids"]], int(data["scored"]))

    def summary(self) -> str:
        head = "Cancelled after" if self.cancelled else "Suggested in"
        took = f"{self.seconds:.1f}" if self.seconds >= 10 else f"{self.seconds:.2f}"
        return (f"{head} {self.counts.documents:,} of {self.total:,} documents in {took} s "
                f"({self.spec.describe()}): {self.counts.summary()}")


def claim_labels(project: Project) -> ClaimLabels | None:
    """Which labels a proposed claim's parts get in this project, or None without a claim label."""
    labels = project.labels()
    claim = next((lab.name for lab in labels if lab.kind == "claim" and lab.name == "CLAIM"), None) \
        or next((lab.name for lab in labels if lab.kind == "claim"), None)
    if claim is None:
        return None
    roles = [lab.name for lab in labels if lab.kind == "role"]
    cue = "CUE" if "CUE" in roles else None
    source = "SOURCE" if "SOURCE" in roles else None
    return ClaimLabels(claim, cue, source)


def resolve_source(project: Project, spec: SourceSpec) -> SourceSpec:
    """A model named by a trained model's name becomes that model's folder (its origin keeps
    the name); a folder or package keeps its own name."""
    return _resolve(spec, {m.name: m.path for m in project.models()})


def _resolve(spec: SourceSpec, trained: Mapping[str, str]) -> SourceSpec:
    if spec.kind != "model":
        return spec
    if spec.ref in trained:
        return SourceSpec("model", trained[spec.ref], spec.ref, spec.claims)
    if not spec.name:
        path = Path(spec.ref)
        if path.exists():
            name = path.parent.name if path.name in ("model-best", "model-last") and path.parent.name else path.name
            return SourceSpec("model", spec.ref, name, spec.claims)
    return spec


def trained_model_id(project: Project, spec: SourceSpec) -> int | None:
    """The ``models`` row this source is, if it is a model trained here (scores need one)."""
    if spec.kind != "model":
        return None
    for model in project.models():
        if model.name == spec.name or Path(model.path) == Path(spec.ref):
            return model.id
    return None


def prepare(project: Project, spec: SourceSpec) -> tuple[SourceSpec, Suggester, ClaimLabels | None]:
    """Load and check the source for this project; raises ``SuggestError`` / ``InputError``."""
    return prepare_offline(spec, project.label_kinds(), project.language, claim_labels(project),
                           {m.name: m.path for m in project.models()})


def prepare_offline(spec: SourceSpec, kinds: Mapping[str, str], language: str, labels: ClaimLabels | None,
                    trained: Mapping[str, str]) -> tuple[SourceSpec, Suggester, ClaimLabels | None]:
    """``prepare`` from what was read of the project beforehand: a worker thread (which may
    not share the window's Project) loads the source with this."""
    spec = _resolve(spec, trained)
    if (spec.claims or spec.kind == "cues") and labels is None:
        raise SuggestError("claim suggestions need a label of kind claim (e.g. CLAIM) in the project")
    if spec.kind == "model" and not spec.ref:
        raise SuggestError("choose a model")
    if spec.kind == "model" and Path(spec.ref).exists() and not (is_pipeline_dir(spec.ref)
                                                                 or is_pipeline_dir(Path(spec.ref) / "model-best")):
        raise SuggestError(f"{spec.ref}: not a spaCy pipeline folder")
    return spec, make_suggester(spec, kinds, language), labels


def processes_for(suggester: Suggester, documents: int) -> int:
    """Two processes for a model run over enough documents on a machine with two cores and
    fork (measured: 1.9x on 2 cores, benchmarks/bench_suggest.py); otherwise one. Pattern and
    cue runs are tokenizer-bound and faster than a worker start-up."""
    if suggester.spec.kind != "model" or documents < MIN_DOCS_FOR_PROCESSES:
        return 1
    if multiprocessing.get_start_method(allow_none=False) != "fork":
        return 1  # spawn would pickle the pipeline into each worker: slower to start than it gains
    return max(1, min(2, os.cpu_count() or 1))


# ------------------------------------------------------------------------ one document
def suggest_document(project: Project, doc_id: int, suggester: Suggester) -> DocSuggestions:
    """Proposals for one document (nothing written): the window shows them through an undoable
    command that writes them."""
    text = project.document(doc_id).text
    existing = project.existing_spans([doc_id])[doc_id]
    kinds = project.label_kinds()
    [found] = suggester.run([(doc_id, text, entity_ranges(existing, kinds))])
    return found


def write_document(project: Project, found: DocSuggestions, suggester: Suggester,
                   labels: ClaimLabels | None) -> WrittenSuggestions:
    return project.write_suggestions([found], suggester.origin, claim_labels=labels if suggester.claims else None)


# ------------------------------------------------------------------------ the project
def suggest_project(
    project: Project, spec: SourceSpec, only: str = "todo", *,
    progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False,
    batch_size: int = BATCH_SIZE, processes: int | None = None, with_scores: bool = False,
    prepared: tuple[SourceSpec, Suggester, ClaimLabels | None] | None = None,
) -> SuggestRun:
    """Pre-annotate every document (``only="all"``) or every document still to do.

    ``with_scores`` (a model trained in this project only) also stores each document's
    uncertainty for "next uncertain document"; it roughly doubles the time.
    """
    spec, suggester, labels = prepared or prepare(project, spec)
    model_id = trained_model_id(project, spec) if with_scores else None
    total = project.suggestion_document_count(only)
    run = SuggestRun(spec, total=total)
    run.processes = processes if processes is not None else processes_for(suggester, total)
    kinds = project.label_kinds()
    started = time.perf_counter()
    stream = suggester.stream(_documents(project, only), batch_size=16 if run.processes > 1 else 32,
                              n_process=run.processes, with_scores=model_id is not None)
    batch: list[tuple[int, str, object]] = []
    try:
        for item in stream:
            batch.append(item)
            if len(batch) >= batch_size:
                _flush(project, suggester, batch, kinds, labels, model_id, run)
                batch = []
                if progress is not None:
                    progress(run.counts.documents, total, run.counts)
                if cancelled():
                    run.cancelled = True
                    break
        else:
            if batch:
                _flush(project, suggester, batch, kinds, labels, model_id, run)
                if progress is not None:
                    progress(run.counts.documents, total, run.counts)
    finally:
        stream.close()  # stops spaCy's worker processes on cancel or error
    run.seconds = time.perf_counter() - started
    return run


def _documents(project: Project, only: str) -> Iterator[tuple[int, str]]:
    after = None
    while True:
        page = project.suggestion_documents(only, after=after, limit=PAGE_SIZE)
        if not page:
            return
        for _position, doc_id, text in page:
            yield doc_id, text
        after = page[-1][:2]


def _flush(project: Project, suggester: Suggester, batch: list, kinds: Mapping[str, str],
           labels: ClaimLabels | None, model_id: int | None, run: SuggestRun) -> None:
    existing = project.existing_spans([doc_id for doc_id, _text, _doc in batch]) if suggester.claims else {}
    found = [suggester.propose(doc_id, text, doc, entity_ranges(existing.get(doc_id, ()), kinds))
             for doc_id, text, doc in batch]
    with project.transaction():  # suggestions and scores of a batch land together or not at all
        written = project.write_suggestions(found, suggester.origin,
                                            claim_labels=labels if suggester.claims else None)
        if model_id is not None:
            scores = {f.doc_id: f.uncertainty for f in found if f.uncertainty is not None}
            if scores:
                project.set_document_scores(model_id, scores)
                run.scored += len(scores)
    run.counts.merge(written.counts)
    run.doc_ids += written.doc_ids


def read_pattern_files(paths: Sequence[str], kinds: Mapping[str, str]) -> int:
    """Check pattern files (every problem in one ``InputError``); returns how many patterns."""
    from ..nlp.patterns import read_patterns

    problems, count = [], 0
    for path in paths:
        try:
            count += len(read_patterns(path, kinds))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return count


__all__ = ["SourceSpec", "SuggestError", "SuggestRun", "installed_pipelines", "prepare", "prepare_offline",
           "read_pattern_files", "suggest_document", "suggest_project"]


# ------------------------------------------------------------------------ remembering the source
def saved_source(project: Project) -> SourceSpec | None:
    import json

    raw = project.setting(SOURCE_SETTING)
    if not raw:
        return None
    try:
        return SourceSpec.from_json(json.loads(raw))
    except (ValueError, SuggestError, AttributeError):
        return None


def save_source(project: Project, spec: SourceSpec) -> None:
    import json

    project.set_setting(SOURCE_SETTING, json.dumps(spec.to_json(), ensure_ascii=False))


# ------------------------------------------------------------------------ the command line
def run_cli_suggest(project: Project, spec: SourceSpec, only: str, *, score: bool, processes: int | None,
                    echo: Callable[..., None], progress_json: bool = False) -> int:
    """``annotator suggest``: progress on stderr, the summary on stdout; returns the exit status
    (0 done, 2 the source was refused, 3 the project could not be written, 130 stopped by Ctrl+C).

    The first Ctrl+C asks the run to stop after the batch in progress (its handler only sets a
    flag, so spaCy's forked workers, which inherit it, simply finish); a second one interrupts.
    """
    import signal

    from ..core.problems import InputError
    from ..store import ProjectError

    stop = {"asked": False}

    def on_interrupt(_signum: int, _frame: object) -> None:
        if stop["asked"]:
            raise KeyboardInterrupt
        stop["asked"] = True
        echo("stopping after the batch in progress (Ctrl+C again to interrupt now)", err=True)

    last = [0.0]

    def progress(done: int, total: int, counts: SuggestCounts) -> None:
        if progress_json:  # for the window, which runs this command as a child (suggest_in_child)
            echo(PROGRESS_MARK + json.dumps({"done": done, "total": total, "added": counts.added}))
            return
        now = time.monotonic()
        if now - last[0] >= 2.0 or done == total:
            last[0] = now
            echo(f"suggest: {done:,} of {total:,} documents, {counts.added:,} suggestions", err=True)

    try:
        prepared = prepare(project, spec)
    except InputError as exc:
        echo(f"error: the pattern file was refused:\n{exc}", err=True)
        return 2
    except SuggestError as exc:
        echo(f"error: {exc}", err=True)
        return 2
    if score and trained_model_id(project, prepared[0]) is None:
        echo("note: --score needs a model trained in this project (annotator train); not scoring", err=True)
    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        run = suggest_project(project, prepared[0], only, progress=progress, cancelled=lambda: stop["asked"],
                              processes=processes, with_scores=score, prepared=prepared)
    except ProjectError as exc:
        echo(f"error: {exc}", err=True)
        return 3
    finally:
        signal.signal(signal.SIGINT, previous)
    if progress_json:
        echo(PROGRESS_MARK + json.dumps({"result": run.to_json()}))
    echo(run.summary())
    if run.scored:
        echo(f"ranked {run.scored:,} documents by uncertainty (Go > Next Uncertain Document)")
    return 130 if run.cancelled else 0


# ------------------------------------------------------------------------ in a child process
def suggest_command(project_path: Path, spec: SourceSpec, only: str, *, score: bool) -> list[str]:
    """``annotator suggest ...`` for this source, as the window runs it (a bundle has no ``-m``)."""
    base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "annotator"]
    args = ["suggest", str(project_path), "--only", only, "--progress-json"]
    if spec.kind == "model":
        args += ["--model", spec.ref]
        if spec.name:
            args += ["--name", spec.name]
    elif spec.kind == "patterns":
        for path in spec.files:
            args += ["--patterns", path]
    if spec.claims or spec.kind == "cues":
        args.append("--claims")
    if score:
        args.append("--score")
    return base + args


def suggest_in_child(project_path: Path, spec: SourceSpec, only: str, *, score: bool,
                     progress: Callable[[int, int, int], None] | None = None,
                     cancelled: Callable[[], bool] = lambda: False) -> SuggestRun:
    """Run the project pre-annotation as a child process and follow it.

    Why a child: spaCy's two worker processes are forked, and forking the window's process
    (Qt threads running) corrupted its heap. Cancel sends the child SIGINT, which stops it
    after the batch in progress and still reports what it did (elsewhere: terminate; the
    batches already written are whole either way).
    """
    from .child_process import ChildError, ChildProcess

    try:
        child = ChildProcess(suggest_command(project_path, spec, only, score=score))
    except ChildError as exc:
        raise SuggestError(str(exc)) from exc
    result: SuggestRun | None = None
    other: list[str] = []
    for line in child.follow(cancelled, graceful=True):
        if not line.startswith(PROGRESS_MARK):
            other.append(line)
            continue
        data = json.loads(line[len(PROGRESS_MARK):])
        if "result" in data:
            result = SuggestRun.from_json(data["result"])
        elif progress is not None:
            progress(int(data["done"]), int(data["total"]), int(data["added"]))
    if result is not None:
        return result
    if cancelled():
        return SuggestRun(spec, cancelled=True)
    messages = [line.removeprefix("error: ") for line in other if line.strip()]
    raise SuggestError("\n".join(messages[-12:]) or f"suggesting stopped (status {child.returncode})")
