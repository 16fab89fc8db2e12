"""Merge annotators' project files into one project (``annotator merge``).

Each source file is one transaction: it comes in whole or not at all (a ``kill -9`` leaves
the target as it was before that file). Documents are matched by content hash (a document
the target lacks is added with its meta); each annotator's layer comes in whole, matched by
content (core.layer_merge), so merging a file again adds nothing and an updated copy of
alice's file updates alice's layer and nothing else. Schemes must agree
(core.team.compare_schemes): a label, attribute or choice the target lacks is refused unless
``add_labels``; a name with another kind always is.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.layer_merge import LayerContent, MergePlanner
from ..core.team import GOLD_UUID, Annotator, SchemeDifference, compare_schemes
from ..store import Project, ProjectError
from ..store import layer_rows as rows
from ..store import merge as store
from ..store.migrations import TEAM_LAYERS_KEY

Progress = Callable[[int, int, str], None]
BATCH_DOCUMENTS = 500


class MergeError(Exception):
    """A source cannot be merged; nothing of it was written. The message is for the user."""


class SchemeMismatch(MergeError):
    def __init__(self, message: str, difference: SchemeDifference) -> None:
        super().__init__(message)
        self.difference = difference


class MergeCancelled(MergeError):
    pass


@dataclass(frozen=True)
class MergeOptions:
    add_labels: bool = False  # add labels, attributes and choices the target lacks
    batch_documents: int = BATCH_DOCUMENTS  # changed documents reconciled row by row per batch


@dataclass
class SourceSummary:
    """What merging one source file did."""

    source: Path
    layers: list[str] = field(default_factory=list)  # refs (in the target) of the layers brought in
    documents_added: int = 0
    documents_matched: int = 0
    counts: Counter = field(default_factory=Counter)  # "spans added", "claims updated", ...
    labels_added: list[str] = field(default_factory=list)
    aliases_added: int = 0
    alias_conflicts: list[str] = field(default_factory=list)
    assignments_added: int = 0
    unattributed: int = 0  # decided spans and document labels with no annotator: not merged
    notes: list[str] = field(default_factory=list)

    @property
    def nothing_new(self) -> bool:
        return not (self.documents_added or any(self.counts.values()) or self.labels_added or self.aliases_added
                    or self.assignments_added)


@dataclass
class MergeResult:
    """Per source, in the order given: its summary, or why it was refused."""

    summaries: list[SourceSummary] = field(default_factory=list)
    errors: list[tuple[Path, MergeError]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def merge_projects(target: Project, sources: Sequence[str | Path], options: MergeOptions = MergeOptions(),
                   progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False) -> MergeResult:
    """Merge each source in turn; a refused source is reported and the next one merged.
    Cancelling stops after rolling back the source being merged (earlier ones stay)."""
    result = MergeResult()
    for path in sources:
        try:
            result.summaries.append(merge_source(target, path, options, progress, cancelled))
        except MergeCancelled:
            raise
        except MergeError as exc:
            result.errors.append((Path(path), exc))
    return result


def merge_source(target: Project, path: str | Path, options: MergeOptions = MergeOptions(),
                 progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False) -> SourceSummary:
    """Merge one project file into ``target`` in one transaction; raises MergeError (nothing
    written) when it cannot be."""
    path = Path(path)
    if path.exists() and target.path.exists() and path.samefile(target.path):
        raise MergeError(f"{path}: this is the project being merged into")
    try:
        source = Project.open(path, check=False)
    except ProjectError as exc:
        raise MergeError(str(exc)) from exc
    try:
        return _merge(target, source, options, progress or (lambda done, total, message: None), cancelled)
    except sqlite3.DatabaseError as exc:
        raise MergeError(f"{path}: cannot be read or merged: {exc}") from exc
    finally:
        source.close()


def _merge(target: Project, source: Project, options: MergeOptions, progress: Progress,
           cancelled: Callable[[], bool]) -> SourceSummary:
    summary = SourceSummary(source.path, unattributed=store.unattributed_count(source))
    difference = _check_schemes(target, source, options)
    if source.allow_overlapping_entities != target.allow_overlapping_entities:
        summary.notes.append("the two files disagree on overlapping entities; the layers came in as they are")
    own = source.own_annotator()
    with store.attached(target, source), target.transaction():
        if difference.missing:
            scheme = source.scheme()
            labels = [label for label in scheme.labels if (label.name, label.kind) in difference.missing_labels]
            attributes = [a for a in scheme.attributes if a.name in difference.missing_attributes]
            store.add_scheme_parts(target, labels, attributes, difference.missing_choices)
            summary.labels_added = difference.missing
        labels = _label_map(source, target)
        people = _annotators(source, target)
        summary.layers = [a.ref for a in people.values()]
        if people:
            target.set_setting(TEAM_LAYERS_KEY, "1")  # a team's project now: the window keeps layers apart
        name = source.path.name

        def step(done: int, message: str) -> None:
            progress(done, 4, f"{name}: {message}")
            if cancelled():
                raise MergeCancelled(f"{name}: cancelled; nothing of it was merged")

        merge = store.SourceMerge(target, own.id if own else None)
        step(0, "matching documents")
        summary.documents_matched, summary.documents_added = merge.add_documents()
        merge.map_labels_and_people(labels, {source_id: a.id for source_id, a in people.items()})
        step(1, "comparing layers")
        merge.plan_pairs()
        step(2, "adding new layers")
        summary.counts.update(merge.copy_new())
        step(3, "updating changed layers")
        _reconcile(source, target, labels, people, merge.changed_pairs(), options, summary, progress, cancelled)
        gold = next((a for a in people.values() if a.uuid == GOLD_UUID), None)
        if gold is not None:
            summary.counts["gold documents"] += merge.merge_gold_provenance(gold.id)
        summary.counts["statuses changed"] += merge.merge_statuses({a.id: a for a in people.values()})
        added, summary.alias_conflicts = store.merge_aliases(target, source.claimant_aliases())
        summary.aliases_added = len(added)
        summary.assignments_added = store.merge_assignment(target)
    return summary


def _check_schemes(target: Project, source: Project, options: MergeOptions) -> SchemeDifference:
    difference = compare_schemes(target.scheme(), source.scheme())
    name = source.path.name
    if difference.conflicts:
        raise SchemeMismatch(f"{name}: the label schemes do not agree: {'; '.join(difference.conflicts)}", difference)
    if difference.missing and not options.add_labels:
        raise SchemeMismatch(f"{name}: this project lacks {', '.join(difference.missing)}; add them with "
                             "--add-labels, or add them to the project first", difference)
    return difference


def _label_map(source: Project, target: Project) -> dict[int, int]:
    """Source label id -> target label id (matched by name; the schemes agree by now)."""
    mine = target.label_ids()
    return {label.id: mine[label.name] for label in source.labels() if label.id is not None}


def _annotators(source: Project, target: Project) -> dict[int, Annotator]:
    """Source annotator id -> the same annotator (by UUID) in the target, added if new.

    Their statuses here become their own (unless this is their own copy): from now on they
    are what their file says, not the project's."""
    known = {a.uuid: a for a in target.annotator_list()}
    people = {}
    for person in store.layer_annotators(source):
        mine = known.get(person.uuid)
        if mine is None:
            mine = target.add_annotator(person.name, person.uuid, person.created_at, separate_status=True)
        elif not mine.own and not mine.separate_status:
            target.separate_statuses(mine.id)
        people[person.id] = mine
    # Refetch: adding someone may have turned an existing name into name#uuid.
    fresh = {a.uuid: a for a in target.annotator_list()}
    return {source_id: fresh[a.uuid] for source_id, a in people.items()}


