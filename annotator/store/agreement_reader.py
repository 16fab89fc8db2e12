"""What agreement reads: the chosen annotators' accepted spans and claims, the documents each
marked done, and the texts to tokenize, in document order.

Spans come from one SQL query (ordered by document, so the caller walks them in step with
the texts and never holds a whole project's spans), claims from one more (their claimant
and cue spans, canonical free-text claimant and attribute values joined in), texts in
batches. Every row is checked before it becomes core data: a project file written by
another tool must give an error naming the row, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from ..core.agreement import ClaimMark, SpanKey
from ..core.team import Annotator
from .errors import ProjectError
from .project import Project

TEXT_BATCH = 200


@dataclass(frozen=True)
class AgreementAnnotator:
    id: int
    name: str


def _marks(ids: Sequence[int]) -> str:
    return ",".join("?" * len(ids))


class AgreementReader:
    """Reads one project for agreement. ``annotators`` by id; labels by name and kind."""

    def __init__(self, project: Project, annotators: Sequence[AgreementAnnotator], entity_labels: Sequence[str],
                 claim_labels: Sequence[str]):
        self.project = project
        self.db = project.db
        self.annotators = tuple(annotators)
        self._names = {a.id: a.name for a in annotators}
        self._entity = tuple(entity_labels)
        self._claim = tuple(claim_labels)

    # ------------------------------------------------------------------ who and what
    @staticmethod
    def default_annotators(project: Project) -> list[AgreementAnnotator]:
        """Every annotator with a layer (annotations of theirs), the project's own first, then
        those who tagged nothing but marked documents done in a status of their own; the
        unattributed layer (spans nobody is named for) is nobody's to compare."""
        found = [AgreementAnnotator(layer.annotator.id, layer.annotator.ref) for layer in project.layers()
                 if layer.annotator is not None]
        return found + [AgreementAnnotator(a.id, a.ref) for a, _done in
                        AgreementReader.done_without_layer(project, {a.id for a in found})]

    @staticmethod
    def done_without_layer(project: Project, have: set[int]) -> list[tuple[Annotator, int]]:
        """(annotator, documents they marked done) of those not in ``have`` (the ids of the
        annotators with a layer) who marked documents done in a status of their own.

        "Nothing to tag here" is a judgement: an annotator who found nothing in the documents
        they finished has no layer, and leaving them out raised alpha (0.40 -> 0.76 in a
        four-annotator study where one tagged nothing). Shared statuses (the project's) are
        nobody's own judgement, so only separate ones count."""
        done = dict(project.db.conn.execute(
            "SELECT annotator_id, count(*) FROM document_status WHERE status = 'done' GROUP BY annotator_id"))
        return [(a, done[a.id]) for a in project.annotator_list()
                if a.separate_status and a.id in done and a.id not in have]

    @staticmethod
    def find(project: Project, ref: str) -> AgreementAnnotator:
        """The annotator ``ref`` names (name, name#uuid-prefix or uuid); ProjectError naming
        the choices when unknown or ambiguous."""
        found = project.find_annotator(ref)
        return AgreementAnnotator(found.id, found.ref)

    def done_documents(self) -> dict[int, set[int]]:
        """{annotator id: ids of the documents that annotator marked done}, wherever their
        status is kept (the view ``annotator_status``: shared or their own rows)."""
        ids = [a.id for a in self.annotators]
        done: dict[int, set[int]] = {annotator_id: set() for annotator_id in ids}
        if ids:
            for annotator_id, doc_id in self.db.conn.execute(
                    f"SELECT annotator_id, doc_id FROM annotator_status WHERE status = 'done'"
                    f" AND annotator_id IN ({_marks(ids)})", ids):
                done[annotator_id].add(doc_id)
        return done

    # ------------------------------------------------------------------ spans and claims
    def spans(self) -> Iterator[tuple[int, dict[int, list[SpanKey]]]]:
        """(doc id, {annotator id: entity spans}) for every document with such spans, in id order."""
        if not self._entity or not self.annotators:
            return iter(())
        ids = [a.id for a in self.annotators]
        rows = self.db.conn.execute(
            'SELECT spans.doc_id, spans.annotator_id, spans.start, spans."end", labels.name FROM spans'
            " JOIN labels ON labels.id = spans.label_id"
            f" WHERE spans.state = 'accepted' AND spans.annotator_id IN ({_marks(ids)})"
            f" AND labels.kind = 'entity' AND labels.name IN ({_marks(self._entity)})"
            " ORDER BY spans.doc_id", [*ids, *self._entity])
        return self._grouped(rows, _span_key)

    def claims(self) -> Iterator[tuple[int, dict[int, list[ClaimMark]]]]:
        """(doc id, {annotator id: claims}) for every document with such claims, in id order."""
        if not self._claim or not self.annotators:
            return iter(())
        ids = [a.id for a in self.annotators]
        rows = self.db.conn.execute(
            'SELECT content.doc_id, content.annotator_id, content.start, content."end", labels.name,'
            ' claimant.start, claimant."end", coalesce(claimant_aliases.canonical, claims.claimant_text),'
            ' cue.start, cue."end",'
            " (SELECT json_group_object(attribute, value) FROM claim_values WHERE claim_id = claims.id)"
            " FROM claims JOIN spans AS content ON content.id = claims.span_id"
            " JOIN labels ON labels.id = content.label_id"
            " LEFT JOIN spans AS claimant ON claimant.id = claims.claimant_span_id"
            " LEFT JOIN spans AS cue ON cue.id = claims.cue_span_id"
            " LEFT JOIN claimant_aliases ON claimant_aliases.alias = claims.claimant_text"
            f" WHERE content.state = 'accepted' AND content.annotator_id IN ({_marks(ids)})"
            f" AND labels.kind = 'claim' AND labels.name IN ({_marks(self._claim)})"
            " ORDER BY content.doc_id", [*ids, *self._claim])
        return self._grouped(rows, _claim_mark)

    def _grouped(self, rows: Iterable[tuple], make: Any) -> Iterator[tuple[int, dict[int, list[Any]]]]:
        for doc_id, group in groupby(rows, key=lambda r: r[0]):
            layers: dict[int, list[Any]] = {}
            for row in group:
                layers.setdefault(row[1], []).append(make(row))
            yield doc_id, layers

    # ------------------------------------------------------------------ texts
    def texts(self, doc_ids: Sequence[int]) -> Iterator[tuple[int, str, str]]:
        """(id, title, text) of these documents in the given order, read in batches."""
        for i in range(0, len(doc_ids), TEXT_BATCH):
            batch = list(doc_ids[i:i + TEXT_BATCH])
            found = {r[0]: r for r in self.db.conn.execute(
                f"SELECT id, title, text FROM documents WHERE id IN ({_marks(batch)})", batch)}
            for doc_id in batch:
                row = found.get(doc_id)
                if row is None:
                    raise ProjectError(f"document {doc_id} vanished while agreement was reading it")
                if not isinstance(row[2], str):
                    raise ProjectError(f"documents row {doc_id}: text: not text")
                yield doc_id, row[1] if isinstance(row[1], str) else "", row[2]


def _offset(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProjectError(f"{where}: offset {value!r} is not a non-negative integer")
    return value


def _range(start: Any, end: Any, where: str) -> tuple[int, int]:
    start, end = _offset(start, f"{where}.start"), _offset(end, f"{where}.end")
    if end <= start:
        raise ProjectError(f"{where}: span {start}-{end} is empty or reversed")
    return start, end


def _span_key(row: tuple) -> SpanKey:
    start, end = _range(row[2], row[3], f"spans row of document {row[0]}")
    return (start, end, row[4])


def _claim_mark(row: tuple) -> ClaimMark:
    where = f"claims row of document {row[0]}"
    start, end = _range(row[2], row[3], where)
    claimant = _range(row[5], row[6], f"{where}: claimant") if row[5] is not None else None
    cue = _range(row[8], row[9], f"{where}: cue") if row[8] is not None else None
    values = json.loads(row[10]) if row[10] else {}
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise ProjectError(f"{where}: claim_values: values must be text")
    text = row[7] if isinstance(row[7], str) and row[7].strip() else None
    return ClaimMark(start, end, row[4], claimant, None if claimant else text, cue, values)
