"""A project: one SQLite file holding documents, labels, spans and claims.

Every write runs in a transaction (see ``Project.transaction``); reads hand out core
dataclasses. Opening applies pending migrations and refuses files that are not ours,
are damaged, or come from a newer annotator.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from ..core.model import DOCUMENT_STATUSES, LABEL_KINDS, ClaimAttribute, Document, DocumentSummary, Label, Scheme, Span
from ..core.scheme import check_color, check_key, check_label_name, next_color
from ..core.textutil import snippet
from . import migrations
from .claims import ClaimStore
from .errors import LabelInUse, NotAProject, ProjectCorrupt, ProjectError, ProjectTooNew
from .models import ModelStore
from .search import SearchStore
from .session_lock import LockStore
from .spans import SpanStore

SQLITE_HEADER = b"SQLite format 3\x00"
SNIPPET_CHARS = 200  # how much text a list row reads; never the whole article


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Project(SpanStore, ClaimStore, SearchStore, LockStore, ModelStore):
    """An open project file. Not thread-safe: one Project per thread.

    Reading and editing are split over mixins by subject (spans, claims, search, the
    editing lock); this class holds opening, settings, labels and documents.
    """

    def __init__(self, path: Path, db: sqlite_utils.Database):
        self.path = path
        self.db = db
        # Set when another session holds the editing lock and the user chose to look only:
        # every write goes through transaction(), which then refuses.
        self.read_only = False

    @staticmethod
    def _now() -> str:
        return now_iso()

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, scheme: Scheme | None = None,
             check: bool = True) -> Project:
        """Open a project, creating it (with ``scheme`` or the default) if allowed.

        ``check=False`` leaves the integrity check (``PRAGMA quick_check``, seconds on a file
        of a million documents) to the caller, who runs ``damage()`` later, e.g. off the GUI
        thread; a file that needs a migration is always checked first.
        """
        path = Path(path)
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            if path.exists():
                raise NotAProject(f"{path}: the file is empty, not an annotator project")
            raise ProjectError(f"{path}: no such project file")
        if exists:
            _check_header(path)
        try:
            conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False)
        except sqlite3.Error as exc:
            raise ProjectError(f"{path}: cannot open: {exc}") from exc
        db = sqlite_utils.Database(conn, execute_plugins=False)
        project = cls(path, db)
        try:
            # Identity and version first: a file that is not ours, or is too new, is refused
            # before anything (WAL switch, migration) writes to it.
            conn.execute("PRAGMA busy_timeout=5000")
            project._check_identity_and_version()
            project._configure_connection(
                check=check or (exists and migrations.schema_version(db) != migrations.LATEST_VERSION))
            if migrations.schema_version(db) == 0:
                # Schema and seed in one transaction: a failure leaves no half-made project.
                with project.transaction():
                    migrations.apply_pending(db)
                    project._seed(scheme)
            else:
                migrations.apply_pending(db)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if not exists:
                _remove_new_file(path)
            raise _database_error(path, exc) from exc
        except BaseException:
            conn.close()
            if not exists:
                _remove_new_file(path)
            raise
        return project

    @classmethod
    def create(cls, path: str | Path, scheme: Scheme | None = None) -> Project:
        path = Path(path)
        if path.exists() and path.stat().st_size > 0:
            raise ProjectError(f"{path}: already exists; choose another name")
        return cls.open(path, create=True, scheme=scheme)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error, ProjectError):
            self.release_lock()
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("PRAGMA optimize")
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _configure_connection(self, check: bool = True) -> None:
        mode = next(self.db.query("PRAGMA journal_mode=WAL"))["journal_mode"]
        if mode != "wal":
            raise ProjectError(f"{self.path}: cannot switch to WAL journal mode (got {mode!r})")
        # FULL: a power cut after an edit returns never loses that edit.
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        if check and (problems := self.damage()):
            raise ProjectCorrupt(f"{self.path}: the project file is damaged: {'; '.join(problems[:5])}")

    def damage(self) -> list[str]:
        """What ``PRAGMA quick_check`` finds wrong with the file; empty when it is sound."""
        result = [row["quick_check"] for row in self.db.query("PRAGMA quick_check")]
        return [] if result == ["ok"] else result

    def _check_identity_and_version(self) -> None:
        version = migrations.schema_version(self.db)
        app_id = migrations.application_id(self.db)
        if app_id not in (0, migrations.APPLICATION_ID) or (
            app_id == 0 and (version != 0 or self.db.table_names())
        ):
            raise NotAProject(f"{self.path}: this SQLite file is not an annotator project")
        if version > migrations.LATEST_VERSION:
            raise ProjectTooNew(
                f"{self.path}: written by a newer annotator (schema version {version}; this "
                f"version understands up to {migrations.LATEST_VERSION}). Upgrade annotator to open it."
            )

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

    # ------------------------------------------------------------- transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One atomic write. Outermost level takes the write lock up front.

        ``BEGIN IMMEDIATE`` rather than sqlite-utils' deferred ``BEGIN``: a deferred
        transaction that reads and then writes cannot wait for a concurrent writer (WAL
        snapshot upgrade fails with SQLITE_BUSY at once); IMMEDIATE waits busy_timeout.
        Nested calls become savepoints through ``db.atomic()``.
        """
        if self.read_only:
            raise ProjectError(f"{self.path.name} is open read-only; nothing was changed")
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

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
                      self.allow_overlapping_entities)

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

    # --------------------------------------------------------------- annotators
    def annotator_id(self, name: str) -> int:
        """The id of an annotator, registering the name on first use."""
        rows = list(self.db.query("SELECT id FROM annotators WHERE name = ?", [name]))
        if rows:
            return rows[0]["id"]
        with self.transaction():
            return self.db.execute(
                "INSERT INTO annotators (name, created_at) VALUES (?, ?)", [name, now_iso()]
            ).lastrowid

    def annotators(self) -> list[str]:
        return [r["name"] for r in self.db.query("SELECT name FROM annotators ORDER BY id")]

    # ---------------------------------------------------------------- documents
    def document_count(self, status: str | None = None) -> int:
        if status is None:
            return next(self.db.query("SELECT count(*) AS n FROM documents"))["n"]
        _check_status(status)
        return next(self.db.query("SELECT count(*) AS n FROM documents WHERE status = ?", [status]))["n"]

    def document_summaries(self, offset: int, limit: int, status: str | None = None) -> list[DocumentSummary]:
        """A page of list rows in document order, reading only the head of each text."""
        if status is not None:
            _check_status(status)
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        rows = self.db.query(
            f"SELECT id, title, substr(text, 1, {SNIPPET_CHARS}) AS head, status, position"
            f" FROM documents {where} ORDER BY position LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [DocumentSummary(r["id"], r["title"], snippet(r["head"]), r["status"], r["position"]) for r in rows]

    def document(self, doc_id: int) -> Document:
        rows = list(self.db.query("SELECT * FROM documents WHERE id = ?", [doc_id]))
        if not rows:
            raise ProjectError(f"no document with id {doc_id}")
        r = rows[0]
        return Document(r["id"], r["text"], r["content_hash"], r["title"], r["source"], json.loads(r["meta"]),
                        r["status"], r["position"])

    def set_status(self, doc_id: int, status: str) -> str:
        """Set a document's status; returns the previous one (for undo)."""
        _check_status(status)
        previous = self.document_status(doc_id)
        with self.transaction():
            self.db.execute("UPDATE documents SET status = ?, updated_at = ? WHERE id = ?",
                            [status, now_iso(), doc_id])
        return previous

    def document_status(self, doc_id: int) -> str:
        rows = list(self.db.query("SELECT status FROM documents WHERE id = ?", [doc_id]))
        if not rows:
            raise ProjectError(f"no document with id {doc_id}")
        return rows[0]["status"]

    def doc_labels(self, doc_id: int) -> list[str]:
        return [r["name"] for r in self.db.query(
            "SELECT labels.name FROM doc_labels JOIN labels ON labels.id = doc_labels.label_id"
            " WHERE doc_id = ? ORDER BY labels.position", [doc_id])]

    def set_doc_label(self, doc_id: int, label: str, present: bool, annotator: str | None = None) -> bool:
        """Put a document label on a document or take it off; returns whether it was there."""
        label_id = self._label_id(label)
        kind = next(self.db.query("SELECT kind FROM labels WHERE id = ?", [label_id]))["kind"]
        if kind != "doc":
            raise ProjectError(f"{label} is not a document label")
        was = label in self.doc_labels(doc_id)
        with self.transaction():
            if present and not was:
                self.db.execute("INSERT INTO doc_labels (doc_id, label_id, annotator_id, created_at) VALUES (?,?,?,?)",
                                [doc_id, label_id, self.annotator_id(annotator) if annotator else None, now_iso()])
            elif was and not present:
                self.db.execute("DELETE FROM doc_labels WHERE doc_id = ? AND label_id = ?", [doc_id, label_id])
        return was

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
    def document_row(self, doc_id: int, status: str | None = None, query: str | None = None) -> int | None:
        """The row of a document in the list filtered by ``status`` and search ``query`` (as
        ``document_summaries``/``search_documents`` order it), or None if it is not in that list.

        One indexed count: a lazy list of 100,000 rows can select a document without paging to it.
        """
        rows = list(self.db.query("SELECT position, status FROM documents WHERE id = ?", [doc_id]))
        if not rows or (status is not None and rows[0]["status"] != status):
            return None
        position = rows[0]["position"]
        if query:
            return self.search_row(doc_id, position, status, query)
        if status is None:
            return next(self.db.query("SELECT count(*) AS n FROM documents WHERE position < ?", [position]))["n"]
        return next(self.db.query("SELECT count(*) AS n FROM documents WHERE status = ? AND position < ?",
                                  [status, position]))["n"]

    def next_document_with_status(self, doc_id: int | None, status: str, *, wrap: bool = True) -> int | None:
        """The id of the first document with ``status`` after ``doc_id`` in document order
        (from the start again with ``wrap``), or None if there is none but ``doc_id`` itself."""
        _check_status(status)
        position = -1
        if doc_id is not None:
            rows = list(self.db.query("SELECT position FROM documents WHERE id = ?", [doc_id]))
            position = rows[0]["position"] if rows else -1
        rows = list(self.db.query("SELECT id FROM documents WHERE status = ? AND position > ? ORDER BY position"
                                  " LIMIT 1", [status, position]))
        if not rows and wrap:
            rows = list(self.db.query("SELECT id FROM documents WHERE status = ? AND position < ? ORDER BY position"
                                      " LIMIT 1", [status, position]))
        return rows[0]["id"] if rows else None

    # -------------------------------------------------------------------- stats
    def stats(self) -> dict[str, Any]:
        q = self.db.query
        by_status = {s: 0 for s in DOCUMENT_STATUSES}
        by_status.update({r["status"]: r["n"] for r in q("SELECT status, count(*) AS n FROM documents GROUP BY status")})
        spans_by_label = {
            r["name"]: {"kind": r["kind"], "accepted": r["accepted"], "suggested": r["suggested"],
                        "rejected": r["rejected"]}
            for r in q(
                "SELECT labels.name, labels.kind,"
                " sum(spans.state = 'accepted') AS accepted, sum(spans.state = 'suggested') AS suggested,"
                " sum(spans.state = 'rejected') AS rejected"
                " FROM labels LEFT JOIN spans ON spans.label_id = labels.id"
                " GROUP BY labels.id ORDER BY labels.position"
            )
        }
        for counts in spans_by_label.values():
            for key in ("accepted", "suggested", "rejected"):
                counts[key] = counts[key] or 0
        annotators = {
            r["name"]: r["n"]
            for r in q(
                "SELECT annotators.name, count(spans.id) AS n FROM annotators"
                " LEFT JOIN spans ON spans.annotator_id = annotators.id GROUP BY annotators.id ORDER BY annotators.id"
            )
        }
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


def _remove_new_file(path: Path) -> None:
    """Remove a project file this call created and could not finish, so no empty husk remains."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()


def _database_error(path: Path, exc: sqlite3.DatabaseError) -> ProjectError:
    """A user-facing error for an SQLite failure while opening (never a raw sqlite3 error)."""
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return ProjectError(f"{path}: the project is busy in another program; try again ({exc})")
    if isinstance(exc, sqlite3.OperationalError) and ("readonly" in text or "unable to open" in text):
        return ProjectError(f"{path}: cannot open the project for writing ({exc})")
    if "not a database" in text:
        return NotAProject(f"{path}: not an annotator project ({exc})")
    return ProjectCorrupt(f"{path}: the project file is damaged and cannot be opened ({exc}); "
                          "restore it from a backup")


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read: {exc.strerror}") from exc
    if head != SQLITE_HEADER:
        raise NotAProject(f"{path}: not an annotator project (not an SQLite database)")
