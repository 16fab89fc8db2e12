"""Split a project's documents among annotators, one project file each (``annotator team split``).

Each file (``DIR/<name>.annotator``) holds the scheme, the documents assigned to that
annotator, their existing layer and the undecided suggestions on those documents; the
annotator is the file's own annotator, with the UUID they have in this project, so merging
the file back later (workflows/merging.py) updates exactly their layer. The assignment is
recorded in this project. Files are written whole or not at all; existing files are never
replaced.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.team import check_annotator_name, plan_split
from ..store import Project, ProjectError
from ..store.split import CopyCounts, document_ids, spans_of_nobody, write_copy

Progress = Callable[[int, int, str], None]
SUFFIX = ".annotator"


class SplitError(Exception):
    """The split cannot be made; nothing was written. The message is for the user."""


class SplitCancelled(SplitError):
    pass


@dataclass(frozen=True)
class SplitOptions:
    annotators: tuple[str, ...]
    overlap: float | None = None  # share of documents every annotator gets
    overlap_docs: int | None = None  # or a number of them
    per_doc: int = 1  # annotators per document outside the overlap
    seed: int = 0


@dataclass
class SplitFile:
    annotator: str  # the ref in the source project
    path: Path
    counts: CopyCounts


@dataclass
class SplitResult:
    documents: int = 0  # in the project
    overlap: int = 0  # documents every annotator has
    files: list[SplitFile] = field(default_factory=list)
    seconds: float = 0.0


def split_path(output: Path, name: str) -> Path:
    return output / f"{name}{SUFFIX}"


def split_project(project: Project, output: str | Path, options: SplitOptions, progress: Progress | None = None,
                  cancelled: Callable[[], bool] = lambda: False) -> SplitResult:
    """Write one project file per annotator into ``output`` and record the assignment.

    Raises SplitError before writing anything when an option or the output is wrong;
    SplitCancelled (files written so far removed, no assignment recorded) when cancelled.
    """
    started = time.perf_counter()
    report = progress or (lambda done, total, message: None)
    output = Path(output)
    names = list(options.annotators)
    doc_ids = document_ids(project)
    if not doc_ids:
        raise SplitError(f"{project.path.name} has no documents to split")
    try:
        plan = plan_split(doc_ids, names, overlap=options.overlap, overlap_docs=options.overlap_docs,
                          per_doc=options.per_doc, seed=options.seed)
    except ValueError as exc:
        raise SplitError(str(exc)) from exc
    _check_output(output, names)
    try:
        # Registered first (their UUIDs go into the files), in one transaction.
        with project.transaction():
            for name in names:
                project.annotator_id(name)
            people = {name: project.find_annotator(name) for name in names}
    except ProjectError as exc:
        raise SplitError(str(exc)) from exc
    result = SplitResult(len(doc_ids), _overlap(plan))
    nobody = spans_of_nobody(project)
    written: list[Path] = []
    try:
        for i, name in enumerate(names):
            if cancelled():
                raise SplitCancelled("cancelled; no files were kept and no assignment recorded")
            report(i, len(names), f"writing {split_path(output, name).name} ({len(plan[name]):,} documents)")
            path = split_path(output, name)
            counts = write_copy(project, path, people[name], plan[name], nobody)
            written.append(path)
            result.files.append(SplitFile(people[name].ref, path, counts))
        project.assign({people[name].uuid: plan[name] for name in names})
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    report(len(names), len(names), f"wrote {len(names)} files")
    result.seconds = time.perf_counter() - started
    return result


def _check_output(output: Path, names: Sequence[str]) -> None:
    if output.exists() and not output.is_dir():
        raise SplitError(f"{output} is a file; --output names a folder for the annotators' files")
    for name in names:
        if (reason := check_annotator_name(name)) is not None:
            raise SplitError(reason)
        if any(c in name for c in '/\\:*?"<>|') or name in (".", ".."):
            raise SplitError(f"annotator name {name!r} becomes a file name; use letters, digits, - _ . and spaces")
    taken = [str(split_path(output, name)) for name in names if split_path(output, name).exists()]
    if taken:
        raise SplitError(f"{', '.join(taken)} already exist(s); choose another folder or remove them")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SplitError(f"{output}: cannot create the folder: {exc.strerror}") from exc


def _overlap(plan: dict[str, list[int]]) -> int:
    sets = [set(ids) for ids in plan.values()]
    return len(set.intersection(*sets)) if sets else 0
