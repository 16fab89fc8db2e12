"""Driving the real window as the keyboard would, without QtTest (the bundle leaves QtTest
out): what ``annotator --self-test`` needs from Qt, so that it imports no Qt itself."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from ..common.settings import Settings


def qt_version() -> str:
    return QtCore.qVersion()


def file_settings(path: Path) -> Settings:
    """Settings kept in an INI file of their own (the user's settings stay untouched)."""
    return Settings(QSettings(str(path), QSettings.Format.IniFormat))


def press(widget: QWidget, key: str, *, shift: bool = False) -> None:
    """A press and release of ``key`` (a Qt key name such as "Right") delivered to ``widget``
    as the keyboard delivers it to the focus widget."""
    modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    code = getattr(Qt.Key, f"Key_{key}")
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, code, modifiers))


def actions_for(window: QWidget, sequence: QKeySequence | str) -> list[QAction]:
    """The enabled actions of ``window`` that ``sequence`` triggers. Qt's shortcut map
    triggers none of them when there are two ("ambiguous shortcut")."""
    wanted = sequence if isinstance(sequence, QKeySequence) else QKeySequence(sequence)
    return [a for a in window.findChildren(QAction) if a.isEnabled() and wanted in a.shortcuts()]
