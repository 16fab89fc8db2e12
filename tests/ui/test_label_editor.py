from __future__ import annotations


import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QColorDialog, QLineEdit, QMessageBox, QWidget
from ui_projects import write_documents

from modal import when_modal

from annotator.store import Project
from annotator.ui.session.document_session import DocumentSession
from annotator.ui.dialogs.add_label import AddLabelDialog
from annotator.ui.dialogs.label_editor import COLOR, DESCRIPTION, KEY, NAME, USAGE, LabelEditorDialog

TEXT = "Ana Souza told Reuters in Lisbon on Monday that ORG and Acme Corp agreed."


@pytest.fixture
def editor(project, qtbot):
    write_documents(project, [("one", TEXT, "todo", [(0, 9, "PERSON"), (15, 22, "ORG"), (26, 32, "GPE")]),
                              ("two", "Acme Corp again.", "todo", [(0, 9, "ORG")])])
    dialog = LabelEditorDialog(DocumentSession(project))
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):  # mnemonics and shortcuts go to the active window
        dialog.show()
        dialog.activateWindow()
    return dialog


def row_of(dialog: LabelEditorDialog, name: str) -> int:
    names = [dialog.table.item(row, NAME).text() for row in range(dialog.table.rowCount())]
    return names.index(name)


def select(qtbot, dialog: LabelEditorDialog, name: str, column: int = NAME) -> None:
    table = dialog.table
    item = table.item(row_of(dialog, name), column)
    table.scrollToItem(item)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(item).center())
    assert dialog.selected_label().name == name


def type_into_editor(qtbot, text: str) -> None:
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)



def label(project: Project, name: str):
    return next((lab for lab in project.labels() if lab.name == name), None)


def test_label_editor_lists_labels_with_usage(editor, project):
    assert [editor.table.item(r, NAME).text() for r in range(editor.table.rowCount())] == \
        [lab.name for lab in project.labels()]
    assert editor.table.item(row_of(editor, "ORG"), USAGE).text() == "2 spans"
    assert editor.table.item(row_of(editor, "GPE"), USAGE).text() == "1 span"
    assert editor.table.item(row_of(editor, "DATE"), USAGE).text() == "unused"
    assert editor.table.item(row_of(editor, "ORG"), KEY).text() == "2"
    assert editor.table.item(row_of(editor, "ORG"), COLOR).text() == "#f0a35e"


def test_label_editor_rename_with_f2_reaches_every_span(editor, project, qtbot):
    changed: list = []
    editor.session.scheme_changed.connect(lambda *_args: changed.append(1))
    select(qtbot, editor, "GPE")
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    type_into_editor(qtbot, "PLACE")
    qtbot.waitUntil(lambda: label(project, "PLACE") is not None)
    assert label(project, "GPE") is None
    doc_id = project.document_summaries(0, 1)[0].id
    assert [s.label for s in project.spans(doc_id)] == ["PERSON", "ORG", "PLACE"]
    assert changed
    assert editor.selected_label().name == "PLACE"


def test_label_editor_rename_to_an_existing_name_is_refused_in_plain_text(editor, project, qtbot):
    select(qtbot, editor, "GPE")
    qtbot.mouseClick(editor.rename_button, Qt.MouseButton.LeftButton)
    type_into_editor(qtbot, "ORG")
    qtbot.waitUntil(editor.error.isVisible)
    assert editor.error.text() == "label 'ORG' already exists"
    assert editor.error.textFormat() == Qt.TextFormat.PlainText
    assert editor.table.item(row_of(editor, "GPE"), NAME).text() == "GPE"
    assert label(project, "GPE") is not None


def test_label_editor_key_in_use_is_refused_naming_its_owner(editor, project, qtbot):
    select(qtbot, editor, "DATE")
    qtbot.mouseClick(editor.key_button, Qt.MouseButton.LeftButton)
    type_into_editor(qtbot, "2")
    qtbot.waitUntil(editor.error.isVisible)
    assert editor.error.text() == "Key 2 is already used by ORG. Clear or change ORG's key first."
    assert label(project, "DATE").key == "6"
    assert editor.table.item(row_of(editor, "DATE"), KEY).text() == "6"


@pytest.mark.parametrize(("typed", "stored"), [("9", "9"), ("Shift+3", "shift+3"), ("x", "x"), ("", None)])
def test_label_editor_set_and_clear_a_key(editor, project, qtbot, typed, stored):
    select(qtbot, editor, "DATE")
    qtbot.mouseClick(editor.key_button, Qt.MouseButton.LeftButton)
    type_into_editor(qtbot, typed)
    qtbot.waitUntil(lambda: label(project, "DATE").key == stored)
    assert not editor.error.isVisible()


def test_label_editor_bad_key_is_explained(editor, project, qtbot):
    select(qtbot, editor, "DATE")
    qtbot.keyClick(editor.table, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # Set &Key
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))  # mnemonics animate the click
    type_into_editor(qtbot, "ctrl+x")
    qtbot.waitUntil(editor.error.isVisible)
    assert "must be one digit or letter" in editor.error.text()
    assert label(project, "DATE").key == "6"


def test_label_editor_description_is_stored_and_shown_as_plain_tooltip(editor, project, qtbot):
    select(qtbot, editor, "ORG")
    qtbot.mouseClick(editor.description_button, Qt.MouseButton.LeftButton)
    type_into_editor(qtbot, "Firms <b>and</b> agencies")
    qtbot.waitUntil(lambda: label(project, "ORG").description == "Firms <b>and</b> agencies")
    tooltip = editor.table.item(row_of(editor, "ORG"), NAME).toolTip()
    assert "&lt;b&gt;and&lt;/b&gt;" in tooltip and "<b>" not in tooltip
    assert editor.table.item(row_of(editor, "ORG"), DESCRIPTION).text() == "Firms <b>and</b> agencies"


