"""The keys of review mode, read by an event filter on the article while review mode is on.

- Space / Shift+Space: next / previous undecided unit;
- 1-9: take that annotator's version of the current unit (with a selection in the article a
  digit stays a label key: it tags the selection in gold);
- Enter: take the majority version; X: reject the unit (not gold);
- Shift+A: take every unit all annotators agree on in this document;
- K (claimant), U (cue) or a claim attribute's key, then a digit: that field of the gold
  claim as that annotator gave it; Esc cancels the field key;
- Ctrl+Enter: mark the document reviewed and go to the next one with something undecided.

A key is ours only where it means something here (``key_action`` None: it goes on to the
label keys, the claim keys, the window's shortcuts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from ...core.review import CLAIM

if TYPE_CHECKING:
    from .review_mode import ReviewMode

Key = Qt.Key
Mod = Qt.KeyboardModifier
ENTER = (Key.Key_Return, Key.Key_Enter)
DIGITS = {getattr(Key, f"Key_{n}"): n for n in range(1, 10)}


class ReviewKeys(QObject):
    def __init__(self, mode: ReviewMode):
        super().__init__(mode)
        self.mode = mode
        self.pending: str | None = None  # a claim field whose key was pressed: a digit chooses it

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(event, QKeyEvent):
            return False
        action = self.key_action(event)
        if action is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key press comes to us, not to a window shortcut or a label's action
            return True
        action()
        return True

    def key_action(self, event: QKeyEvent) -> Callable[[], None] | None:
        mode = self.mode
        if not mode.active or mode.session.doc_id is None or mode.session.read_only or mode.busy():
            return None
        key, mods = event.key(), event.modifiers() & ~Mod.KeypadModifier
        if key in ENTER and mods == Mod.ControlModifier:
            return mode.reviewed_and_next
        if key == Key.Key_Space and mods in (Mod.NoModifier, Mod.ShiftModifier):
            return lambda: mode.step(-1 if mods & Mod.ShiftModifier else 1)
        if key == Key.Key_A and mods == Mod.ShiftModifier:
            return mode.accept_agreed
        if mods != Mod.NoModifier or mode.view.selection() is not None:
            return None
        if self.pending is not None:
            field = self.pending
            if key in DIGITS:
                return lambda: self._field(field, DIGITS[key])
            if key == Key.Key_Escape:
                return self._cancel
        if key in DIGITS:
            return lambda: mode.accept(DIGITS[key])
        if key in ENTER:
            return mode.accept_majority
        if key == Key.Key_X:
            return mode.reject
        unit = mode.unit
        if unit is not None and unit.group == CLAIM and unit.gold:
            field = self._field_of(event.text())
            if field is not None:
                return lambda: self._arm(field)
        return None

    def _field_of(self, text: str) -> str | None:
        letter = text.strip().lower()
        if not letter:
            return None
        if letter == "k":
            return "claimant"
        if letter == "u":
            return "cue"
        for attribute in self.mode.session.attributes:
            if attribute.key and attribute.key.lower() == letter:
                return f"attribute:{attribute.name}"
        return None

    def _arm(self, field: str) -> None:
        self.pending = field
        self.mode.session.prompt(f"{field.removeprefix('attribute:')}: press the digit of the annotator whose "
                                 "value gold takes (Esc cancels)")

    def _cancel(self) -> None:
        self.pending = None
        self.mode.session.prompt("")

    def _field(self, field: str, digit: int) -> None:
        self._cancel()
        self.mode.choose_field(field, digit)
