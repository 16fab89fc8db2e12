from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from modal import when_modal

from annotator.store.session_lock import LockHolder
from annotator.ui.dialogs.lock_prompt import ask_about_lock

HOLDER = LockHolder("Ana <b>Souza</b>", "laptop-3", 4242, "tok", "2026-03-02T09:15:00.000000Z",
                    "2026-03-02T09:20:00.000000Z")



@pytest.mark.parametrize(("keys", "expected"), [
    ([(Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)], "read_only"),  # the default button
    ([(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)], "read_only"),
    ([(Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)], "take_over"),
    ([(Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)], "cancel"),
])
def test_lock_prompt_choices_by_keyboard(qtbot, keys, expected):
    def press(box):
        for key, modifier in keys:
            qtbot.keyClick(box, key, modifier)

    when_modal(qtbot, press)
    assert ask_about_lock(None, HOLDER, "/data/news.annotator") == expected


def test_lock_prompt_names_the_holder_in_plain_text(qtbot):
    seen: list[tuple] = []

    def look(box):
        seen.append((box.text(), box.textFormat(), [b.text() for b in box.buttons()]))
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    when_modal(qtbot, look)
    ask_about_lock(None, HOLDER, "/data/news.annotator")
    text, fmt, buttons = seen[0]
    assert text.startswith("news.annotator is open for editing by Ana <b>Souza</b> on laptop-3 "
                           "(process 4242) since 2026-03-02 09:15 UTC.")
    assert "overwrite each other's decisions" in text
    assert fmt == Qt.TextFormat.PlainText
    assert len(buttons) == 3 and {"Open &Read-Only", "&Take Over"} <= set(buttons)


def test_lock_prompt_closing_the_window_is_cancel(qtbot):
    when_modal(qtbot, lambda box: box.close())
    assert ask_about_lock(None, HOLDER) == "cancel"
