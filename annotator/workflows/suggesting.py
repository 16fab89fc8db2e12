"""Pre-annotation: run a suggestion source over one document or the whole project.

A project run streams documents out of the store page by page, through ``nlp.pipe`` (on
two processes where that pays, see ``processes_for``), and writes every ``batch_size``
documents in ONE transaction (suggestions, claims and uncertainty scores together). Cancel
stops between batches: what is written is whole batches, and a second run adds only what
is missing (the store never duplicates a suggestion, nor brings back a rejected one).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..core.problems import InputError, Problem
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
           "read_pattern_files", "suggest_document", "suggest_in_child", "suggest_project", "trained_model_id"]


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


# ------------------------------------------------------------------------ in a child process
def suggest_in_child(project_path: Path, spec: SourceSpec, only: str, *, score: bool,
                     progress: Callable[[int, int, int], None] | None = None,
                     cancelled: Callable[[], bool] = lambda: False) -> SuggestRun:
    """``suggest_project`` in a spawned child process (workflows/child_process.py), followed.

    Why a child: spaCy's two worker processes are forked, and forking the window's process (Qt
    threads running) corrupted its heap. Cancel asks the child to stop after the batch in
    progress; it still reports what it did (the batches written are whole either way).
    Raises ``SuggestError`` (the source was refused, or the child failed), ``InputError`` (a
    pattern file) or ``ProjectError`` (the project could not be written), as in this process.
    """
    from ..store import ProjectError
    from .child_process import ChildError, ChildFailed, ChildFunction

    def on_report(value: tuple[int, int, int]) -> None:
        if progress is not None:
            progress(*value)

    try:
        child = ChildFunction(_suggest_child, str(project_path), spec.to_json(), only, score)
    except ChildError as exc:
        raise SuggestError(str(exc)) from exc
    try:
        return SuggestRun.from_json(child.follow(cancelled, on_report))
    except ChildFailed as exc:
        if exc.kind == "InputError":
            raise InputError(exc.problems or [Problem(str(project_path), None, None, str(exc))]) from exc
        if exc.kind in ("ProjectError", "NotAProject", "ProjectCorrupt", "ProjectTooNew", "EditRefused"):
            raise ProjectError(str(exc)) from exc
        raise SuggestError(str(exc) if exc.kind == "SuggestError" else f"suggesting stopped: {exc}") from exc
    finally:
        child.stop()


def _suggest_child(path: str, spec: dict, only: str, score: bool, *, report: Callable[[object], None],
                   cancelled: Callable[[], bool]) -> dict:
    """What the child runs: plain data in and out (it pickles)."""
    # This process was spawned; its own workers (spaCy's n_process) may start the platform's
    # way again (fork on Linux): this fresh, single-threaded interpreter is safe to fork.
    multiprocessing.set_start_method(None, force=True)
    source = SourceSpec.from_json(spec)
    # The window checked the file already; it holds the editing lock, for this very run.
    with Project.open(path, check=False) as project:
        run = suggest_project(project, source, only, cancelled=cancelled, with_scores=score,
                              progress=lambda done, total, counts: report((done, total, counts.added)))
    return run.to_json()
