"""Opening, closing and transactions of a project file (``Project`` adds what is in it).

Opening refuses files that are not ours, are damaged or come from a newer annotator, before
anything writes to them; it applies pending migrations. Closing leaves the clean-close
record (``clean_close``) when the session knew the file sound. Every write runs in
``transaction()``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Self

import sqlite_utils

from ..core.model import Scheme
from . import clean_close, migrations
from .errors import NotAProject, ProjectCorrupt, ProjectError, ProjectReadOnly, ProjectTooNew
from .failures import store_error
from .opening import close_without_writing, connect_for_reading, connect_for_writing
from .session_lock import LockStore

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT = 5.0  # seconds a write waits for another connection's write to finish
CLOSE_TIMEOUT_MS = 100  # what closing waits for another writer (optimize, the clean-close record)
STOP_CHECK_STEPS = 1_000_000  # SQLite steps between two asks of stop_queries_when: ~50 ms, few GIL waits


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ProjectFile(LockStore):
    """The file side of ``Project``: how it was opened, what is known of its soundness."""

    def __init__(self, path: Path, db: sqlite_utils.Database, *, writable: bool = True, how: str = "write"):
        self.path = path
        self.db = db
        # Set when another session holds the editing lock and the user chose to look only:
        # every write goes through transaction(), which then refuses.
        self.read_only = False
        # False for a project opened for reading (stats, export, a read-only medium).
        self.writable = writable
        self.opened_as = how  # "write", or how a reading connection was made (store.opening)
        # The integrity verdict: True once known sound (a check passed, or the clean-close
        # record matched), False once judged damaged; None while unknown (check=False).
        self.verified: bool | None = None
        self.damage_found: list[str] = []
        self._clean_record_present = False  # the first write of the session deletes it
        self.closed = False

    @staticmethod
    def _now() -> str:
        return now_iso()

    @property
    def damaged(self) -> bool:
        return self.verified is False

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, scheme: Scheme | None = None,
             check: bool = True, read_only: bool = False, timeout: float = BUSY_TIMEOUT) -> Self:
        """Open a project, creating it (with ``scheme`` or the default) if allowed.

        The integrity check (``PRAGMA quick_check``, seconds on a large file) is skipped when
        the file is exactly as this program last closed it (``clean_close``). Otherwise it
        runs here, on a connection that cannot write, before anything writes to the file;
        ``check=False`` leaves it to the caller (``damage()``, e.g. off the GUI thread), but a
        file that needs a migration is always checked first.

        ``read_only``: for commands that only read (stats, export): works on read-only media
        and full disks, changes no byte of the file and leaves no -wal/-shm behind.
        ``timeout``: seconds a write waits for another program's write (SQLite's busy timeout).
        """
        path = Path(path)
        if not path.exists():
            if not create:
                raise ProjectError(f"{path}: no such project file")
            return cls._create_file(path, scheme, timeout)
        if path.is_dir():
            raise ProjectError(f"{path}: is a folder, not a project file")
        if path.stat().st_size == 0:
            # Nothing of ours is ever empty (creation is one transaction): a stray empty
            # file, or someone else's placeholder, is not silently made into a project.
            raise NotAProject(f"{path}: the file is empty (0 bytes), not an annotator project; "
                              "choose another name or delete it")
        _check_header(path)
        conn, how = connect_for_reading(path, timeout)
        project = cls(path, sqlite_utils.Database(conn, execute_plugins=False), writable=False, how=how)
        try:
            project._check_identity_and_version()
            outdated = migrations.schema_version(project.db) != migrations.LATEST_VERSION
            record = clean_close.read_record(conn)
            project._clean_record_present = record is not None
            if clean_close.matches(conn, path, record) and not outdated:
                project.verified = True
            elif check or outdated:  # a migration only ever runs on a file checked just now
                project._verify()
        except BaseException as exc:
            conn.close()  # a reading connection: closing it writes nothing
            if isinstance(exc, sqlite3.Error):
                raise _database_error(path, exc) from exc
            raise
        if read_only and not outdated:
            return project
        verified, record_present = project.verified, project._clean_record_present
        conn.close()
        if read_only:
            return cls._upgrade_then_read(path, verified, timeout)
        writer = cls._open_writer(path, timeout)
        writer.verified, writer._clean_record_present = verified, record_present
        return writer

    @classmethod
    def _open_writer(cls, path: Path, timeout: float) -> Self:
        conn = connect_for_writing(path, timeout)
        project = cls(path, sqlite_utils.Database(conn, execute_plugins=False))
        try:
            project._configure_connection()
            migrations.apply_pending(project.db)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error):
                raise _database_error(path, exc) from exc
            raise
        return project

    @classmethod
    def _upgrade_then_read(cls, path: Path, verified: bool | None, timeout: float) -> Self:
        """A reading command met a file from an older annotator: migrate it once, then read."""
        try:
            cls._open_writer(path, timeout).close()
        except ProjectReadOnly as exc:
            raise ProjectReadOnly(f"{path}: written by an older annotator; it must be upgraded once, which needs "
                                  "writing, and it cannot be written here. Copy it to a writable folder and "
                                  "open it there") from exc
        project = cls.open(path, read_only=True, check=False, timeout=timeout)
        project.verified = project.verified or verified
        return project

    @classmethod
    def _create_file(cls, path: Path, scheme: Scheme | None, timeout: float) -> Self:
        conn = connect_for_writing(path, timeout)  # SQLite creates the file
        project = cls(path, sqlite_utils.Database(conn, execute_plugins=False))
        try:
            project._configure_connection()
            # Schema and seed in one transaction: a failure leaves no half-made project.
            with project.transaction():
                migrations.apply_pending(project.db)
                project._seed(scheme)
        except BaseException as exc:
            conn.close()
            _remove_new_file(path)
            if isinstance(exc, sqlite3.Error):
                raise _database_error(path, exc) from exc
            raise
        project.verified = True  # made just now
        return project

    @classmethod
    def create(cls, path: str | Path, scheme: Scheme | None = None) -> Self:
        """Create a new project file; an existing empty file (a placeholder the user chose to
        replace, e.g. in a save dialog) is taken over, anything else is refused."""
        path = Path(path)
        if path.exists() and path.stat().st_size > 0:
            raise ProjectError(f"{path}: already exists; choose another name")
        if path.exists():
            path.unlink()
        return cls.open(path, create=True, scheme=scheme)

    def close(self) -> None:
        """Close, leaving the clean-close record when this session knew the file sound.

        A file judged damaged gets no write at all: no lock release, no record, and no
        checkpoint of the WAL into it.
        """
        if self.closed:
            return
        self.closed = True
        if self.damaged and self.writable:
            close_without_writing(self.db.conn, self.path)
            return
        mtime_ns = None
        if self.writable:
            with contextlib.suppress(sqlite3.Error, ProjectError):
                self.release_lock()
            with contextlib.suppress(sqlite3.Error):
                # Housekeeping from here on: never wait for another program's write for it.
                self.db.execute(f"PRAGMA busy_timeout = {CLOSE_TIMEOUT_MS}")
                self.db.execute("PRAGMA optimize")
            if self.verified and not self.read_only and not self.lock_lost and not self.db.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error, OSError):
                    mtime_ns = clean_close.write(self.db.conn, self.path, now_iso())
        self.db.close()
        if mtime_ns is not None:
            clean_close.stamp(self.path, mtime_ns)

    def stop_queries_when(self, stop: Callable[[], bool] | None, every: int = STOP_CHECK_STEPS) -> None:
        """While set, every query of this connection asks ``stop`` each ``every`` SQLite steps
        and fails with ``sqlite3.OperationalError`` ("interrupted") once it says True (None:
        queries run to their end again). Why: a job counting over every span on a connection
        of its own stops within milliseconds of its Cancel (the window closing), whenever the
        Cancel comes, even before the query started, which ``sqlite3_interrupt`` would miss."""
        self.db.conn.set_progress_handler(None if stop is None else (lambda: bool(stop())), every)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _configure_connection(self) -> None:
        mode = next(self.db.query("PRAGMA journal_mode=WAL"))["journal_mode"]
        if mode != "wal":
            raise ProjectError(f"{self.path}: cannot switch to WAL journal mode (got {mode!r})")
        # FULL: a power cut after an edit returns never loses that edit.
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")

    def _verify(self) -> None:
        if problems := self.damage():
            raise ProjectCorrupt(f"{self.path}: the project file is damaged: {'; '.join(problems[:5])}; "
                                 "restore it from a backup")

    def damage(self) -> list[str]:
        """What ``PRAGMA quick_check`` finds wrong with the file; empty when it is sound.

        Records the verdict: a project found damaged refuses every write from then on.
        """
        try:
            result = [row["quick_check"] for row in self.db.query("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            if (error := _database_error(self.path, exc)) is not None and not isinstance(error, ProjectCorrupt):
                raise error from exc
            result = [str(exc)]
        problems = [] if result == ["ok"] else result
        self.note_check(problems)
        return problems

    def note_check(self, problems: list[str]) -> None:
        """The verdict of an integrity check of this file (made here or by another Project)."""
        if problems:
            self.verified, self.damage_found = False, list(problems)
        elif self.verified is None:
            self.verified = True

    def _check_identity_and_version(self) -> None:
        version = migrations.schema_version(self.db)
        app_id = migrations.application_id(self.db)
        if app_id not in (0, migrations.APPLICATION_ID) or (
            app_id == 0 and (version != 0 or self.db.table_names())
        ):
            raise NotAProject(f"{self.path}: this SQLite file is not an annotator project")
        if app_id == 0:
            raise NotAProject(f"{self.path}: an empty SQLite database (no tables), not an annotator project; "
                              "delete it or choose another name")
        if version > migrations.LATEST_VERSION:
            raise ProjectTooNew(
                f"{self.path}: written by a newer annotator (schema version {version}; this "
                f"version understands up to {migrations.LATEST_VERSION}). Upgrade annotator to open it."
            )

    # ------------------------------------------------------------- transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One atomic write. Outermost level takes the write lock up front.

        ``BEGIN IMMEDIATE`` rather than sqlite-utils' deferred ``BEGIN``: a deferred
        transaction that reads and then writes cannot wait for a concurrent writer (WAL
        snapshot upgrade fails with SQLITE_BUSY at once); IMMEDIATE waits busy_timeout.
        Nested calls become savepoints through ``db.atomic()``. Inside the outermost one,
        before anything is written, the session checks it still holds its editing lock
        (``LockStore.before_write``). SQLite failures that are the medium's (a full disk, a
        read-only file, a busy file) come out as the store's errors, the project intact.
        """
        self._check_writable()
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from exc
        try:
            self.before_write()
            if self._clean_record_present:
                clean_close.clear(conn)
                self._clean_record_present = False
            yield self.db
        except BaseException as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and (error := store_error(self.path, exc)) is not None:
                raise error from exc
            self.after_refused_write(exc)
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise _write_error(self.path, exc) from exc

    def _check_writable(self) -> None:
        if self.read_only:
            raise ProjectError(f"{self.path.name} is open read-only; nothing was changed")
        if self.damaged:
            raise ProjectCorrupt(f"{self.path.name} is damaged, so it is open read-only; nothing was changed")
        if not self.writable:
            raise ProjectReadOnly(f"{self.path.name} is open for reading only; nothing was changed")
        self.check_lock_not_lost()

    def _seed(self, scheme: Scheme | None) -> None:
        """Labels and settings of a new project: ``Project``'s."""
        raise NotImplementedError


def _remove_new_file(path: Path) -> None:
    """Remove a project file this call created and could not finish, so no empty husk remains."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()


def _database_error(path: Path, exc: sqlite3.DatabaseError) -> ProjectError:
    """A user-facing error for an SQLite failure while opening (never a raw sqlite3 error)."""
    return store_error(path, exc) or ProjectError(f"{path}: cannot open the project ({exc})")


def _write_error(path: Path, exc: sqlite3.Error) -> BaseException:
    return store_error(path, exc) or exc


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read: {exc.strerror}") from exc
    if head != SQLITE_HEADER:
        raise NotAProject(f"{path}: not an annotator project (not an SQLite database)")
