"""The question asked when someone else has the project open for editing.

    holder = project.acquire_lock(annotator_name)
    if holder is not None:
        choice = ask_about_lock(window, holder, project.path)
        if choice == "read_only":  project.read_only = True
        elif choice == "take_over": project.acquire_lock(annotator_name, force=True)
        else:                       close the project

Everything shown is plain text: the holder's name comes from another machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from ...store.session_lock import LockHolder

LockChoice = Literal["read_only", "take_over", "cancel"]


def lock_message(holder: LockHolder, path: str | Path | None = None) -> str:
    what = Path(path).name if path is not None else "This project"
    return (
        f"{what} is open for editing by {holder.describe()}.\n\n"
        "Open it read-only to look at it without changing anything.\n\n"
        "Take over only if that session is gone (a program that crashed, a computer that was "
        "switched off). If it is still in use, you would both be changing the same file and "
        "could overwrite each other's decisions."
    )


def ask_about_lock(parent: QWidget | None, holder: LockHolder, path: str | Path | None = None) -> LockChoice:
    """Ask what to do about a project someone else is editing; Esc means cancel."""
    box = QMessageBox(parent)
    box.setObjectName("lockPrompt")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Project In Use")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(lock_message(holder, path))
    read_only: QPushButton = box.addButton("Open &Read-Only", QMessageBox.ButtonRole.AcceptRole)
    take_over: QPushButton = box.addButton("&Take Over", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    read_only.setToolTip("Look at the project; nothing can be changed")
    take_over.setToolTip("Edit the project; the other session loses its lock")
    box.setDefaultButton(read_only)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is read_only:
        return "read_only"
    if clicked is take_over:
        return "take_over"
    return "cancel"
