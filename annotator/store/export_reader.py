"""Bulk reading for export: documents with their spans, claims, document labels and relations.

Documents stream in batches in list order; each batch costs a fixed handful of queries
(documents, spans, claims, claim values, document labels, relations), never one per
document, so exporting 10,000 documents reads the file in a few seconds. A batch is bounded
by documents and by characters, so memory stays flat whatever the article lengths.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..core.export import ExportDocument, ExportRelation
from ..core.model import DOCUMENT_STATUSES, Claim, Document, Span
from .errors import ProjectError
from .export_extras import BatchExtras, read_extras
from .project import Project
from .spans import SPAN_COLUMNS, SPAN_JOINS, span_from_row

_SPAN_FIELDS = ("doc_id", "start", "end", "label", "text", "annotator", "origin", "state", "id")
# The columns of SPAN_COLUMNS in the order of Span's fields, for rows read as plain tuples.
SPAN_TUPLE = ('spans.doc_id, spans.start, spans."end", labels.name, spans.text, annotators.name, spans.origin,'
              " spans.state, spans.id")


def fast_span(row: tuple) -> Span:
    """``span_from_row`` for the bulk read: the same frozen Span, made without its __init__
    from a row of ``SPAN_TUPLE``.

    Why: a frozen dataclass sets each of its nine fields through object.__setattr__, and
    sqlite-utils makes a dict of every row; for the 240,000 spans of a big export the two were
    half of the main process's reading time. tests/workflows/test_export_reader.py checks it
    equals ``span_from_row``.
    """
    span = object.__new__(Span)
    span.__dict__.update(zip(_SPAN_FIELDS, row))
    return span


_DOCUMENT_FIELDS = ("id", "text", "content_hash", "title", "source", "meta", "status", "position")


def fast_document(row: tuple) -> Document:
    """A Document from a plain row of (id, text, content_hash, title, source, meta JSON,
    status, position), made as ``fast_span`` makes spans; most documents' meta is ``{}``,
    which needs no JSON parser."""
    document = object.__new__(Document)
    document.__dict__.update(zip(_DOCUMENT_FIELDS, row))
    meta = row[5]
    document.__dict__["meta"] = {} if meta == "{}" else json.loads(meta)
    return document

BATCH_DOCUMENTS = 250
BATCH_CHARACTERS = 4_000_000  # about 8 MB of text held per batch, however long the articles


@dataclass(frozen=True)
class ExportSelection:
    """Which documents and annotations an export takes.

    ``statuses``: documents with these statuses (done only by default: finished work).
    ``annotator``: only this annotator's layer (a ref; ``""`` for the spans and document labels
    nobody is named for); None for all layers (workflows/exporting.py refuses that when there
    are several). ``status_of``: whose statuses select documents when ``annotator`` is None
    (the one layer there is); by default the annotator's, else the project's own.
    Only accepted spans are exported; suggestions and rejected spans are not gold.
    """

    statuses: tuple[str, ...] = ("done",)
    annotator: str | None = None
    suggestions: bool = False  # also hand out suggestions (for formats that keep predictions apart)
    status_of: str | None = None
    layer: str = ""  # what summaries call the layer exported: gold, an annotator, (no annotator), all layers

    def __post_init__(self) -> None:
        unknown = [s for s in self.statuses if s not in DOCUMENT_STATUSES]
        if unknown or not self.statuses:
            raise ProjectError(f"document status(es) {', '.join(map(repr, unknown)) or 'none'}: choose from "
                               f"{', '.join(DOCUMENT_STATUSES)} or all")


class ExportReader:
    """Reads one selection of a project; ``count()`` first for progress, then ``batches()``."""

    def __init__(self, project: Project, selection: ExportSelection = ExportSelection(),
                 batch_documents: int = BATCH_DOCUMENTS, batch_characters: int = BATCH_CHARACTERS) -> None:
        self.project = project
        self.selection = selection
        self.batch_documents = max(1, batch_documents)
        self.batch_characters = batch_characters
        # The layer: "IS ?" with None selects the spans nobody is named for; _layer False: every layer.
        self._annotator_id: int | None = None
        self._layer = selection.annotator is not None
        status_of = selection.annotator or selection.status_of
        if selection.annotator:
            self._annotator_id = project.find_annotator(selection.annotator).id
        self._status = project.status_sql(status_of or None)
        self._aliases = project.claimant_aliases()
        # Most projects have none of migration 3's annotations: then their queries are skipped.
        self._extras = any(next(project.db.query(f"SELECT EXISTS (SELECT 1 FROM {table}) AS n"))["n"] for table in (
            "events", "equivalences", "annotation_notes", "attribute_values", "document_tokens"))

    # ------------------------------------------------------------------ documents
    def _status_filter(self) -> tuple[str, list[Any], str, list[Any]]:
        """(JOIN, its parameters, WHERE condition, its parameters) selecting documents by status."""
        expr, join, joined = self._status
        if set(self.selection.statuses) >= set(DOCUMENT_STATUSES):
            return join, joined, "", []
        marks = ",".join("?" * len(self.selection.statuses))
        return join, joined, f" AND {expr} IN ({marks})", list(self.selection.statuses)

    def count(self) -> int:
        join, joined, where, params = self._status_filter()
        return next(self.project.db.query(f"SELECT count(*) AS n FROM documents{join} WHERE 1 = 1{where}",
                                          [*joined, *params]))["n"]

    def text_bytes(self) -> int:
        """The size of the selected texts in UTF-8 bytes: how much work an export is.

        Bytes, not characters: counting characters decodes every text, several times slower
        (about a second for 100,000 articles)."""
        join, joined, where, params = self._status_filter()
        return next(self.project.db.query(f"SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) AS n FROM documents"
                                          f"{join} WHERE 1 = 1{where}", [*joined, *params]))["n"]

    def content_hashes(self) -> list[tuple[int, str]]:
        """(id, content hash) of every selected document, for planning a train/dev split."""
        join, joined, where, params = self._status_filter()
        return [(r["id"], r["content_hash"]) for r in self.project.db.query(
            f"SELECT documents.id, content_hash FROM documents{join} WHERE 1 = 1{where} ORDER BY position,"
            " documents.id", [*joined, *params])]

    def batches(self) -> Iterator[list[ExportDocument]]:
        """Documents in list order, in batches; each batch is read whole before it is handed out."""
        join, joined, where, params = self._status_filter()
        db = self.project.db
        after = (-1, -1)  # (position, id) of the last document handed out: positions may repeat
        while True:
            # Lengths first (no text into Python), to cut the batch at the character budget.
            heads = list(db.execute(
                f"SELECT documents.id, position, length(text) AS n FROM documents{join}"
                f" WHERE (position > ? OR (position = ? AND documents.id > ?)){where}"
                " ORDER BY position, documents.id LIMIT ?",
                [*joined, after[0], after[0], after[1], *params, self.batch_documents]))
            if not heads:
                return
            chosen, size = [], 0
            for doc_id, position, length in heads:
                if chosen and size + length > self.batch_characters:
                    break
                chosen.append(doc_id)
                size += length
                after = (position, doc_id)
            yield self._read(chosen)

    def _read(self, ids: list[int]) -> list[ExportDocument]:
        db = self.project.db
        marks = ",".join("?" * len(ids))
        expr, join, joined = self._status
        documents = {
            row[0]: fast_document(row)
            for row in db.execute(f"SELECT documents.id, text, content_hash, title, source, meta, {expr} AS status,"
                                  f" position FROM documents{join} WHERE documents.id IN ({marks})", [*joined, *ids])
        }
        by_annotator, by_annotator_params = "", []
        if self._layer:
            by_annotator, by_annotator_params = " AND spans.annotator_id IS ?", [self._annotator_id]
        spans: dict[int, list[Span]] = defaultdict(list)
        span_by_id: dict[int, Span] = {}
        # Plain tuples (db.execute, not db.query): see fast_span.
        for row in db.execute(f"SELECT {SPAN_TUPLE} FROM spans {SPAN_JOINS} WHERE spans.doc_id IN ({marks})"
                              f" AND spans.state = 'accepted'{by_annotator}"
                              ' ORDER BY spans.doc_id, spans.start, spans."end", spans.id',
                              [*ids, *by_annotator_params]):
            span = fast_span(row)
            spans[row[0]].append(span)
            span_by_id[row[8]] = span
        claims = self._claims(marks, ids, span_by_id)
        doc_labels: dict[int, list[str]] = defaultdict(list)
        label_filter = " AND doc_labels.annotator_id IS ?" if self._layer else ""
        for doc_id, name in db.execute(f"SELECT doc_labels.doc_id, labels.name FROM doc_labels JOIN labels ON"
                                       f" labels.id = doc_labels.label_id WHERE doc_labels.doc_id IN ({marks})"
                                       f"{label_filter} ORDER BY labels.position, labels.id",
                                       [*ids, *by_annotator_params]):
            # Exporting every layer, two annotators' same label is one document label, not two
            # (rows of one document come in label order, so a repeat is the last one).
            if not doc_labels[doc_id] or doc_labels[doc_id][-1] != name:
                doc_labels[doc_id].append(name)
        relations: dict[int, list[ExportRelation]] = defaultdict(list)
        relation_doc: dict[int, int] = {}
        for r in db.query("SELECT id, doc_id, head_span_id, child_span_id, label, event_id, child_event_id"
                          f" FROM relations WHERE doc_id IN ({marks}) ORDER BY id", ids):
            if r["head_span_id"] in span_by_id and r["child_span_id"] in span_by_id:
                relations[r["doc_id"]].append(ExportRelation(r["head_span_id"], r["child_span_id"], r["label"],
                                                             r["id"], r["event_id"], r["child_event_id"]))
                relation_doc[r["id"]] = r["doc_id"]
        extras = read_extras(db, marks, ids, {i: s.doc_id for i, s in span_by_id.items()}, relation_doc) \
            if self._extras else BatchExtras()
        suggestions = self._suggestions(marks, ids) if self.selection.suggestions else {}
        result = []
        for doc_id in ids:
            doc_claims = claims.get(doc_id, [])
            canonical = {}
            for claim in doc_claims:
                name = claim.claimant_name
                if name is not None:
                    canonical[claim.id] = self._aliases.get(name, name)
            result.append(ExportDocument(
                documents[doc_id], tuple(spans.get(doc_id, ())), tuple(doc_claims), tuple(doc_labels.get(doc_id, ())),
                tuple(relations.get(doc_id, ())), canonical, events=tuple(extras.events.get(doc_id, ())),
                equivalences=tuple(extras.equivalences.get(doc_id, ())), notes=extras.notes.get(doc_id, {}),
                values=extras.values.get(doc_id, {}), suggestions=tuple(suggestions.get(doc_id, ())),
                own_tokens=extras.tokens.get(doc_id)))
        return result

    def _suggestions(self, marks: str, ids: list[int]) -> dict[int, list[Span]]:
        found: dict[int, list[Span]] = defaultdict(list)
        for row in self.project.db.execute(
                f"SELECT {SPAN_TUPLE} FROM spans {SPAN_JOINS} WHERE spans.doc_id IN ({marks})"
                " AND spans.state = 'suggested' ORDER BY spans.doc_id, spans.start, spans.\"end\", spans.id", ids):
            span = fast_span(row)
            found[span.doc_id].append(span)
        return found

    def _claims(self, marks: str, ids: list[int], span_by_id: dict[int, Span]) -> dict[int, list[Claim]]:
        """Claims whose content span is exported; a claimant or cue span that is not exported
        (another annotator's, a suggestion) is still read, so the claim names it."""
        db = self.project.db
        # Plain tuples: (id, span_id, claimant_span_id, claimant_text, claimant_relation, cue_span_id, doc_id).
        rows = [r for r in db.execute(
            "SELECT claims.id, claims.span_id, claims.claimant_span_id, claims.claimant_text,"
            " claims.claimant_relation, claims.cue_span_id, content.doc_id FROM claims"
            f" JOIN spans AS content ON content.id = claims.span_id WHERE content.doc_id IN ({marks})"
            ' ORDER BY content.doc_id, content.start, content."end", claims.id', ids) if r[1] in span_by_id]
        if not rows:
            return {}
        partners = dict(span_by_id)
        missing = sorted({r[k] for r in rows for k in (2, 5) if r[k] is not None and r[k] not in partners})
        for i in range(0, len(missing), 500):
            chunk = missing[i:i + 500]
            for r in db.query(f"SELECT {SPAN_COLUMNS} FROM spans {SPAN_JOINS} WHERE spans.id IN"
                              f" ({','.join('?' * len(chunk))})", chunk):
                partners[r["id"]] = span_from_row(r)
        values: dict[int, dict[str, str]] = defaultdict(dict)
        for claim_id, attribute, value in db.execute(
                "SELECT claim_values.claim_id, claim_values.attribute, claim_values.value FROM claim_values"
                " JOIN claims ON claims.id = claim_values.claim_id JOIN spans AS content ON content.id = claims.span_id"
                f" WHERE content.doc_id IN ({marks})", ids):
            values[claim_id][attribute] = value
        claims: dict[int, list[Claim]] = defaultdict(list)
        for claim_id, span_id, claimant_id, claimant_text, relation, cue_id, doc_id in rows:
            claims[doc_id].append(Claim(
                id=claim_id, content=span_by_id[span_id],
                claimant=partners.get(claimant_id) if claimant_id is not None else None,
                claimant_text=claimant_text, claimant_relation=relation,
                cue=partners.get(cue_id) if cue_id is not None else None,
                values=dict(values.get(claim_id, {})),
            ))
        return claims
