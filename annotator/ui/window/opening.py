"""Opening a project for a window: the file, then the editing lock, then the user's choice.

When another window or program holds the project's editing lock, the user is told who
(``lock_prompt``) and may open it read-only, take it over, or not open it. Never a crash: a
file that cannot be opened, or a lock that cannot be written, becomes a message.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ...store import DiskFull, Project, ProjectError, ProjectReadOnly
from ..dialogs.lock_prompt import ask_about_lock
from ..common.settings import Settings


def show_open_error(path: Path, error: ProjectError, parent: QWidget | None = None) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "annotator", f"Cannot open the project {path.name}.\n\n{error}",
                      parent=parent)
    # The message quotes a file name: plain text, never HTML.
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def take_lock(project: Project, annotator: str, parent: QWidget | None = None) -> bool:
    """Take the editing lock of an open project, asking the user when someone holds it.

    Returns False when the user chose not to open it (the project is then closed); True
    otherwise, with ``project.read_only`` set when they chose to look only.
    """
    try:
        holder = project.acquire_lock(annotator or "unknown")
    except (ProjectError, sqlite3.Error) as exc:
        # A file we can read but not write (read-only medium, permissions): look only.
        project.read_only = True
        box = QMessageBox(QMessageBox.Icon.Warning, "annotator",
                          f"{project.path.name} cannot be changed ({exc}); it opens read-only.", parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return True
    if holder is None:
        return True
    choice = ask_about_lock(parent, holder, project.path)
    if choice == "read_only":
        project.read_only = True
        return True
    if choice == "take_over":
        try:
            project.acquire_lock(annotator or "unknown", force=True)
            return True
        except (ProjectError, sqlite3.Error):
            project.read_only = True
            return True
    project.close()
    return False


def open_project(path: Path, annotator: str, parent: QWidget | None = None) -> Project | None:
    """Open ``path`` and take its editing lock; None if it cannot or should not open.

    The integrity check is left to the window (``MainWindow(checked=False)``), which runs it
    in the background: on a large file it takes seconds, and the window should not wait.
    """
    try:
        project = Project.open(path, check=False)
    except (ProjectReadOnly, DiskFull) as exc:
        return _open_for_reading(path, exc, parent)
    except ProjectError as exc:
        show_open_error(path, exc, parent)
        return None
    return project if take_lock(project, annotator, parent) else None


def _open_for_reading(path: Path, why: ProjectError, parent: QWidget | None) -> Project | None:
    """A project that cannot be written here (read-only medium, full disk) opens read-only, saying why."""
    try:
        project = Project.open(path, check=False, read_only=True)
    except ProjectError as exc:
        show_open_error(path, exc, parent)
        return None
    project.read_only = True
    reason = ("the disk is full" if isinstance(why, DiskFull)
              else "the file, its folder or its disk cannot be written (read-only)")
    box = QMessageBox(QMessageBox.Icon.Information, "annotator",
                      f"{path.name} cannot be changed here: {reason}. It opens read-only: you can read, search "
                      "and export it.", parent=parent)
    box.setObjectName("readOnlyNotice")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
    return project


# ----------------------------------------------------------- known-sound files
SOUND_MAX = 20


def _fingerprint(path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}:{path.resolve()}"


def known_sound(settings: Settings, path: Path) -> bool:
    """Whether ``path`` is byte for byte as this program left it after a clean check: then the
    integrity check (seconds on a large file) is skipped. Damage that happens later still
    shows as an error on the edit that meets it."""
    fingerprint = _fingerprint(path)
    return fingerprint is not None and fingerprint in settings.value("projects/sound")


def remember_sound(settings: Settings, path: Path) -> None:
    """Call after closing a project that passed its check (closing changes the file's time)."""
    fingerprint = _fingerprint(path)
    if fingerprint is None:
        return
    where = fingerprint.split(":", 2)[2]
    kept = [f for f in settings.value("projects/sound") if f.split(":", 2)[2] != where]
    settings.set_value("projects/sound", [fingerprint, *kept][:SOUND_MAX])
