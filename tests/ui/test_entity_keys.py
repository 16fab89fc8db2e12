"""Entities from the keyboard, counted in keys: Ctrl+Right selects the next untagged name, a label
key tags it; a one-word entity is the cursor on it and one label key."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_driver import key, rows, show_window

from annotator.ui.common.settings import Settings
from annotator.ui.window.main_window import MainWindow

K, M = Qt.Key, Qt.KeyboardModifier
TEXT = ("The envoy said on Tuesday that Viktor Bout had met officials in Lisbon. "
        "In Kenya, Ruto said the talks would go on.")


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    win = show_window(qtbot, MainWindow(make_project([("A", TEXT)])), focus_text=True)
    yield win
    win.shut_down()


class Keys:
    """Presses keys as a user does and counts them."""

    def __init__(self, qtbot, window):
        self.qtbot, self.window, self.count = qtbot, window, 0

    def __call__(self, k: Qt.Key, mod: Qt.KeyboardModifier = M.NoModifier) -> None:
        key(self.qtbot, self.window, k, mod)
        self.count += 1


def spans(window) -> list[tuple[str, str]]:
    return [(r[3], r[4]) for r in rows(window.project.path)]


def test_entity_keys_a_name_a_few_words_away_is_two_keys(window, qtbot):
    press = Keys(qtbot, window)
    press(K.Key_Right, M.ControlModifier)  # "Tuesday" is the first capitalised word ("The" opens a sentence)
    assert window.text_view.selection() == (TEXT.index("Tuesday"), TEXT.index("Tuesday") + 7)
    press(K.Key_Right, M.ControlModifier)
    assert window.text_view.selection() == (TEXT.index("Viktor"), TEXT.index("Bout") + 4)
    press(K.Key_1)
    assert spans(window) == [("PERSON", "Viktor Bout")]
    assert press.count == 3  # it took 11 (eight Rights) before
    # Tagged names are passed over: the next one is Lisbon, then Kenya (not "In Kenya"), then Ruto.
    press(K.Key_Right, M.ControlModifier)
    press(K.Key_3)
    press(K.Key_Right, M.ControlModifier)
    assert window.text_view.selection() == (TEXT.index("Kenya"), TEXT.index("Kenya") + 5)
    press(K.Key_Left, M.ControlModifier)  # back: Tuesday (Viktor Bout and Lisbon are tagged)
    assert window.text_view.selection() == (TEXT.index("Tuesday"), TEXT.index("Tuesday") + 7)
    press(K.Key_6)
    assert sorted(spans(window)) == [("DATE", "Tuesday"), ("GPE", "Lisbon"), ("PERSON", "Viktor Bout")]


def test_entity_keys_one_word_entity_is_the_cursor_and_one_label_key(window, qtbot):
    press = Keys(qtbot, window)
    for _ in range(4):  # The envoy said on Tuesday
        press(K.Key_Right)
    assert window.text_view.token_at_cursor() == (TEXT.index("Tuesday"), TEXT.index("Tuesday") + 7)
    press(K.Key_6)
    assert spans(window) == [("DATE", "Tuesday")]
    assert window.label_bar.armed is None  # the key tagged the word; it did not arm the label
