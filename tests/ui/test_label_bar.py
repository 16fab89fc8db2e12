"""The label bar: a button per span label with its colour and key; the armed label is checked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

from annotator.core.model import Label
from annotator.ui.views.label_bar import LabelBar, key_sequence, key_text

LABELS = [Label("PERSON", "entity", "#7aa6f0", "1", "People, <i>named</i>"), Label("CLAIM", "claim", "#d9534f", "c"),
          Label("CUE", "role", "#8d99ae"), Label("TOPIC", "doc", "#999999", "t"),
          Label("EXTRA", "entity", "#a3c45a", "shift+1")]


@pytest.mark.parametrize(("key", "sequence", "text"), [
    ("1", "1", "1"), ("c", "C", "C"), ("shift+1", "Shift+1", "⇧1"), (None, "", ""),
])
def test_label_bar_key_mapping(key, sequence, text):
    assert key_sequence(key) == QKeySequence(sequence)
    assert key_text(key) == text


@pytest.fixture
def host(qtbot):
    window = QMainWindow()
    bar = LabelBar(window)
    window.addToolBar(bar)
    window.setCentralWidget(QPlainTextEdit())
    bar.set_labels(LABELS)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window, bar


def test_label_bar_shows_span_labels_only(host):
    _window, bar = host
    assert list(bar.label_actions) == ["PERSON", "CLAIM", "EXTRA"]  # no keyless role, no document label
    person = bar.label_actions["PERSON"]
    assert person.shortcut() == QKeySequence("1")
    assert "&lt;i&gt;named&lt;/i&gt;" in person.toolTip() and "key 1" in person.toolTip()
    assert not person.icon().isNull()


def test_label_bar_keys_trigger_labels_and_armed_state_is_shown(host, qtbot):
    window, bar = host
    seen: list[str] = []
    bar.label_triggered.connect(seen.append)
    window.centralWidget().setReadOnly(True)
    window.centralWidget().setFocus()
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_1)
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_C)
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ShiftModifier)
    assert seen == ["PERSON", "CLAIM", "EXTRA"]
    assert not any(a.isChecked() for a in bar.label_actions.values())  # the bar waits to be told
    bar.set_armed("CLAIM")
    assert [n for n, a in bar.label_actions.items() if a.isChecked()] == ["CLAIM"]
    bar.set_labels(LABELS)  # rebuilt (labels edited): the armed label stays armed
    assert bar.armed == "CLAIM" and bar.label_actions["CLAIM"].isChecked()
    bar.set_editable(False)
    assert not bar.label_actions["PERSON"].isEnabled()


def test_label_bar_without_labels_says_how_to_add_some(qtbot):
    bar = LabelBar()
    qtbot.addWidget(bar)
    bar.set_labels([])
    assert bar.label_actions == {}
    assert "Edit > Labels" in bar._empty.text()
