"""Annotators and whose document status is whose.

An annotator is a UUID and a name (names may repeat: two people called alex from two
machines). A project file may be one annotator's *own* copy (``project_settings``
``own_annotator``): ``documents.status`` is that annotator's status. Every other annotator
either shares it (``separate_status`` 0: annotators named by an import, and everyone in a
project older than layers, so nothing they saw changes) or has statuses of their own in
``document_status`` (``separate_status`` 1: a document without a row is todo for them).

Callers name the annotator whose work they mean (``annotator=``); None is the project's own
status, which is what every caller that predates layers reads and writes.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Sequence

from ..core.model import DOCUMENT_STATUSES
from ..core.team import (
    GOLD_NAME,
    GOLD_UUID,
    Annotator,
    annotator_refs,
    check_annotator_name,
)
from .errors import ProjectError
from .migrations import OWN_ANNOTATOR_KEY

StatusSource = tuple[str, str, list]  # (SQL expression, JOIN clause, its parameters)
PROJECT_STATUS: StatusSource = ("documents.status", "", [])


class AnnotatorStore:
    """Mixed into ``Project``: needs ``db``, ``transaction``, ``setting`` and ``_now``."""

    # ------------------------------------------------------------------ reading
    def annotator_list(self) -> list[Annotator]:
        """Every annotator of the project, in the order they were first named."""
        rows = list(self.db.query("SELECT id, uuid, name, separate_status, created_at FROM annotators ORDER BY id"))
        refs = annotator_refs([(r["uuid"], r["name"]) for r in rows])
        own = self.setting(OWN_ANNOTATOR_KEY)
        return [Annotator(r["id"], r["uuid"], r["name"], refs[r["uuid"]], r["uuid"] == own,
                          bool(r["separate_status"]), r["created_at"]) for r in rows]

    def annotators(self) -> list[str]:
        """The refs of every annotator: their names, or name#uuid-prefix where a name is shared."""
        return [a.ref for a in self.annotator_list()]

    def find_annotator(self, ref: str) -> Annotator:
        """The annotator a ref names: a UUID, ``name#uuid-prefix``, or a name (the project's own
        annotator wins when the name is shared). Raises ProjectError naming the choices."""
        found = self.known_annotator(ref)
        if found is None:
            known = ", ".join(self.annotators()) or "none"
            raise ProjectError(f"no annotator named {ref!r} in this project (known: {known})")
        return found

    def known_annotator(self, ref: str) -> Annotator | None:
        """``find_annotator``, but None for a name not used in this project yet (someone who
        has not made anything here: an empty layer, the project's status)."""
        found = _resolve(self.annotator_list(), ref)
        if isinstance(found, list):
            raise ProjectError(_ambiguous(ref, found))
        return found

    def own_annotator(self) -> Annotator | None:
        """Whose copy this project file is (set by ``team split``, or by the first named
        annotator to edit a project that had none), or None."""
        return next((a for a in self.annotator_list() if a.own), None)

    # ------------------------------------------------------------------ naming
    def annotator_id(self, ref: str) -> int:
        """The row id of an annotator, registering a new name (with a new UUID) on first use."""
        found = self.known_annotator(ref)
        if found is None and isinstance(ref, str) and ref.lower() == GOLD_UUID:  # the gold layer's first edit
            return self.add_annotator(GOLD_NAME, GOLD_UUID, separate_status=True).id
        return found.id if found is not None else self.add_annotator(ref).id

    def add_annotator(self, name: str, uuid: str | None = None, created_at: str | None = None, *,
                      separate_status: bool | None = None) -> Annotator:
        """Register an annotator: a new person (a new UUID), or one known from another file.

        ``separate_status``: their statuses start as their own (all todo) rather than shared
        with the project's. By default they do when the file is someone's own copy (a guest
        has done nothing yet) and share them when it is nobody's (as before layers)."""
        if separate_status is None:
            separate_status = self.setting(OWN_ANNOTATOR_KEY) is not None
        if (reason := check_annotator_name(name)) is not None:
            raise ProjectError(reason)
        uid = str(uuidlib.UUID(uuid)) if uuid else str(uuidlib.uuid4())
        with self.transaction():
            existing = list(self.db.query("SELECT id FROM annotators WHERE uuid = ?", [uid]))
            if existing:
                raise ProjectError(f"annotator {uid} is already in this project")
            self.db.execute("INSERT INTO annotators (uuid, name, separate_status, created_at) VALUES (?, ?, ?, ?)",
                            [uid, name, int(separate_status), created_at or self._now()])
        return next(a for a in self.annotator_list() if a.uuid == uid)

    def set_own_annotator(self, ref: str) -> Annotator:
        """Make this file ``ref``'s own copy: ``documents.status`` becomes theirs.

        Statuses move so that nobody's change: the previous owner, and everyone who shared the
        project's status, get rows of their own first; then the new owner's rows (if any)
        become ``documents.status``. One transaction.
        """
        with self.transaction():
            new = self.find_annotator(ref)
            if new.own:
                return new
            for other in self.annotator_list():
                if other.id != new.id and not other.separate_status:
                    self.separate_statuses(other.id)
            if new.separate_status:
                self.db.execute(
                    "UPDATE documents SET status = coalesce((SELECT status FROM document_status"
                    " WHERE annotator_id = ? AND doc_id = documents.id), 'todo')", [new.id])
                self.db.execute("DELETE FROM document_status WHERE annotator_id = ?", [new.id])
                self.db.execute("UPDATE annotators SET separate_status = 0 WHERE id = ?", [new.id])
            self.set_setting(OWN_ANNOTATOR_KEY, new.uuid)
        return self.find_annotator(new.uuid)

    def editing_annotator(self, name: str | None) -> str | None:
        """Who edits, for a window whose settings name ``name`` (None when unset).

        A named annotator editing a project that is nobody's own copy yet makes it theirs, as
        long as they have no statuses of their own in it (the project's status is then what
        they have been setting); with no name, the project's own annotator edits, if there is
        one. Returns the ref to pass as ``annotator=`` (a new name is registered on first edit).
        """
        own = self.own_annotator()
        if name is None or not name.strip():
            return own.ref if own else None
        found = self.known_annotator(name)
        if own is None and not self.read_only and (found is None or not found.separate_status):
            self.annotator_id(name)
            return self.set_own_annotator(name).ref
        return found.ref if found is not None else name

    # ------------------------------------------------------------------ statuses
    def status_sql(self, annotator: str | None) -> StatusSource:
        """How SQL in the store reads ``annotator``'s status of each row of ``documents``:
        an expression, a JOIN to add after ``FROM documents``, and the JOIN's parameters."""
        found = None if annotator is None else self.known_annotator(annotator)
        if found is None or not found.separate_status:
            return PROJECT_STATUS
        return ("coalesce(own_status.status, 'todo')",
                " LEFT JOIN document_status AS own_status ON own_status.doc_id = documents.id"
                " AND own_status.annotator_id = ?", [found.id])

    def every_status(self, annotator: str | None) -> list[tuple[int, str]]:
        """(document id, ``annotator``'s status) of every document, in no particular order."""
        expr, join, params = self.status_sql(annotator)
        return [(r[0], r[1]) for r in self.db.conn.execute(f"SELECT documents.id, {expr} FROM documents{join}",
                                                            params)]

    def set_statuses(self, doc_ids: Sequence[int], status: str, annotator: str | None = None) -> None:
        """Set ``annotator``'s status of many documents in one transaction (e.g. an importer
        giving each annotator a file names the file's status)."""
        with self.transaction():
            self._write_status(doc_ids, status, annotator)

    def _write_status(self, doc_ids: Sequence[int], status: str, annotator: str | None,
                      updated_at: str | None = None) -> None:
        """Set ``annotator``'s status of these documents (inside the caller's transaction)."""
        if status not in DOCUMENT_STATUSES:
            raise ProjectError(f"status {status!r} must be one of {', '.join(DOCUMENT_STATUSES)}")
        now = updated_at or self._now()
        if annotator is not None:
            self.annotator_id(annotator)  # someone setting their first status is registered
        found = None if annotator is None else self.find_annotator(annotator)
        # A status set again to what it is keeps its time: updated_at says when the document
        # became done (the dashboard's documents done per day), not when it was last marked.
        if found is None or found.own:
            self.db.conn.executemany("UPDATE documents SET status = ?, updated_at = ? WHERE id = ? AND status != ?",
                                     [(status, now, doc_id, status) for doc_id in doc_ids])
            return
        if not found.separate_status:
            self.separate_statuses(found.id)
        self.db.conn.executemany(
            "INSERT INTO document_status (doc_id, annotator_id, status, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (annotator_id, doc_id) DO UPDATE SET status = excluded.status,"
            " updated_at = excluded.updated_at WHERE document_status.status != excluded.status",
            [(doc_id, found.id, status, now) for doc_id in doc_ids])

    def separate_statuses(self, annotator_id: int) -> None:
        """Give an annotator who shared the project's status rows of their own, equal to it
        (todo needs no row), so what they see does not change when the project's status does."""
        self.db.execute(
            "INSERT OR IGNORE INTO document_status (doc_id, annotator_id, status, updated_at)"
            " SELECT id, ?, status, updated_at FROM documents WHERE status != 'todo'", [annotator_id])
        self.db.execute("UPDATE annotators SET separate_status = 1 WHERE id = ?", [annotator_id])


def _ambiguous(ref: str, namesakes: list[Annotator]) -> str:
    return f"{len(namesakes)} annotators are called {ref!r}; choose one of {', '.join(a.ref for a in namesakes)}"


def _resolve(everyone: list[Annotator], ref: str) -> Annotator | list[Annotator] | None:
    """The annotator ``ref`` names, the namesakes when it is ambiguous, or None."""
    if not isinstance(ref, str) or not ref:
        return None
    named = [a for a in everyone if a.name == ref]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        own = [a for a in named if a.own]
        return own[0] if own else named
    by_ref = [a for a in everyone if a.ref == ref or a.uuid == ref.lower()]
    if by_ref:
        return by_ref[0]
    name, _, prefix = ref.rpartition("#")
    if name and prefix:
        matches = [a for a in everyone if a.name == name and a.uuid.replace("-", "").startswith(prefix.lower())]
        if len(matches) == 1:
            return matches[0]
    return None