def test_label_editor_recolour(editor, project, qtbot, monkeypatch):
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor("#123456"))
    select(qtbot, editor, "ORG")
    qtbot.mouseClick(editor.color_button, Qt.MouseButton.LeftButton)
    assert label(project, "ORG").color == "#123456"
    assert editor.table.item(row_of(editor, "ORG"), COLOR).text() == "#123456"


def test_label_editor_recolour_cancelled_changes_nothing(editor, project, qtbot, monkeypatch):
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor())
    changed: list = []
    editor.session.scheme_changed.connect(lambda *_args: changed.append(1))
    select(qtbot, editor, "ORG", COLOR)
    qtbot.mouseDClick(editor.table.viewport(), Qt.MouseButton.LeftButton,
                      pos=editor.table.visualItemRect(editor.table.item(row_of(editor, "ORG"), COLOR)).center())
    assert label(project, "ORG").color == "#f0a35e"
    assert changed == []


def test_label_editor_delete_used_label_asks_with_the_count(editor, project, qtbot):
    seen: list[str] = []

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        assert box.textFormat() == Qt.TextFormat.PlainText
        delete = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
        qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)

    select(qtbot, editor, "ORG")
    when_modal(qtbot, confirm)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert seen[0].startswith("ORG is used by 2 spans; delete it and them?")
    assert label(project, "ORG") is None
    assert project.stats()["spans"].get("ORG") is None
    doc_id = project.document_summaries(0, 1)[0].id
    assert [s.label for s in project.spans(doc_id)] == ["PERSON", "GPE"]
    assert "ORG" not in [editor.table.item(r, NAME).text() for r in range(editor.table.rowCount())]
    assert "Undo (Ctrl+Z) brings them back" in seen[0]
    # Ctrl+Z in the dialog: the label comes back with its spans, under the same ids.
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    qtbot.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert label(project, "ORG") is not None and project.label_usage("ORG") == 2
    assert [s.label for s in project.spans(doc_id)] == ["PERSON", "ORG", "GPE"]
    assert "ORG" in [editor.table.item(r, NAME).text() for r in range(editor.table.rowCount())]


def test_label_editor_delete_escape_keeps_everything(editor, project, qtbot):
    select(qtbot, editor, "ORG")
    seen: list[str] = []
    when_modal(qtbot, lambda box: (seen.append(box.text()), qtbot.keyClick(box, Qt.Key.Key_Escape)))
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None)
    assert label(project, "ORG") is not None
    assert project.label_usage("ORG") == 2


def test_label_editor_delete_key_removes_an_unused_label(editor, project, qtbot):
    seen: list[str] = []

    def confirm(box):
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)

    select(qtbot, editor, "DATE")
    when_modal(qtbot, confirm)
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.waitUntil(lambda: label(project, "DATE") is None)
    assert seen == ["Delete the label DATE?\n\nNo span uses it."]
    assert label(project, "DATE") is None


def test_label_editor_add_label(editor, project, qtbot):
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, AddLabelDialog)
        qtbot.keyClicks(dialog.name_edit, "QUOTE")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("claim"))
        qtbot.keyClicks(dialog.key_edit, "9")
        qtbot.keyClicks(dialog.description_edit, "A direct quote")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    changed: list = []
    editor.session.scheme_changed.connect(lambda *_args: changed.append(1))
    when_modal(qtbot, fill)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    added = label(project, "QUOTE")
    assert added is not None
    assert (added.kind, added.key, added.description) == ("claim", "9", "A direct quote")
    assert added.color.startswith("#")
    assert editor.selected_label().name == "QUOTE"
    assert changed


def test_label_editor_add_label_key_in_use_stays_open_with_the_reason(project, qtbot):
    dialog = AddLabelDialog(DocumentSession(project))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name_edit, "QUOTE")
    qtbot.keyClicks(dialog.key_edit, "1")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error.text() == "Key 1 is already used by PERSON. Choose another key, or clear it there first."
    assert label(project, "QUOTE") is None
    dialog.key_edit.clear()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert label(project, "QUOTE").key is None


def test_label_editor_add_label_refuses_an_empty_name(project, qtbot):
    dialog = AddLabelDialog(DocumentSession(project))
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "   ")
    assert not dialog.ok_button.isEnabled()


def test_label_editor_add_label_picks_the_colour(project, qtbot, monkeypatch):
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor("#abcdef"))
    dialog = AddLabelDialog(DocumentSession(project))
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.color_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name_edit, "NEW")
    dialog.accept()
    assert label(project, "NEW").color == "#abcdef"


def test_label_editor_html_in_names_is_shown_as_text(project, qtbot):
    from annotator.core.model import Label

    project.add_label(Label("<b>BOLD</b>", description="<img src=x>"))
    dialog = LabelEditorDialog(DocumentSession(project))
    qtbot.addWidget(dialog)
    row = row_of(dialog, "<b>BOLD</b>")
    assert "&lt;img src=x&gt;" in dialog.table.item(row, NAME).toolTip()


def test_label_editor_read_only_project_edits_nothing(project, qtbot):
    project.read_only = True
    dialog = LabelEditorDialog(DocumentSession(project))
    qtbot.addWidget(dialog)
    for button in (dialog.add_button, dialog.rename_button, dialog.color_button, dialog.key_button,
                   dialog.description_button, dialog.delete_button):
        assert not button.isEnabled()
