from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QKeySequence

from annotator.ui.common.shortcuts import LABEL_KEYS, MENUS, SHORTCUTS, shortcut


def test_shortcuts_table_ids_are_unique_and_menus_known():
    ids = Counter(s.id for s in SHORTCUTS)
    assert [i for i, n in ids.items() if n > 1] == []
    assert {s.menu for s in SHORTCUTS} <= set(MENUS)
    assert all(s.title for s in SHORTCUTS if s.menu != "Text")
    assert shortcut("edit.undo").keys == ("Ctrl+Z",)


def test_shortcuts_table_no_key_is_bound_twice():
    keys = Counter(QKeySequence(k).toString(QKeySequence.SequenceFormat.PortableText)
                   for s in SHORTCUTS for k in s.keys)
    assert [k for k, n in keys.items() if n > 1] == []


@pytest.mark.parametrize("entry", [*SHORTCUTS, LABEL_KEYS], ids=lambda s: s.id)
def test_shortcuts_table_keys_parse(entry):
    for key in entry.keys:
        sequence = QKeySequence(key, QKeySequence.SequenceFormat.PortableText)
        assert not sequence.isEmpty() and sequence.count() == 1, key
        assert sequence.toString(QKeySequence.SequenceFormat.PortableText).lower() == key.lower(), key


def test_shortcuts_table_docs_file_is_generated_from_the_table():
    from pathlib import Path

    from annotator.ui.common.shortcuts import markdown

    docs = Path(__file__).resolve().parents[2] / "docs" / "shortcuts.md"
    assert docs.read_text(encoding="utf-8") == markdown(), "regenerate: python -m annotator.ui.common.shortcuts > docs/shortcuts.md"
    for entry in SHORTCUTS:
        for key in entry.keys:
            assert f"`{key}`" in markdown()
