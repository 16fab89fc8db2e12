"""What one run of an edit did (first run, undo or redo), as the session applies it.

A command reports an ``Outcome`` holding the objects the store returned (the new ``Span``,
the id of a deleted one), never a list of ids to read again. The document session applies
each outcome once and turns it into its fine-grained signals.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from ...core.changes import Change
from ...core.model import Span, SpanDetails


@dataclass(frozen=True)
class Outcome:
    doc_id: int | None  # the document the edit happened in; None: project-wide (labels, aliases)
    added: tuple[Span, ...] = ()
    changed: tuple[Span, ...] = ()  # the spans as they are now
    removed: tuple[int, ...] = ()
    # Attributes and notes of spans put back by an undo (read from the snapshot, not the file).
    details: dict[int, SpanDetails] = field(default_factory=dict)
    claims: bool = False  # the document's claims changed: the session reads them once
    focus: int | None = None  # the content span of the claim the edit was about (opened after)
    status: str | None = None  # the document's status, when the edit set it
    scheme: bool = False  # labels or claim attributes changed
    aliases: bool = False  # claimant aliases changed (project-wide names)
    settings: bool = False  # a project setting changed
    reload: bool = False  # too much changed to apply piecewise: show the document again from the file
    undo: bool = False  # reported by an undo
    error: str | None = None  # the store refused; nothing changed
    first: bool = True  # the command's first run (a refusal then means it never reaches the stack)

    @property
    def change(self) -> Change:
        """The same as flags, for listeners that only need to know what kind of thing changed."""
        change = Change.NONE
        if self.added or self.changed or self.removed or self.reload:
            change |= Change.SPANS
        if self.claims or self.aliases:
            change |= Change.CLAIMS
        if self.status is not None:
            change |= Change.DOCUMENT_STATUS
        if self.scheme:
            change |= Change.LABELS
        if self.settings:
            change |= Change.SETTINGS
        return change

    @property
    def span_ids(self) -> tuple[int, ...]:
        return tuple(s.id for s in (*self.added, *self.changed) if s.id is not None) + self.removed


Report = Callable[[Outcome], None]


def describe_error(exc: BaseException) -> str:
    """A message for the status bar; never a raw traceback, never "database is locked" alone."""
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
        return "the project file is busy in another program; nothing was changed — try again"
    if isinstance(exc, sqlite3.Error):
        return f"the project file could not be changed ({exc}); nothing was changed"
    return str(exc)


def quote(text: str, limit: int = 30) -> str:
    """A short quotation of user text for undo texts and messages."""
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"
