"""Review of the whole project before a person looks (``annotator review --auto``) and the
review progress the window's status bar shows.

``auto_review`` copies into gold, for every document not yet reviewed, each unit the
annotators agree on exactly: all of them (``unanimous``) or more than half of them
(``majority``), at least ``min_annotators`` in either case. Everything else (conflicts,
units most annotators lack, claims whose claimant would overlap a gold entity) is left for a
person and counted. Units already decided are never touched, so a second run adds nothing;
a reviewed document is left as it is unless ``redo`` starts it over (its gold is deleted
first). One transaction: cancelled or failed, the project is as it was.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.review import CONFLICT, MISSING, UNDECIDED
from ..core.review_auto import auto_document
from ..core.review_decisions import AUTO_MODES
from ..store import Project, ProjectError
from ..store.project import now_iso
from ..store.review_bulk import GoldWriter, ReviewReader
from ..store.split import document_ids

Progress = Callable[[int, int, str], None]
BATCH_DOCUMENTS = 1000  # progress and Cancel every this many documents


class ReviewError(Exception):
    """The review cannot run as asked (message for the user); nothing was written."""


class ReviewCancelled(ReviewError):
    pass


@dataclass(frozen=True)
class AutoReviewOptions:
    mode: str = "majority"  # unanimous | majority
    min_annotators: int = 2
    annotators: tuple[str, ...] | None = None  # None: everyone with a layer but gold
    documents: tuple[int, ...] | None = None  # None: every document
    redo: bool = False  # start reviewed documents over (their gold is deleted)
    mark_reviewed: bool = False  # mark documents with nothing left undecided reviewed
    reviewer: str = "annotator review --auto"


@dataclass
class AutoReviewResult:
    documents: int = 0  # documents looked at (not reviewed before, or started over)
    reviewed_skipped: int = 0  # reviewed documents left as they are
    redone: int = 0
    units: Counter = field(default_factory=Counter)  # units decided now, by group
    spans: int = 0  # gold spans written
    claims: int = 0
    decided_before: int = 0
    left: int = 0  # units left for a person
    left_documents: int = 0  # documents with units left
    left_by_state: Counter = field(default_factory=Counter)
    marked_reviewed: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def decided(self) -> int:
        return sum(self.units.values())


def auto_review(project: Project, options: AutoReviewOptions = AutoReviewOptions(), progress: Progress | None = None,
                cancelled: Callable[[], bool] = lambda: False) -> AutoReviewResult:
    """See the module doc. Raises ReviewError for bad options, ReviewCancelled when cancelled."""
    started = time.perf_counter()
    if options.mode not in AUTO_MODES:
        raise ReviewError(f"--auto must be one of {', '.join(AUTO_MODES)}, not {options.mode!r}")
    if not isinstance(options.min_annotators, int) or options.min_annotators < 1:
        raise ReviewError(f"--min-annotators must be at least 1, not {options.min_annotators!r}")
    if not options.reviewer.strip():
        raise ReviewError("the reviewer's name must not be empty")
    report = progress or (lambda done, total, message: None)
    result = AutoReviewResult()
    try:
        chosen = project.review_annotators(options.annotators)
    except ProjectError as exc:
        raise ReviewError(f"--annotators: {exc}") from None
    if not chosen:
        raise ReviewError("there are no annotators' layers to review in this project")
    with project.transaction():
        gold = project.ensure_gold()
        doc_ids = _scope(project, options, gold.uuid, result)
        reader = ReviewReader(project, chosen, gold)
        participants = reader.participants()
        writer = GoldWriter(project, gold, options.reviewer.strip(), now_iso(),
                            {a.ref: a.uuid for a in project.annotator_list()}, project.allow_overlapping_entities)
        finished: list[int] = []
        total = len(doc_ids)
        for done, read in enumerate(reader.documents(doc_ids, participants), start=1):
            outcome = auto_document(read.annotators, read.groups, options.mode, options.min_annotators)
            result.decided_before += outcome.decided_before
            left = outcome.left
            for refused in writer.add(read, outcome.copies):
                left[refused[1]] += 1
            if left:
                result.left += sum(left.values())
                result.left_documents += 1
                result.left_by_state.update(left)
            elif outcome.copies or outcome.decided_before:
                finished.append(read.doc_id)
            if done % BATCH_DOCUMENTS == 0:
                report(done, total, f"{done:,} of {total:,} documents compared")
                if cancelled():
                    raise ReviewCancelled("cancelled; nothing was written to gold")
        # Written once everything is read: the reads are cursors over the tables written to.
        report(total, total, "writing gold")
        writer.flush()
        if options.mark_reviewed and finished:
            project.set_statuses(finished, "done", gold.uuid)
            result.marked_reviewed = len(finished)
    result.units.update(writer.units)
    result.spans, result.claims, result.notes = writer.spans, writer.claims, writer.left_out
    result.documents = total
    result.seconds = time.perf_counter() - started
    report(total, total, "done")
    return result


def _scope(project: Project, options: AutoReviewOptions, gold_uuid: str, result: AutoReviewResult) -> set[int]:
    """The documents to review: not reviewed yet (or all, with ``redo``: their gold goes)."""
    rows = project.every_status(gold_uuid)
    wanted = None if options.documents is None else set(options.documents)
    if wanted is not None:
        unknown = sorted(wanted - {doc_id for doc_id, _ in rows})
        if unknown:
            raise ReviewError(f"--documents: no document with id {', '.join(map(str, unknown[:5]))}")
    scope: set[int] = set()
    redo: list[int] = []
    for doc_id, status in rows:
        if wanted is not None and doc_id not in wanted:
            continue
        if status == "done":
            if not options.redo:
                result.reviewed_skipped += 1
                continue
            redo.append(doc_id)
        scope.add(doc_id)
    project.clear_gold(redo)
    result.redone = len(redo)
    return scope


@dataclass
class ReviewProgress:
    """How far review is: "reviewed 37 of 120; 412 of 2,130 units decided"."""

    documents: int = 0  # documents with something to review (a unit)
    reviewed: int = 0  # of them, reviewed (gold's status done)
    units: int = 0
    decided: int = 0
    by_state: Counter = field(default_factory=Counter)
    needs_review: list[int] = field(default_factory=list)  # documents with undecided units, in id order
    disagreement: dict[int, int] = field(default_factory=dict)  # document -> units in conflict or missing

    @property
    def text(self) -> str:
        return (f"reviewed {self.reviewed:,} of {self.documents:,}; "
                f"{self.decided:,} of {self.units:,} units decided")


def review_progress(project: Project, annotators: tuple[str, ...] | None = None, progress: Progress | None = None,
                    cancelled: Callable[[], bool] = lambda: False) -> ReviewProgress:
    """Every document's units counted by state (reads only; one pass as ``auto_review`` makes)."""
    try:
        chosen = project.review_annotators(annotators)
    except ProjectError as exc:
        raise ReviewError(f"--annotators: {exc}") from None
    gold = project.gold_annotator()
    reader = ReviewReader(project, chosen, gold)
    reviewed = set(project.reviewed_document_ids())
    doc_ids = set(document_ids(project))
    result = ReviewProgress()
    total = len(doc_ids)
    for done, read in enumerate(reader.documents(doc_ids, reader.participants()), start=1):
        units = read.units()
        if not units:
            continue
        result.documents += 1
        result.reviewed += read.doc_id in reviewed
        states = Counter(unit.state for unit in units)
        result.units += len(units)
        result.by_state.update(states)
        undecided = sum(n for state, n in states.items() if state in UNDECIDED)
        result.decided += len(units) - undecided
        if undecided:
            result.needs_review.append(read.doc_id)
        result.disagreement[read.doc_id] = states[CONFLICT] + states[MISSING]
        if done % BATCH_DOCUMENTS == 0:
            if progress is not None:
                progress(done, total, f"{done:,} of {total:,} documents counted")
            if cancelled():
                raise ReviewCancelled("cancelled")
    return result