def _reconcile(source: Project, target: Project, labels: dict[int, int], people: dict[int, Annotator],
               pairs: list[tuple[int, int, int, int]], options: MergeOptions, summary: SourceSummary,
               progress: Progress, cancelled: Callable[[], bool]) -> None:
    """Row by row, the (document, annotator) pairs whose layers differ on the two sides."""
    if not pairs:
        return
    reader = rows.LayerReader(source, labels, people)
    target_people = {a.id for a in people.values()}
    resolve = rows.partner_resolver(target, {a.uuid: a.id for a in target.annotator_list()})
    next_span, next_claim = rows.first_free_id(target, "spans"), rows.first_free_id(target, "claims")
    documents = sorted({(doc, tdoc) for doc, _, tdoc, _ in pairs})
    total, size = len(documents), max(1, options.batch_documents)
    for start in range(0, total, size):
        batch = dict(documents[start:start + size])
        layers, partners = reader.read(list(batch))
        theirs, _ = rows.LayerReader(target, {i: i for i in labels.values()}, target_people).read(list(batch.values()))
        planner = MergePlanner(next_span, next_claim)
        for doc, ann, tdoc, tann in pairs:
            if doc in batch:
                planner.layer(tdoc, tann, layers.get((doc, ann)) or LayerContent(),
                              theirs.get((tdoc, tann)) or LayerContent())
        planner.links(partners, resolve)
        next_span, next_claim = planner.next_span_id, planner.next_claim_id
        rows.apply_ops(target, planner.ops)
        summary.counts.update(planner.ops.counts)
        done = min(start + size, total)
        progress(done, total, f"{source.path.name}: {done:,} of {total:,} changed documents updated")
        if cancelled():
            raise MergeCancelled(f"{source.path.name}: cancelled; nothing of it was merged")


def summary_text(summary: SourceSummary) -> str:
    """One source's summary for people: what came in, what changed, what was left out."""
    name = summary.source.name
    layers = ", ".join(summary.layers) or "none"
    lines = []
    if summary.nothing_new:
        lines.append(f"{name}: nothing new (layers: {layers}; merged before, or nothing to merge)")
    else:
        parts = [f"{summary.documents_matched:,} documents matched, {summary.documents_added:,} added"]
        for what in ("spans", "claims", "relations", "document labels"):
            changed = [f"{summary.counts[f'{what} {how}']:,} {how}" for how in ("added", "updated", "removed")
                       if summary.counts[f"{what} {how}"]]
            if changed:
                parts.append(f"{what} {', '.join(changed)}")
        if summary.counts["gold documents"]:
            parts.append(f"gold's decisions on {summary.counts['gold documents']:,} documents")
        if summary.counts["statuses changed"]:
            parts.append(f"statuses {summary.counts['statuses changed']:,} changed")
        if summary.aliases_added:
            parts.append(f"claimant aliases {summary.aliases_added:,} added")
        if summary.assignments_added:
            parts.append(f"assignments {summary.assignments_added:,} added")
        lines.append(f"{name}: merged layers {layers}: {'; '.join(parts)}")
    if summary.labels_added:
        lines.append(f"{name}: added to the scheme: {', '.join(summary.labels_added)}")
    if summary.counts["links left empty"]:
        lines.append(f"{name}: {summary.counts['links left empty']:,} claimant/cue/relation links point at spans "
                     "this project does not have; left empty")
    if summary.unattributed:
        lines.append(f"{name}: {summary.unattributed:,} spans or document labels with no annotator were not merged "
                     "(they belong to no layer)")
    lines.extend(f"{name}: {message}" for message in [*summary.alias_conflicts, *summary.notes])
    return "\n".join(lines)
