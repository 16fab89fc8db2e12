"""The claim keys, read by an event filter on the article (and the side lists) before the
window's shortcuts see them, while a claim is selected:

- K / U take the article's selection as the claimant / cue (the span with exactly that range,
  or the smallest span around it, or a new SOURCE / CUE span); with no selection they wait for
  one ("picking": select, then Enter; or drag; or click a span; Delete unlinks; Esc cancels);
- Shift+K / Shift+U open the editor's list of candidates, nearest to the claim first;
- A takes the proposed claimant, cue and values shown in the editor (proposals.py), unless the
  scheme gives A to an attribute;
- an attribute's key (the scheme's: q, s, w, v, n by default) waits for a digit that picks a
  choice (0 clears, Esc cancels), or moves the focus into a text field (Enter keeps, Esc
  cancels, then the focus comes back);
- Esc leaves claim editing (after a selection or a sticky label has been cleared).

The attribute and K/U keys beat label keys while a claim is selected; digits do only while
an attribute waits for one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

if TYPE_CHECKING:
    from .claim_flow import ClaimFlow

Key = Qt.Key
Mod = Qt.KeyboardModifier
CLAIMANT_KEY, CUE_KEY, ACCEPT_KEY = "k", "u", "a"
ROLE_KEYS = {CLAIMANT_KEY: "claimant", CUE_KEY: "cue"}
ENTER = (Key.Key_Return, Key.Key_Enter)
ERASE = (Key.Key_Delete, Key.Key_Backspace)
MODIFIER_KEYS = (Key.Key_Shift, Key.Key_Control, Key.Key_Alt, Key.Key_Meta)


def _letter(key: int) -> str | None:
    return chr(key).lower() if Key.Key_A <= key <= Key.Key_Z else None


class ClaimKeys(QObject):
    """The event filter: a claim key is taken before the window's shortcuts see it."""

    def __init__(self, flow: ClaimFlow):
        super().__init__(flow)
        self.flow = flow

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(event, QKeyEvent):
            return False
        action = key_action(self.flow, event)
        if action is None:
            if self.flow.pending is not None and event.key() not in MODIFIER_KEYS:
                self.flow.cancel_pending()  # any other key ends the wait for a digit
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key press comes to us, not to a shortcut
            return True
        if not event.isAutoRepeat():
            action()
        return True


def key_action(flow: ClaimFlow, event: QKeyEvent) -> Callable[[], None] | None:
    """What a key press means while a claim is selected, or None to leave it to the window."""
    if flow.active is None or flow.session.read_only:
        return None
    key = event.key()
    mods = event.modifiers() & ~Mod.KeypadModifier
    plain = mods == Mod.NoModifier
    if flow.pending is not None:
        attribute = flow.attribute(flow.pending)
        if attribute is not None and plain and Key.Key_0 <= key <= Key.Key_9:
            number = key - Key.Key_0
            if number == 0:
                return lambda: flow.set_value(attribute.name, None)
            if number <= len(attribute.choices):
                return lambda: flow.set_value(attribute.name, attribute.choices[number - 1])
            return lambda: flow.session.say(
                f"{attribute.title} has {len(attribute.choices)} choices: press 1–{len(attribute.choices)} "
                "(0 clears, Esc cancels).", error=True)
        if attribute is not None and plain and key in ERASE:
            return lambda: flow.set_value(attribute.name, None)
        if key == Key.Key_Escape:
            return flow.cancel_pending
    if flow.picking is not None:
        role = flow.picking
        if plain and key in ENTER:
            return flow.pick_here
        if plain and key in ERASE:
            return lambda: flow.unlink(role)
        if key == Key.Key_Escape:
            return flow.cancel_picking
    letter = _letter(key)
    if plain and letter == ACCEPT_KEY and flow.proposal is not None and \
            not any(a.key == ACCEPT_KEY for a in flow.attributes):
        return flow.accept_proposal
    if letter is not None and plain:
        if letter in ROLE_KEYS:
            return lambda: flow.pick(ROLE_KEYS[letter])
        attribute = next((a for a in flow.attributes if a.key == letter), None)
        if attribute is not None:
            return lambda: flow.start_attribute(attribute.name)
    if letter in ROLE_KEYS and mods == Mod.ShiftModifier:
        return lambda: flow.open_chooser(ROLE_KEYS[letter])
    if plain and key == Key.Key_Escape:
        if flow.esc_first() or flow.has_selection():
            return None  # Esc clears those first (the window's Clear Selection)
        return flow.leave
    return None
