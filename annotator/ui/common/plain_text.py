"""Untrusted text (articles, titles, labels, annotator names) shown in widgets that would
render HTML, such as tooltips: escaped so that "<b>" shows as "<b>"; and labels that never
interpret their text (a QLabel guesses rich text from a "<" otherwise)."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def tooltip(text: str) -> str:
    """A tooltip showing ``text`` as it is (line breaks kept, long lines wrapped)."""
    return QtGui.Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal) if text else ""


def plain_label(text: str = "", buddy: QWidget | None = None, name: str = "", *, wrap: bool = False) -> QLabel:
    """A QLabel that shows ``text`` as it is; ``buddy`` gets the focus of its Alt+letter."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if buddy is not None:
        label.setBuddy(buddy)
    if name:
        label.setObjectName(name)
    return label
