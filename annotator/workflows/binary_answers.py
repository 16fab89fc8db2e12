"""Binary answers: the many lines one text gets from Prodigy's ner.teach or textcat.teach.

Such a recipe asks one question per line (one suggested span, one label) and the dataset
holds one line per answer, with the same text. Each line says nothing about the rest of the
text, so comparing it with the first line as a whole annotation (import_layers) reported every
answer after the first as a conflict and dropped it. What Prodigy's own data-to-spacy and
db-merge do, done here: the answers of one annotator (or of no one) to one text in one file
land on one document, in that annotator's layer; the status is the highest of the lines'
(done > skipped > todo, each line's as the reader maps its answer).

Only answers given in the same file are merged: a binary line of a text whose layer was
stored before (a re-import) is a duplicate when the layer already holds its answers and a
conflict otherwise, as any record. A question answered twice differently (accept at one line,
reject at another) is a conflict: the first answer stays. Kept per file: one small entry per
text and annotator that had binary answers, never the records themselves.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from ..core.import_layers import LayerContent
from ..core.problems import Problem
from ..store.import_writer import ImportWriter, PreparedDocument

RANK = {"todo": 0, "skipped": 1, "done": 2}
Key = tuple[str, str | None]  # content hash, annotator name (None: the import's own, or no one)
Question = tuple[int, int, str]  # start, end, label of a span; -1, -1, label of a document label


@dataclass
class _Answered:
    """One annotator's answers to one text so far in this file, and where they are."""

    line: int  # the first line that answered
    answers: dict[Question, tuple[str, int]]  # question -> answer, line
    status: str | None  # the annotator's status there (None: the file gives none)
    doc_status: str | None  # the document's status, when the document is this file's
    pending: PreparedDocument | None = None  # the record waiting in this batch that holds them
    doc_id: int | None = None  # the stored document, once written


@dataclass
class Merged:
    kind: str  # "merged" | "duplicate" | "conflict"
    part: PreparedDocument | None = None  # for "merged" into a stored document: the layer part to add
    doc_id: int | None = None
    notice: Problem | None = None


@dataclass
class BinaryAnswers:
    """One file's binary answers so far (``_import_file`` keeps one across its batches)."""

    allow_overlap: bool
    entity_labels: set[str]
    _seen: dict[Key, _Answered] = field(default_factory=dict)
    _batch: list[tuple[str, _Answered]] = field(default_factory=list)  # entries pending in this batch

    @staticmethod
    def key(prepared: PreparedDocument, default: str | None) -> Key | None:
        """Whose answers a binary record gives; None for a whole annotation or several layers."""
        if prepared.questions is None:
            return None
        names = set(prepared.layers(default))
        if len(names) > 1:
            return None
        return prepared.content_hash, next(iter(names), default)

    def entry(self, key: Key | None) -> _Answered | None:
        return None if key is None else self._seen.get(key)

    def remember(self, key: Key | None, prepared: PreparedDocument, pending: PreparedDocument | None,
                 doc_id: int | None, own_document: bool) -> None:
        """A binary record landed (a new document, or a new layer of one): later answers of the
        same annotator to the same text join it."""
        if key is None or key in self._seen:
            return
        assert prepared.questions is not None
        entry = _Answered(prepared.line, {q: (a, prepared.line) for q, a in prepared.questions},
                          dict(prepared.annotator_statuses).get(key[1]) if key[1] else None,
                          prepared.status if own_document else None, pending, doc_id)
        self._seen[key] = entry
        if pending is not None:
            self._batch.append((prepared.content_hash, entry))

    def merge(self, entry: _Answered, prepared: PreparedDocument, key: Key, file: str) -> Merged:
        assert prepared.questions is not None
        new: list[Question] = []
        for question, answer in prepared.questions:
            before = entry.answers.get(question)
            if before is None:
                new.append(question)
            elif before[0] != answer:
                return Merged("conflict", notice=Problem(file, prepared.line, None, (
                    f"answers {_name(question)} {answer}, but line {before[1]} answered it {before[0]}: "
                    "not merged, the first answer stays"), "notice"))
        if (clash := self._overlap(entry, prepared, new)) is not None:
            return Merged("conflict", notice=Problem(file, prepared.line, None, (
                f"accepts {_name(clash[0])}, which overlaps {_name(clash[1])} accepted at line "
                f"{entry.answers[clash[1]][1]} (entity spans may not overlap unless the project allows "
                "overlapping spans): not merged"), "notice"))
        status = _higher(entry.status, dict(prepared.annotator_statuses).get(key[1]) if key[1] else None)
        doc_status = _higher(entry.doc_status, prepared.status) if entry.doc_status is not None else None
        if not new and status == entry.status and doc_status == entry.doc_status:
            return Merged("duplicate")
        for question in new:
            entry.answers[question] = (dict(prepared.questions)[question], prepared.line)
        entry.status, entry.doc_status = status, doc_status
        statuses = ((key[1], status),) if key[1] is not None and status is not None else ()
        keep_status = entry.pending.status if entry.pending is not None else prepared.status
        part = prepared.answers_part(set(new), statuses, doc_status or keep_status)
        if entry.pending is not None:
            entry.pending.take_answers(part)
            return Merged("merged", part)
        assert entry.doc_id is not None
        entry.pending = part
        self._batch.append((prepared.content_hash, entry))
        return Merged("merged", part, entry.doc_id)

    def _overlap(self, entry: _Answered, prepared: PreparedDocument, new: list[Question]
                 ) -> tuple[Question, Question] | None:
        """A newly accepted entity span overlapping one accepted before (the project forbids it)."""
        if self.allow_overlap:
            return None
        given = dict(prepared.questions or ())
        accepted = [q for q, (a, _) in entry.answers.items() if a == "accept" and q[0] >= 0
                    and q[2] in self.entity_labels]
        for q in new:
            if given[q] != "accept" or q[0] < 0 or q[2] not in self.entity_labels:
                continue
            if (other := next((o for o in accepted if o[0] < q[1] and q[0] < o[1]), None)) is not None:
                return q, other
            accepted.append(q)
        return None

    def written(self, writer: ImportWriter, ids: Mapping[str, int]) -> None:
        """The batch is stored: ``ids`` the new documents' ids by content hash. A document
        status raised by answers with no annotator on a document of an earlier batch is set."""
        raise_to: dict[str, list[int]] = {}
        for content_hash, entry in self._batch:
            if entry.doc_id is None:
                entry.doc_id = ids[content_hash]
            elif entry.doc_status is not None and entry.pending is not None and not entry.pending.annotator_statuses:
                raise_to.setdefault(entry.doc_status, []).append(entry.doc_id)
            entry.pending = None
        self._batch = []
        for status, doc_ids in raise_to.items():
            writer.project.set_statuses(doc_ids, status)


def answered_before(incoming: Mapping[str | None, LayerContent], held: Mapping[Hashable | None, LayerContent],
                    keys: Mapping[str | None, Hashable | None]) -> bool:
    """Whether a binary record's answers are all in the layers already held (a re-import)."""
    empty = LayerContent()
    return all(set(layer.spans) <= set(held.get(keys[name], empty).spans)
               and layer.doc_labels <= held.get(keys[name], empty).doc_labels for name, layer in incoming.items())


def _higher(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return a if RANK.get(a, 0) >= RANK.get(b, 0) else b


def _name(question: Question) -> str:
    start, end, label = question
    return f"label {label}" if start < 0 else f"span {start}-{end} {label}"
