"""What an operation changed, so views refresh only what they must (Anki's OpChanges)."""

from __future__ import annotations

import enum


class Change(enum.Flag):
    NONE = 0
    DOCUMENTS = enum.auto()  # documents added/removed/reordered
    DOCUMENT_STATUS = enum.auto()
    SPANS = enum.auto()
    CLAIMS = enum.auto()
    LABELS = enum.auto()
    SETTINGS = enum.auto()
    ALL = DOCUMENTS | DOCUMENT_STATUS | SPANS | CLAIMS | LABELS | SETTINGS
