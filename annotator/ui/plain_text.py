"""Untrusted text (articles, titles, labels, annotator names) shown in widgets that would
render HTML, such as tooltips: escaped so that "<b>" shows as "<b>"."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt


def tooltip(text: str) -> str:
    """A tooltip showing ``text`` as it is (line breaks kept, long lines wrapped)."""
    return QtGui.Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal) if text else ""
