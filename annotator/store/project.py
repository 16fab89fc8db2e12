"""A project: one SQLite file holding documents, labels, spans and claims.

Every write runs in a transaction (see ``ProjectFile.transaction``); reads hand out core
dataclasses. Opening (``project_file``) applies pending migrations and refuses files that
are not ours, are damaged, or come from a newer annotator.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..core.model import DOCUMENT_STATUSES, LABEL_KINDS, ClaimAttribute, Document, DocumentSummary, Label, Scheme, Span
from ..core.scheme import check_color, check_key, check_label_name, next_color
from ..core.textutil import snippet
from .annotators import AnnotatorStore
from .claims import ClaimStore
from .errors import LabelInUse, ProjectError
from .extras import ExtrasStore
from .failures import store_error
from .gold import GoldStore
from .label_history import LabelHistoryStore
from .layers import LayerStore
from .models import ModelStore
from .review import ReviewStore
from .project_file import BUSY_TIMEOUT, ProjectFile, now_iso
from .search import SearchStore
from .spans import SpanStore

__all__ = ["Project", "BUSY_TIMEOUT", "now_iso"]
SNIPPET_CHARS = 200  # how much text a list row reads; never the whole article


class Project(ProjectFile, SpanStore, ClaimStore, SearchStore, ModelStore, ExtrasStore, AnnotatorStore, LayerStore,
              LabelHistoryStore, GoldStore, ReviewStore):
    """An open project file. Not thread-safe: one Project per thread.

    Reading and editing are split over mixins by subject (spans, claims, search, the
    editing lock, annotators and their layers); opening, closing and transactions are
    ``ProjectFile``'s; this class holds settings, labels and documents. Methods that read or
    set a document's status take ``annotator=`` (whose status; None: the project's own, see
    store/annotators.py).
    """

    def _seed(self, scheme: Scheme | None) -> None:
        if scheme is None:
            from ..core.resources import default_scheme_path
            from ..core.scheme import load_scheme_file

            scheme = load_scheme_file(default_scheme_path())
        with self.transaction():
            self.set_setting("language", scheme.language)
            self.set_setting("allow_overlapping_entities", "1" if scheme.allow_overlapping_entities else "0")
            for label in scheme.labels:
                self.add_label(label)
            for position, attribute in enumerate(scheme.attributes):
                self.db.execute(
                    "INSERT INTO claim_attributes (name, title, kind, choices, default_value, required,"
                    " shortcut, description, position) VALUES (?,?,?,?,?,?,?,?,?)",
                    (attribute.name, attribute.title, attribute.kind, json.dumps(list(attribute.choices)),
                     attribute.default, int(attribute.required), attribute.key, attribute.description, position),
                )

    # ----------------------------------------------------------------- settings
    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = list(self.db.query("SELECT value FROM project_settings WHERE key = ?", [key]))
        return rows[0]["value"] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO project_settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    @property
    def language(self) -> str:
        return self.setting("language", "en") or "en"

    @property
    def allow_overlapping_entities(self) -> bool:
        return self.setting("allow_overlapping_entities", "0") == "1"

    # ------------------------------------------------------------------- labels
    def labels(self) -> list[Label]:
        return [
            Label(name=r["name"], kind=r["kind"], color=r["color"], key=r["shortcut"],
                  description=r["description"], id=r["id"])
            for r in self.db.query("SELECT * FROM labels ORDER BY position, id")
        ]

    def claim_attributes(self) -> list[ClaimAttribute]:
        return [
            ClaimAttribute(
                name=r["name"], title=r["title"], kind=r["kind"], choices=tuple(json.loads(r["choices"])),
                default=r["default_value"], required=bool(r["required"]), key=r["shortcut"],
                description=r["description"],
            )
            for r in self.db.query("SELECT * FROM claim_attributes ORDER BY position, id")
        ]

    def scheme(self) -> Scheme:
        return Scheme(tuple(self.labels()), tuple(self.claim_attributes()), self.language,
                      self.allow_overlapping_entities, tuple(self.span_attributes()))

    def label_ids(self) -> dict[str, int]:
        return {r["name"]: r["id"] for r in self.db.query("SELECT id, name FROM labels")}

    def add_label(self, label: Label) -> Label:
        if (reason := check_label_name(label.name)) is not None:
            raise ProjectError(reason)
        if (reason := check_key(label.key)) is not None:
            raise ProjectError(reason)
        if label.kind not in LABEL_KINDS:
            raise ProjectError(f"label kind {label.kind!r} must be one of {', '.join(LABEL_KINDS)}")
        if (reason := check_color(label.color)) is not None:
            raise ProjectError(reason)
        existing = {lab.name: lab for lab in self.labels()}
        if label.name in existing:
            raise ProjectError(f"label {label.name!r} already exists")
        key = label.key.lower() if label.key else None
        if key and any(lab.key == key for lab in existing.values()):
            owner = next(lab.name for lab in existing.values() if lab.key == key)
            raise ProjectError(f"key {key!r} is already used by label {owner!r}")
        color = (label.color.lower() if label.color != Label.color
                 else next_color({lab.color for lab in existing.values()}))
        with self.transaction():
            position = next(self.db.query("SELECT coalesce(max(position), -1) + 1 AS p FROM labels"))["p"]
            cursor = self.db.execute(
                "INSERT INTO labels (name, kind, color, shortcut, description, position) VALUES (?,?,?,?,?,?)",
                [label.name, label.kind, color, key, label.description, position],
            )
        return Label(label.name, label.kind, color, key, label.description, cursor.lastrowid)

    def update_label(self, name: str, *, color: str | None = None, key: str | None = None,
                     description: str | None = None, clear_key: bool = False) -> None:
        label_id = self._label_id(name)
        if key is not None and (reason := check_key(key)) is not None:
            raise ProjectError(reason)
        if color is not None and (reason := check_color(color)) is not None:
            raise ProjectError(reason)
        with self.transaction():
            if color is not None:
                self.db.execute("UPDATE labels SET color = ? WHERE id = ?", [color.lower(), label_id])
            if key is not None or clear_key:
                try:
                    self.db.execute("UPDATE labels SET shortcut = ? WHERE id = ?",
                                    [key.lower() if key else None, label_id])
                except sqlite3.IntegrityError as exc:
                    raise ProjectError(f"key {key!r} is already used by another label") from exc
            if description is not None:
                self.db.execute("UPDATE labels SET description = ? WHERE id = ?", [description, label_id])

    def rename_label(self, old: str, new: str) -> None:
        """Spans refer to labels by id, so a rename reaches every span at once."""
        if (reason := check_label_name(new)) is not None:
            raise ProjectError(reason)
        label_id = self._label_id(old)
        if new != old and new in self.label_ids():
            raise ProjectError(f"label {new!r} already exists")
        with self.transaction():
            self.db.execute("UPDATE labels SET name = ? WHERE id = ?", [new, label_id])

    def label_usage(self, name: str) -> int:
        label_id = self._label_id(name)
        spans = next(self.db.query("SELECT count(*) AS n FROM spans WHERE label_id = ?", [label_id]))["n"]
        docs = next(self.db.query("SELECT count(*) AS n FROM doc_labels WHERE label_id = ?", [label_id]))["n"]
        return spans + docs

    def remove_label(self, name: str, *, force: bool = False) -> int:
        """Remove a label; refused while spans use it unless ``force`` (which removes them)."""
        label_id = self._label_id(name)
        used = self.label_usage(name)
        if used and not force:
            raise LabelInUse(name, used)
        with self.transaction():
            self.db.execute("DELETE FROM spans WHERE label_id = ?", [label_id])
            self.db.execute("DELETE FROM doc_labels WHERE label_id = ?", [label_id])
            self.db.execute("DELETE FROM labels WHERE id = ?", [label_id])
        return used

    def _label_id(self, name: str) -> int:
        rows = list(self.db.query("SELECT id FROM labels WHERE name = ?", [name]))
        if not rows:
            raise ProjectError(f"no label named {name!r}")
        return rows[0]["id"]

    # ---------------------------------------------------------------- documents
    def document_count(self, status: str | None = None, annotator: str | None = None, *,
                       assigned: str | None = None) -> int:
        """Documents (with ``annotator``'s ``status``; ``assigned``: assigned to that annotator)."""
        mine, chosen = self.assigned_sql(assigned)
        if status is None:
            return next(self.db.query(f"SELECT count(*) AS n FROM documents WHERE {mine}", chosen))["n"]
        _check_status(status)
        expr, join, params = self.status_sql(annotator)
        return next(self.db.query(f"SELECT count(*) AS n FROM documents{join} WHERE {expr} = ? AND {mine}",
                                  [*params, status, *chosen]))["n"]

    def document_summaries(self, offset: int, limit: int, status: str | None = None,
                           annotator: str | None = None, *, assigned: str | None = None) -> list[DocumentSummary]:
        """A page of list rows in document order, reading only the head of each text."""
        if status is not None:
            _check_status(status)
        expr, join, params = self.status_sql(annotator)
        where, filters = (f"WHERE {expr} = ?", [status]) if status else ("WHERE 1", [])
        mine, chosen = self.assigned_sql(assigned)
        where, filters = f"{where} AND {mine}", [*filters, *chosen]
        rows = self.db.query(
            f"SELECT documents.id, title, substr(text, 1, {SNIPPET_CHARS}) AS head, {expr} AS status, position"
            f" FROM documents{join} {where} ORDER BY position LIMIT ? OFFSET ?",
            [*params, *filters, limit, offset],
        )
        return [DocumentSummary(r["id"], r["title"], snippet(r["head"]), r["status"], r["position"]) for r in rows]

    def summaries_of(self, ids: list[int], annotator: str | None = None) -> list[DocumentSummary]:
        """The list rows of the given documents, in the given order (review mode's "needs
        review" lists); ids of documents that are gone are left out. One query (json_each)."""
        expr, join, params = self.status_sql(annotator)
        rows = self.db.query(
            f"SELECT documents.id, title, substr(text, 1, {SNIPPET_CHARS}) AS head, {expr} AS status, position"
            f" FROM json_each(?) AS wanted JOIN documents ON documents.id = wanted.value{join}"
            f" ORDER BY wanted.key", [json.dumps([int(i) for i in ids]), *params],
        )
        return [DocumentSummary(r["id"], r["title"], snippet(r["head"]), r["status"], r["position"]) for r in rows]

    def in_list_order(self, ids: list[int]) -> list[int]:
        """The given documents in the document list's order (position); gone ones left out."""
        return [r[0] for r in self.db.conn.execute(
            "SELECT documents.id FROM json_each(?) AS wanted JOIN documents ON documents.id = wanted.value"
            " ORDER BY position, documents.id", [json.dumps([int(i) for i in ids])])]

    def document(self, doc_id: int) -> Document:
        rows = list(self.db.query("SELECT * FROM documents WHERE id = ?", [doc_id]))
        if not rows:
            raise ProjectError(f"no document with id {doc_id}")
        r = rows[0]
        return Document(r["id"], r["text"], r["content_hash"], r["title"], r["source"], json.loads(r["meta"]),
                        r["status"], r["position"])

    def set_status(self, doc_id: int, status: str, annotator: str | None = None) -> str:
        """Set ``annotator``'s status of a document; returns the previous one (for undo)."""
        _check_status(status)
        previous = self.document_status(doc_id, annotator)
        with self.transaction():
            self._write_status([doc_id], status, annotator)
        return previous

    def document_status(self, doc_id: int, annotator: str | None = None) -> str:
        expr, join, params = self.status_sql(annotator)
        rows = list(self.db.query(f"SELECT {expr} AS status FROM documents{join} WHERE documents.id = ?",
                                  [*params, doc_id]))
        if not rows:
            raise ProjectError(f"no document with id {doc_id}")
        return rows[0]["status"]

    def spans(self, doc_id: int) -> list[Span]:
        return [
            Span(r["doc_id"], r["start"], r["end"], r["label"], r["text"], r["annotator"], r["origin"],
                 r["state"], r["id"])
            for r in self.db.query(
                'SELECT spans.id, doc_id, start, "end", labels.name AS label, text, annotators.name AS annotator,'
                " origin, state FROM spans JOIN labels ON labels.id = spans.label_id"
                " LEFT JOIN annotators ON annotators.id = spans.annotator_id"
                ' WHERE doc_id = ? ORDER BY start, "end", spans.id',
                [doc_id],
            )
        ]

    def stale_spans(self, doc_id: int) -> list[Span]:
        """Spans whose stored surface text no longer matches the document (reported, never shifted)."""
        text = self.document(doc_id).text
        return [s for s in self.spans(doc_id) if text[s.start:s.end] != s.text]

    # ------------------------------------------------- list positions (for the window)
    def document_row(self, doc_id: int, status: str | None = None, query: str | None = None,
                     annotator: str | None = None, *, assigned: str | None = None) -> int | None:
        """The row of a document in the list filtered by ``annotator``'s ``status``, search
        ``query`` and ``assigned`` (as ``document_summaries``/``search_documents`` order it),
        or None if it is not in that list.

        One indexed count: a lazy list of 100,000 rows can select a document without paging to it.
        """
        expr, join, params = self.status_sql(annotator)
        mine, chosen = self.assigned_sql(assigned)
        rows = list(self.db.query(f"SELECT position, {expr} AS status FROM documents{join} WHERE documents.id = ?"
                                  f" AND {mine}", [*params, doc_id, *chosen]))
        if not rows or (status is not None and rows[0]["status"] != status):
            return None
        position = rows[0]["position"]
        if query:
            return self.search_row(doc_id, position, status, query, annotator, assigned=assigned)
        if status is None:
            return next(self.db.query(f"SELECT count(*) AS n FROM documents WHERE position < ? AND {mine}",
                                      [position, *chosen]))["n"]
        return next(self.db.query(f"SELECT count(*) AS n FROM documents{join} WHERE {expr} = ? AND position < ?"
                                  f" AND {mine}", [*params, status, position, *chosen]))["n"]

    def next_document_with_status(self, doc_id: int | None, status: str, *, wrap: bool = True,
                                  annotator: str | None = None, assigned: str | None = None) -> int | None:
        """The id of the first document with ``annotator``'s ``status`` (``assigned``: among
        those assigned to that annotator) after ``doc_id`` in document order (from the start
        again with ``wrap``), or None if there is none but ``doc_id`` itself."""
        _check_status(status)
        expr, join, params = self.status_sql(annotator)
        mine, chosen = self.assigned_sql(assigned)
        position = -1
        if doc_id is not None:
            rows = list(self.db.query("SELECT position FROM documents WHERE id = ?", [doc_id]))
            position = rows[0]["position"] if rows else -1
        rows = list(self.db.query(f"SELECT documents.id FROM documents{join} WHERE {expr} = ? AND position > ?"
                                  f" AND {mine} ORDER BY position LIMIT 1", [*params, status, position, *chosen]))
        if not rows and wrap:
            rows = list(self.db.query(f"SELECT documents.id FROM documents{join} WHERE {expr} = ? AND position < ?"
                                      f" AND {mine} ORDER BY position LIMIT 1", [*params, status, position, *chosen]))
        return rows[0]["id"] if rows else None

    # -------------------------------------------------------------------- stats
    def stats(self) -> dict[str, Any]:
        """Documents by status, spans by label and state, claims, relations, spans by annotator.

        Safe on a file opened without the integrity check: a damaged page it reads is a
        ProjectCorrupt (like any SQLite failure with a meaning for the user), never a raw error.
        """
        try:
            return self._stats()
        except sqlite3.DatabaseError as exc:
            if (error := store_error(self.path, exc)) is None:
                raise
            raise error from exc

    def _stats(self) -> dict[str, Any]:
        """``stats``. The span counts are one pass over the covering index ``spans_label_state``, added up
        here: a join of labels and spans read every span row (seconds at 100,000 documents).
        """
        q = self.db.query
        by_status = {s: 0 for s in DOCUMENT_STATUSES}
        by_status.update({r["status"]: r["n"] for r in q("SELECT status, count(*) AS n FROM documents GROUP BY status")})
        labels = list(q("SELECT id, name, kind FROM labels ORDER BY position, id"))
        counts: dict[int, dict[str, int]] = {r["id"]: {"accepted": 0, "suggested": 0, "rejected": 0} for r in labels}
        by_annotator: dict[int, int] = {}
        for r in q("SELECT label_id, state, annotator_id, count(*) AS n FROM spans"
                   " GROUP BY label_id, state, annotator_id"):
            if r["label_id"] in counts and r["state"] in counts[r["label_id"]]:
                counts[r["label_id"]][r["state"]] += r["n"]
            if r["annotator_id"] is not None:
                by_annotator[r["annotator_id"]] = by_annotator.get(r["annotator_id"], 0) + r["n"]
        spans_by_label = {r["name"]: {"kind": r["kind"], **counts[r["id"]]} for r in labels}
        annotators = {a.ref: by_annotator.get(a.id, 0) for a in self.annotator_list()}
        return {
            "project": str(self.path),
            "documents": {"total": sum(by_status.values()), **by_status},
            "spans": spans_by_label,
            "claims": next(q("SELECT count(*) AS n FROM claims"))["n"],
            "claim_details": self.claim_stats(),
            "relations": next(q("SELECT count(*) AS n FROM relations"))["n"],
            "annotators": annotators,
        }

    def integrity_check(self) -> list[str]:
        return [r["integrity_check"] for r in self.db.query("PRAGMA integrity_check")]

    def row_counts(self) -> dict[str, int]:
        return {t: self.db.table(t).count for t in self.db.table_names()}


def _check_status(status: str) -> None:
    if status not in DOCUMENT_STATUSES:
        raise ProjectError(f"status {status!r} must be one of {', '.join(DOCUMENT_STATUSES)}")


