from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Label
from annotator.ui.common.shortcuts import MOUSE, SHORTCUTS
from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog, key_text


@pytest.fixture
def dialog(qtbot):
    labels = [Label("PERSON", key="1"), Label("<b>ORG</b>", key="shift+2"), Label("CUE", kind="role")]
    dlg = ShortcutsDialog(labels)
    qtbot.addWidget(dlg)
    with qtbot.waitActive(dlg):
        dlg.show()
        dlg.activateWindow()
    return dlg


def test_shortcuts_dialog_lists_every_shortcut(dialog):
    rows = dialog.visible_rows()
    descriptions = [what for _keys, what in rows]
    for entry in SHORTCUTS:
        assert entry.description in descriptions
    for _what, does in MOUSE:
        assert does in descriptions
    undo = next(keys for keys, what in rows if what.startswith("Undo"))
    assert undo == key_text("Ctrl+Z")
    redo = next(keys for keys, what in rows if what.startswith("Redo"))
    assert redo == f"{key_text('Ctrl+Shift+Z')}, {key_text('Ctrl+Y')}"


def test_shortcuts_dialog_groups_by_menu(dialog):
    titles = [group.text(0) for group in dialog.group_items()]
    assert titles == ["File menu", "Edit menu", "Go menu", "View menu", "Model menu", "Analysis menu", "Help menu",
                      "In the article (token cursor)", "Labels", "Editing a claim", "Reviewing suggestions", "Review mode",
                      "Mouse"]
    edit = dialog.group_items()[1]
    assert edit.child(0).text(2) == "Edit › Undo"


def test_shortcuts_dialog_shows_the_project_label_keys_as_text(dialog):
    rows = dict((what, keys) for keys, what in dialog.visible_rows())
    assert rows["Label PERSON (entity)"] == "1"
    assert rows["Label <b>ORG</b> (entity)"] == key_text("Shift+2")
    assert "Label CUE (role)" not in rows  # no key, nothing to list


def test_shortcuts_dialog_filter_by_word_and_by_key(dialog, qtbot):
    assert dialog.filter_edit.hasFocus()
    qtbot.keyClicks(dialog.filter_edit, "zoom")
    assert [what for _keys, what in dialog.visible_rows()] == [
        "Larger article text", "Smaller article text", "Article text at its normal size"]
    assert [g.text(0) for g in dialog.group_items() if not g.isHidden()] == ["View menu"]

    dialog.filter_edit.clear()
    qtbot.keyClicks(dialog.filter_edit, "ctrl+z")
    assert [what for _keys, what in dialog.visible_rows()] == ["Undo the last edit (in any document)"]

    dialog.filter_edit.clear()
    qtbot.keyClicks(dialog.filter_edit, "move line")
    assert {what for _keys, what in dialog.visible_rows()} == {
        "Move the token cursor up a line", "Move the token cursor down a line",
        "Move the token cursor to the start of the line", "Move the token cursor to the end of the line"}


def test_shortcuts_dialog_filter_with_no_match_says_so(dialog, qtbot):
    qtbot.keyClicks(dialog.filter_edit, "no such thing")
    assert dialog.visible_rows() == []
    assert dialog.empty_label.isVisible() and not dialog.tree.isVisible()
    dialog.filter_edit.clear()
    assert dialog.tree.isVisible() and not dialog.empty_label.isVisible()


def test_shortcuts_dialog_down_from_the_filter_goes_to_the_first_row(dialog, qtbot):
    qtbot.keyClicks(dialog.filter_edit, "undo")
    qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Down)
    assert dialog.tree.hasFocus()
    assert dialog.tree.currentItem().text(1) == "Undo the last edit (in any document)"


def test_shortcuts_dialog_escape_closes(dialog, qtbot):
    qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
