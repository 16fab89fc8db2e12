"""What an SQLite failure means for the user: full disk, read-only medium, busy, damaged.

SQLite reports a full disk as ``SQLITE_FULL`` when a write finds no room, but as a plain
I/O error (``SQLITE_IOERR_SHMSIZE``, ``..._WRITE``) when the shared-memory or WAL file cannot
grow; the free space of the file system tells the two apart. Only ``SQLITE_CORRUPT`` (and a
failed ``quick_check``) is damage.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from .errors import DiskFull, NotAProject, ProjectBusy, ProjectCorrupt, ProjectError, ProjectReadOnly

# Below this much free space an I/O error is taken for a full disk: SQLite needs room for a
# 32 KiB shared-memory block and WAL frames of a page each.
NEARLY_FULL_BYTES = 1 << 20


def error_name(exc: BaseException) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def free_bytes(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path.parent if not path.is_dir() else path).free
    except OSError:
        return None


def folder_writable(path: Path) -> bool:
    """Can files be created beside ``path`` (its -wal and -shm)?"""
    folder = path.parent
    if not os.access(folder, os.W_OK):
        return False
    try:
        return not os.statvfs(folder).f_flag & os.ST_RDONLY
    except (OSError, AttributeError):  # no statvfs on Windows: os.access has said it
        return True


def file_writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and folder_writable(path)


def disk_full(path: Path) -> bool:
    free = free_bytes(path)
    return free is not None and free < NEARLY_FULL_BYTES


def full_message(path: Path) -> str:
    return (f"{path}: the disk is full (no room to write to the project); free some space and try again. "
            "The project itself is intact: nothing half-written was kept")


def read_only_message(path: Path) -> str:
    if not os.access(path, os.W_OK) and path.exists() and folder_writable(path):
        why = "the file is read-only"
    else:
        why = "its folder or file system is read-only"
    return f"{path}: the project cannot be changed here ({why}); it can still be read (stats, export)"


def store_error(path: Path, exc: sqlite3.Error) -> ProjectError | None:
    """The user-facing error for an SQLite failure on ``path``, or None if it is a bug of ours
    (a programming error stays a traceback in tests, where it belongs)."""
    name = error_name(exc)
    text = str(exc).lower()
    if name == "SQLITE_FULL" or "disk is full" in text:
        return DiskFull(full_message(path))
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return ProjectReadOnly(read_only_message(path))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return ProjectBusy(f"{path}: the project is busy in another program (writing to it) for longer than we "
                           "waited; nothing was changed: try again when it is done")
    if name.startswith("SQLITE_IOERR") or name.startswith("SQLITE_CANTOPEN") or "disk i/o error" in text:
        if disk_full(path):
            return DiskFull(full_message(path))
        if name.startswith("SQLITE_CANTOPEN") and path.exists() and not folder_writable(path):
            return ProjectReadOnly(read_only_message(path))
        return ProjectError(f"{path}: the project file could not be read or written ({exc}): the disk or file "
                            "system reported an error; check the medium and try again")
    if name == "SQLITE_NOTADB" or "not a database" in text:
        return NotAProject(f"{path}: not an annotator project ({exc})")
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return ProjectCorrupt(f"{path}: the project file is damaged ({exc}); restore it from a backup")
    return None
