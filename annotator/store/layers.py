"""Layers: each annotator's annotations, the assignment of documents, and progress.

A layer is everything one annotator made or decided: spans (in any state) with their
``annotator_id``, the claims whose content span is theirs (claimant, cue and attribute values
with it), relations whose head span is theirs, their document labels and their document
statuses. Suggestions no one has decided on carry no annotator and belong to no layer; spans
and document labels with no annotator (imports without ``--annotator``, a window without a
name) form the *unattributed* layer, ref ``""``.

The entity non-overlap rule holds within one layer (store/spans.py), never across layers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..core.model import Claim, Span
from ..core.team import UNATTRIBUTED, Annotator, Layer, Progress, scheme_fingerprint
from .errors import ProjectError
from .spans import SPAN_COLUMNS, SPAN_JOINS, span_from_row

LayerRef = str | None  # an annotator ref; "" for the unattributed layer


class LayerStore:
    """Mixed into ``Project``: needs ``db``, ``transaction``, ``find_annotator``, ``annotator_id``."""

    # ------------------------------------------------------------------ layers
    def layers(self) -> list[Layer]:
        """Every layer that holds an annotation, the project's own annotator first, then in
        the order annotators were named; the unattributed layer last."""
        q = self.db.query
        spans = {r["a"]: (r["n"], r["docs"]) for r in q(
            "SELECT annotator_id AS a, count(*) AS n, count(DISTINCT doc_id) AS docs FROM spans"
            " WHERE annotator_id IS NOT NULL OR state != 'suggested' GROUP BY annotator_id")}
        claims = {r["a"]: r["n"] for r in q(
            "SELECT spans.annotator_id AS a, count(*) AS n FROM claims JOIN spans ON spans.id = claims.span_id"
            " WHERE spans.annotator_id IS NOT NULL OR spans.state != 'suggested' GROUP BY spans.annotator_id")}
        labels = {r["a"]: (r["n"], r["docs"]) for r in q(
            "SELECT annotator_id AS a, count(*) AS n, count(DISTINCT doc_id) AS docs FROM doc_labels"
            " GROUP BY annotator_id")}
        documents = {r["a"]: r["n"] for r in q(
            "SELECT a, count(DISTINCT doc_id) AS n FROM (SELECT annotator_id AS a, doc_id FROM spans"
            " WHERE annotator_id IS NOT NULL OR state != 'suggested'"
            " UNION ALL SELECT annotator_id, doc_id FROM doc_labels) GROUP BY a")}
        everyone: list[Annotator | None] = sorted(self.annotator_list(), key=lambda a: not a.own)
        result = []
        for annotator in [*everyone, None]:
            key = annotator.id if annotator else None
            if key in spans or key in labels:
                result.append(Layer(annotator, spans.get(key, (0, 0))[0], claims.get(key, 0),
                                    labels.get(key, (0, 0))[0], documents.get(key, 0)))
        return result

    def layer_holders(self) -> list[Annotator | None]:
        """The annotators ``layers()`` would list (None: the unattributed layer), without
        counting anything: two index scans instead of four counts over every span (a fifth
        of a second for 240,000 spans, paid by every export that checks for several layers)."""
        held = {row[0] for row in self.db.execute(
            "SELECT DISTINCT annotator_id FROM spans WHERE annotator_id IS NOT NULL OR state != 'suggested'")}
        held.update(row[0] for row in self.db.execute("SELECT DISTINCT annotator_id FROM doc_labels"))
        everyone: list[Annotator | None] = sorted(self.annotator_list(), key=lambda a: not a.own)
        return [annotator for annotator in [*everyone, None] if (annotator.id if annotator else None) in held]

    def layer_spans(self, doc_id: int, layer: LayerRef, *, suggestions: bool = False) -> list[Span]:
        """One layer's spans of a document in text order (with ``suggestions``: and the
        undecided suggestions, which belong to no layer, as the editing view shows them)."""
        where, params = self._layer_where(layer, "spans")
        if suggestions:
            where = f"({where} OR (spans.annotator_id IS NULL AND spans.state = 'suggested'))"
        elif layer == UNATTRIBUTED:
            where = f"({where} AND spans.state != 'suggested')"
        return [span_from_row(r) for r in self.db.query(
            f"SELECT {SPAN_COLUMNS} FROM spans {SPAN_JOINS} WHERE spans.doc_id = ? AND {where}"
            ' ORDER BY spans.start, spans."end", spans.id', [doc_id, *params])]

    def layer_claims(self, doc_id: int, layer: LayerRef) -> list[Claim]:
        """One layer's claims of a document (those whose content span is the layer's)."""
        ids = {s.id for s in self.layer_spans(doc_id, layer, suggestions=layer == UNATTRIBUTED)}
        return [claim for claim in self.claims(doc_id) if claim.content.id in ids]

    def statuses(self, doc_id: int) -> dict[str, str]:
        """Every annotator's status of one document, by ref."""
        return {a.ref: self.document_status(doc_id, a.uuid) for a in self.annotator_list()}

    def _layer_where(self, layer: LayerRef, table: str) -> tuple[str, list]:
        if layer is None or layer == UNATTRIBUTED:
            return f"{table}.annotator_id IS NULL", []
        found = self.known_annotator(layer)
        return (f"{table}.annotator_id = ?", [found.id]) if found else ("0", [])

    # --------------------------------------------------------- document labels
    def doc_labels(self, doc_id: int, layer: LayerRef = None) -> list[str]:
        """The document labels of a document: of one layer, or (``layer`` None) of any layer."""
        where, params = ("1", []) if layer is None else self._layer_where(layer, "doc_labels")
        return [r["name"] for r in self.db.query(
            "SELECT DISTINCT labels.name, labels.position FROM doc_labels JOIN labels ON labels.id = doc_labels.label_id"
            f" WHERE doc_id = ? AND {where} ORDER BY labels.position", [doc_id, *params])]

    def set_doc_label(self, doc_id: int, label: str, present: bool, annotator: str | None = None) -> bool:
        """Put a document label on a document in ``annotator``'s layer (None: unattributed) or
        take it off; returns whether it was there."""
        label_id = self._label_id(label)
        kind = next(self.db.query("SELECT kind FROM labels WHERE id = ?", [label_id]))["kind"]
        if kind != "doc":
            raise ProjectError(f"{label} is not a document label")
        layer = annotator or UNATTRIBUTED
        was = label in self.doc_labels(doc_id, layer)
        with self.transaction():
            annotator_id = self.annotator_id(annotator) if annotator else None
            if present and not was:
                self.db.execute("INSERT INTO doc_labels (doc_id, label_id, annotator_id, created_at) VALUES (?,?,?,?)",
                                [doc_id, label_id, annotator_id, self._now()])
            elif was and not present:
                self.db.execute("DELETE FROM doc_labels WHERE doc_id = ? AND label_id = ? AND annotator_id IS ?",
                                [doc_id, label_id, annotator_id])
        return was

    # -------------------------------------------------------------- assignment
    def assign(self, assignment: Mapping[str, Iterable[int]], *, replace: bool = True) -> None:
        """Record who has which documents (annotator ref -> document ids), registering new
        names; ``replace`` drops the previous assignment first. One transaction."""
        with self.transaction():
            if replace:
                self.db.execute("DELETE FROM assignments")
            now = self._now()
            for ref, doc_ids in assignment.items():
                annotator_id = self.annotator_id(ref)
                self.db.conn.executemany(
                    "INSERT OR IGNORE INTO assignments (doc_id, annotator_id, assigned_at) VALUES (?, ?, ?)",
                    [(doc_id, annotator_id, now) for doc_id in doc_ids])

    def assignment(self) -> dict[str, list[int]]:
        """Annotator ref -> the ids of the documents assigned to them, in document order."""
        refs = {a.id: a.ref for a in self.annotator_list()}
        result: dict[str, list[int]] = {}
        for r in self.db.query("SELECT assignments.annotator_id, documents.id FROM assignments"
                               " JOIN documents ON documents.id = assignments.doc_id"
                               " ORDER BY assignments.annotator_id, documents.position"):
            result.setdefault(refs[r["annotator_id"]], []).append(r["id"])
        return result

    def has_assignment(self) -> bool:
        return bool(list(self.db.query("SELECT 1 AS one FROM assignments LIMIT 1")))

    def assignments_of(self, doc_ids: Iterable[int]) -> dict[int, list[str]]:
        """doc id -> the refs of the annotators each of these documents is assigned to (a page of a list)."""
        ids = list(doc_ids)
        found: dict[int, list[str]] = {doc_id: [] for doc_id in ids}
        if not ids:
            return found
        refs = {a.id: a.ref for a in self.annotator_list()}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for r in self.db.query(f"SELECT doc_id, annotator_id FROM assignments WHERE doc_id IN"
                                   f" ({','.join('?' * len(chunk))}) ORDER BY annotator_id", chunk):
                found[r["doc_id"]].append(refs[r["annotator_id"]])
        return found

    def assigned_sql(self, ref: str | None) -> tuple[str, list]:
        """A WHERE term on ``documents``: those assigned to ``ref`` (None: every document)."""
        if ref is None:
            return "1", []
        found = self.known_annotator(ref)
        if found is None:
            return "0", []
        return "documents.id IN (SELECT doc_id FROM assignments WHERE annotator_id = ?)", [found.id]

    def assigned_to(self, doc_id: int) -> list[str]:
        """The refs of the annotators a document is assigned to."""
        refs = {a.id: a.ref for a in self.annotator_list()}
        return [refs[r["annotator_id"]] for r in self.db.query(
            "SELECT annotator_id FROM assignments WHERE doc_id = ? ORDER BY annotator_id", [doc_id])]

    # ---------------------------------------------------------------- progress
    def progress(self, annotator: str | None = None) -> list[Progress]:
        """How far each annotator (or just ``annotator``) is: done and skipped documents of
        their own status, over the documents assigned to them (all documents when none are)."""
        everyone = self.annotator_list() if annotator is None else [self.find_annotator(annotator)]
        total = next(self.db.query("SELECT count(*) AS n FROM documents"))["n"]
        spans = {r["a"]: r["n"] for r in self.db.query(
            "SELECT annotator_id AS a, count(*) AS n FROM spans WHERE annotator_id IS NOT NULL GROUP BY a")}
        claims = {r["a"]: r["n"] for r in self.db.query(
            "SELECT spans.annotator_id AS a, count(*) AS n FROM claims JOIN spans ON spans.id = claims.span_id"
            " WHERE spans.annotator_id IS NOT NULL GROUP BY a")}
        result = []
        for person in everyone:
            assigned = next(self.db.query("SELECT count(*) AS n FROM assignments WHERE annotator_id = ?",
                                          [person.id]))["n"]
            expr, join, params = self.status_sql(person.uuid)
            scope = " AND documents.id IN (SELECT doc_id FROM assignments WHERE annotator_id = ?)" if assigned else ""
            counts = {r["status"]: r["n"] for r in self.db.query(
                f"SELECT {expr} AS status, count(*) AS n FROM documents{join} WHERE 1{scope} GROUP BY 1",
                [*params, *([person.id] if assigned else [])])}
            result.append(Progress(person, assigned, assigned or total, counts.get("done", 0),
                                   counts.get("skipped", 0), spans.get(person.id, 0), claims.get(person.id, 0)))
        return result

    # ------------------------------------------------------------------ scheme
    def scheme_fingerprint(self) -> str:
        """What another project file must match to merge into this one (core.team)."""
        return scheme_fingerprint(self.scheme())
