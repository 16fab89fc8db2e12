"""Storing one batch of an import: new texts become documents; a text the project (or an
earlier record of this import) already holds is a duplicate, a conflict, or brings the layers
of annotators that document has none of (core.import_layers decides, this applies it).

A multi-annotator file lists one text several times, once per annotator (a Prodigy dataset
from a multi-annotator session, one line per ``_annotator_id``), and the annotators of one
corpus export it in separate files imported one after another: either way each annotator's
layer lands on the one document of that text, and importing the same again adds nothing.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from ..core.import_layers import DUPLICATE, LayerContent, Verdict, compare_layers
from ..core.problems import Problem
from ..store.import_writer import ImportWriter, PreparedDocument
from .binary_answers import BinaryAnswers, Merged, answered_before


@dataclass
class BatchOutcome:
    added: int = 0  # new documents
    layered: int = 0  # records whose layers were added to a document of the same text
    duplicates: int = 0
    conflicts: int = 0
    merged: int = 0  # binary answers joined to a document this file made or layered (binary_answers)
    spans: int = 0  # spans stored, in new documents and added layers
    notices: list[Problem] = field(default_factory=list)


@dataclass
class _Stored:
    """A document stored before this batch, with its layers as they grow during the batch."""

    doc_id: int
    layers: dict[Hashable | None, LayerContent]


def store_batch(writer: ImportWriter, batch: list[PreparedDocument], file: str,
                answers: BinaryAnswers | None = None) -> BatchOutcome:
    """Store a batch of checked records (one file's, inside its transaction); ``answers``:
    the file's binary answers so far, which later ones of the same text and annotator join."""
    outcome = BatchOutcome()
    if not batch:
        return outcome
    answers = answers or BinaryAnswers(True, set())
    default = writer.annotator
    existing = writer.existing([p.content_hash for p in batch])
    held = writer.stored_layers(existing.values()) if existing else {}
    stored = {h: _Stored(doc_id, held[doc_id]) for h, doc_id in existing.items()}
    fresh: dict[str, PreparedDocument] = {}
    additions: list[tuple[int, PreparedDocument]] = []
    for prepared in batch:
        key = answers.key(prepared, default)
        if (entry := answers.entry(key)) is not None:
            assert key is not None
            merged = answers.merge(entry, prepared, key, file)
            _count_merge(outcome, merged, additions)
            continue
        earlier = fresh.get(prepared.content_hash)
        target = stored.get(prepared.content_hash)
        if earlier is None and target is None:
            fresh[prepared.content_hash] = prepared
            answers.remember(key, prepared, prepared, None, own_document=True)
            continue
        incoming = prepared.layers(default)
        if earlier is not None:
            where, keys = f"line {earlier.line}", {name: name for name in incoming}
            verdict = compare_layers(incoming, earlier.layers(default))
        else:
            assert target is not None
            where, keys = f"document #{target.doc_id}", _stored_keys(writer, incoming)
            verdict = compare_layers({keys[name]: layer for name, layer in incoming.items()}, target.layers)
        names = {name for name, key in keys.items() if key in verdict.add}
        if target is not None and earlier is None:
            # A layer of nothing but a status the project already gives that annotator there
            # (someone who shares the project's status) adds nothing: a re-import is a duplicate.
            names = {name for name in names if incoming[name].spans or incoming[name].doc_labels
                     or not writer.holds_status(target.doc_id, name, incoming[name].status)}
        if verdict.kind == "conflict" and prepared.questions is not None and answered_before(
                incoming, earlier.layers(default) if earlier is not None else target.layers,  # type: ignore[union-attr]
                keys):
            verdict = DUPLICATE  # a binary line whose answers the document holds (a re-import)
        if verdict.kind == "duplicate" or verdict.kind == "add" and not names:
            outcome.duplicates += 1
            continue
        part = prepared.only(names, default) if verdict.kind == "add" else None
        if part is None:
            outcome.conflicts += 1
            outcome.notices.append(Problem(file, prepared.line, None, _conflict(where, verdict, keys), "notice"))
            continue
        if earlier is not None:
            earlier.absorb(part)  # its spans are counted with the new document's
            answers.remember(key, prepared, earlier, None, own_document=False)
        else:
            assert target is not None
            additions.append((target.doc_id, part))
            answers.remember(key, prepared, part, target.doc_id, own_document=False)
            target.layers.update({keys[name]: incoming[name] for name in names})
        outcome.layered += 1
    ids = writer.write(list(fresh.values()))
    writer.add_layers(additions)
    answers.written(writer, dict(zip(fresh, ids)))
    outcome.added = len(fresh)
    # Counted once stored: answers merged later into a document or a layer part grew it.
    outcome.spans += sum(len(p.spans) for p in fresh.values()) + sum(len(p.spans) for _, p in additions)
    return outcome


def _count_merge(outcome: BatchOutcome, merged: Merged, additions: list[tuple[int, PreparedDocument]]) -> None:
    if merged.kind == "duplicate":
        outcome.duplicates += 1
    elif merged.kind == "conflict":
        outcome.conflicts += 1
        assert merged.notice is not None
        outcome.notices.append(merged.notice)
    else:
        assert merged.part is not None
        outcome.merged += 1
        if merged.doc_id is not None:  # a document of an earlier batch: its new answers are a layer part
            additions.append((merged.doc_id, merged.part))


def _stored_keys(writer: ImportWriter, incoming: dict[str | None, LayerContent]) -> dict[str | None, Hashable | None]:
    """A record's layer names as the keys of a stored document's layers: annotator ids, and
    for a name the project does not know yet a key no stored layer has."""
    keys: dict[str | None, Hashable | None] = {}
    for name in incoming:
        found = None if name is None else writer.known_id(name)
        keys[name] = None if name is None else found if found is not None else ("new", name)
    return keys


def _conflict(where: str, verdict: Verdict, keys: dict[str | None, Hashable | None]) -> str:
    if verdict.kind == "add":  # cut out alone, the new layers would lose a span they name
        return (f"same text as {where}, but the new annotators' annotations name spans of other layers and "
                "cannot be added alone: not merged, the stored document is unchanged")
    whose = next((name for name, key in keys.items() if key == verdict.differs and name is not None), None)
    detail = f" ({whose}'s layer there is different)" if whose is not None else ""
    return (f"same text as {where} but different annotations{detail}: not merged, the stored document is "
            "unchanged")
