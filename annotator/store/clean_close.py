"""The clean-close record: a file this program closed cleanly, and nothing changed since,
is opened without the integrity check.

``PRAGMA quick_check`` reads every page: seconds on a project of 100,000 articles, paid by
every ``annotator stats``. It finds damage that a crash, another program or a bad copy
left; a file closed cleanly by us and untouched since cannot have any it did not have then.
So a session that knew the file sound (checked it, or opened it with a matching record)
writes, as the very last thing before it closes, one row:

    the file's mtime (which we then set), its size, its inode, its page count and page size

and the next opener compares them with the file: any write since (ours, another program's:
SQLite's checkpoint moves the mtime; a WAL with data means writes not yet folded in), a
crash (the first write of a session deletes the row, so a session that never closed
cleanly leaves none), a copy (another inode) or a truncation (size) makes it not match, and
the full check runs. ``PRAGMA data_version`` is no help here: it only counts changes seen by
one connection while it is open.

The mtime we record and set is the moment the record is written, to the nanosecond: later
than the file's last real write (never moving its time backwards, so backup tools that
compare size and mtime still see every change) and different for every close. A file system
that keeps coarser times stores it rounded, so the record never matches there and the check
always runs: slower, never unsafe.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .opening import wal_has_data

PROGRAM = "annotator"


@dataclass(frozen=True)
class Record:
    mtime_ns: int
    file_size: int
    page_count: int
    page_size: int
    inode: int


def read_record(conn: sqlite3.Connection) -> Record | None:
    try:
        row = conn.execute("SELECT mtime_ns, file_size, page_count, page_size, inode FROM clean_close"
                           " WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # a file from before the record existed: no such table
        return None
    return Record(*row) if row else None


def _pages(conn: sqlite3.Connection) -> tuple[int, int]:
    return conn.execute("PRAGMA page_count").fetchone()[0], conn.execute("PRAGMA page_size").fetchone()[0]


def matches(conn: sqlite3.Connection, path: Path, record: Record | None) -> bool:
    """Whether ``path`` is exactly as a clean close left it (see the module doc)."""
    if record is None or wal_has_data(path):
        return False
    try:
        stat = path.stat()
    except OSError:
        return False
    page_count, page_size = _pages(conn)
    return (stat.st_mtime_ns == record.mtime_ns and stat.st_size == record.file_size
            == page_count * page_size and page_count == record.page_count and page_size == record.page_size
            and stat.st_ino == record.inode)


def clear(conn: sqlite3.Connection) -> None:
    """Inside a session's first write transaction: from here on the file is in use."""
    with contextlib.suppress(sqlite3.OperationalError):  # no table yet (before the migration)
        conn.execute("DELETE FROM clean_close")


def write(conn: sqlite3.Connection, path: Path, now: str) -> int | None:
    """Write the record and fold everything into the file; returns the mtime (ns) the caller
    sets on the file after closing the connection, or None when no record was written (another
    connection still has the file open, so the WAL cannot be folded in now)."""
    if not _checkpoint(conn):
        return None
    mtime_ns = time.time_ns()
    inode = path.stat().st_ino
    for _ in range(3):  # the row itself may add a page: write again with the new count
        page_count, page_size = _pages(conn)
        _commit(conn, "INSERT OR REPLACE INTO clean_close (id, closed_at, mtime_ns, file_size, page_count,"
                " page_size, inode, program) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                [now, mtime_ns, page_count * page_size, page_count, page_size, inode, PROGRAM])
        if _pages(conn) == (page_count, page_size):
            break
    else:
        _commit(conn, "DELETE FROM clean_close", [])
        return None
    return mtime_ns if _checkpoint(conn) else None


def _commit(conn: sqlite3.Connection, sql: str, params: list) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(sql, params)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _checkpoint(conn: sqlite3.Connection) -> bool:
    """Fold the WAL into the file and empty it; False when another connection prevents it."""
    busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def stamp(path: Path, mtime_ns: int) -> None:
    """Set the recorded mtime on the closed file (if that fails the record only fails to match)."""
    with contextlib.suppress(OSError):
        os.utime(path, ns=(time.time_ns(), mtime_ns))
