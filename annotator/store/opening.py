"""Connecting to a project file: for writing, and for reading on any medium.

Reading (``stats``, ``export``) must work where writing cannot: a read-only file, a read-only
file system, a full disk. And it must leave nothing behind: no stray ``-wal``/``-shm``, no
byte of the file changed. So a reading connection is, in order of preference:

- ``shared``: an ordinary connection with ``query_only`` on, when the file can be written and
  no ``-wal`` holds data. It creates ``-wal``/``-shm`` and, being the last to close, removes
  them; with an empty WAL its close writes nothing to the file.
- ``read-only``: ``mode=ro`` when the ``-wal`` holds data (another session is writing, or
  one crashed): such a connection never checkpoints, so it never writes the file. It leaves
  the ``-wal``/``-shm`` that were already there.
- ``immutable``: ``immutable=1`` when no ``-wal``/``-shm`` can be created (read-only medium,
  full disk, read-only file) and no ``-wal`` holds data: SQLite then reads the file as it is.

Writing connections are refused up front when the file or its folder cannot be written, with
one line saying so, instead of an "attempt to write a readonly database" at the first write.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from urllib.parse import quote

from .errors import ProjectError, ProjectReadOnly
from .failures import file_writable, folder_writable, read_only_message, store_error

SIDE_SUFFIXES = ("-wal", "-shm")


def side_path(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


def existing_sides(path: Path) -> set[str]:
    return {suffix for suffix in SIDE_SUFFIXES if side_path(path, suffix).exists()}


def wal_has_data(path: Path) -> bool:
    try:
        return side_path(path, "-wal").stat().st_size > 0
    except OSError:
        return False


def remove_strays(path: Path, existed: set[str]) -> None:
    """Remove the -wal/-shm a failed connection created (never ones that were there before,
    which another session may be using, and never a -wal that holds data)."""
    for suffix in SIDE_SUFFIXES:
        if suffix in existed:
            continue
        side = side_path(path, suffix)
        with contextlib.suppress(OSError):
            if suffix == "-shm" or side.stat().st_size == 0:
                side.unlink()


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"file:{quote(str(path.resolve()))}?{query}"


def _connect(target: str, timeout: float, *, uri: bool = False) -> sqlite3.Connection:
    return sqlite3.connect(target, timeout=timeout, check_same_thread=False, uri=uri)


def _probe(conn: sqlite3.Connection) -> None:
    """Read the schema: the first read is when SQLite opens the -wal/-shm and can fail."""
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def connect_for_reading(path: Path, timeout: float) -> tuple[sqlite3.Connection, str]:
    """A connection that cannot write the file, and how it was made (see the module doc)."""
    existed = existing_sides(path)
    if wal_has_data(path):
        attempts = [("read-only", _uri(path, mode="ro"))]
    elif file_writable(path):
        attempts = [("shared", str(path)), ("immutable", _uri(path, mode="ro", immutable="1"))]
    else:
        attempts = [("immutable", _uri(path, mode="ro", immutable="1"))]
    failure: sqlite3.Error | None = None
    for how, target in attempts:
        conn = None
        try:
            conn = _connect(target, timeout, uri=how != "shared")
            if how == "shared":
                conn.execute("PRAGMA query_only = ON")
            _probe(conn)
            return conn, how
        except sqlite3.Error as exc:
            failure = exc
            if conn is not None:
                conn.close()
            remove_strays(path, existed)
    assert failure is not None
    raise store_error(path, failure) or ProjectError(f"{path}: cannot open: {failure}") from failure


def connect_for_writing(path: Path, timeout: float) -> sqlite3.Connection:
    """A writing connection to an existing file, or to a new one SQLite creates."""
    if path.exists() and not file_writable(path) or not path.exists() and not folder_writable(path):
        raise ProjectReadOnly(read_only_message(path))
    existed = existing_sides(path)
    conn = None
    try:
        conn = _connect(str(path), timeout)
        _probe(conn)
        return conn
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        remove_strays(path, existed)
        raise store_error(path, exc) or ProjectError(f"{path}: cannot open: {exc}") from exc


def close_without_writing(conn: sqlite3.Connection, path: Path) -> None:
    """Close a writing connection to a damaged file without SQLite's checkpoint on close.

    The last connection to close folds the WAL into the file; on a file judged damaged that
    is a write we must not make. A read-only connection held open meanwhile makes the closing
    one not the last, and a read-only connection never checkpoints when it closes in turn.
    """
    guard = None
    with contextlib.suppress(sqlite3.Error):
        guard = _connect(_uri(path, mode="ro"), 1.0, uri=True)
        _probe(guard)
    with contextlib.suppress(sqlite3.Error):
        conn.close()
    if guard is not None:
        with contextlib.suppress(sqlite3.Error):
            guard.close()
