"""Menus and dialogs wired into the window: zoom, theme, preferences, labels, projects, shortcuts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog
from window_driver import key, rows, show_window

from annotator.store import Project
from annotator.ui.window import main_window as main_window_module
from annotator.ui.window.main_window import OPEN_WINDOWS, MainWindow
from annotator.ui.common.settings import Settings
from annotator.ui.common.shortcuts import SHORTCUTS

K, M = Qt.Key, Qt.KeyboardModifier
DOCS = [("One", "Lisbon and Porto."), ("Two", "Nairobi.")]


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    win = show_window(qtbot, MainWindow(make_project(DOCS)), focus_text=True)
    yield win
    win.shut_down()


def menu_texts(win: MainWindow) -> dict[str, list[str]]:
    found = {}
    for action in win.menuBar().actions():
        found[action.text().replace("&", "")] = [a.text().replace("&", "") for a in action.menu().actions()
                                                 if not a.isSeparator()]
    return found


def test_main_window_menus_follow_the_shortcut_table(window):
    menus = menu_texts(window)
    assert list(menus) == ["File", "Edit", "Go", "View", "Model", "Analysis", "Help"]
    assert "Team" in menus["File"] and "Layers" in menus["View"] and "Agreement…" in menus["Analysis"]
    assert menus["File"][:4] == ["New Project…", "Open Project…", "Open Recent", "Import Files…"]
    assert "Labels…" in menus["Edit"] and "Preferences…" in menus["Edit"]
    assert "Theme" in menus["View"] and menus["Help"] == ["Keyboard Shortcuts"]
    for entry in SHORTCUTS:
        if entry.menu != "Text":
            action = window.actions_by_id[entry.id]
            assert action.shortcuts() == [QKeySequence(k) for k in entry.keys]


def test_main_window_menus_zoom_keys_and_memory(window, qtbot):
    size = window.text_view.font().pointSizeF()
    key(qtbot, window, K.Key_Equal, M.ControlModifier)
    key(qtbot, window, K.Key_Equal, M.ControlModifier)
    assert window.text_view.font().pointSizeF() == pytest.approx(size + 2)
    assert window.settings.value("view/zoom") == 2
    key(qtbot, window, K.Key_Minus, M.ControlModifier)
    assert window.settings.value("view/zoom") == 1
    key(qtbot, window, K.Key_0, M.ControlModifier)
    assert window.text_view.font().pointSizeF() == pytest.approx(size)
    assert rows(window.project.path) == []  # Ctrl+0 is not the label key 0


def test_main_window_menus_theme_is_applied_and_remembered(window):
    from annotator.ui.common.themes import is_dark

    window.findChild(type(window.actions_by_id["file.new"]), "view.theme.dark").trigger()
    QApplication.processEvents()  # palette changes reach widgets as events
    assert is_dark() and window.settings.value("view/theme") == "dark"
    assert window.text_view.styles.dark
    window.findChild(type(window.actions_by_id["file.new"]), "view.theme.light").trigger()
    QApplication.processEvents()
    assert not is_dark() and not window.text_view.styles.dark
    window.set_theme("system")


def test_main_window_menus_preferences_change_the_annotator(window, qtbot, monkeypatch):
    from annotator.ui.dialogs import preferences

    def fake_exec(dialog):
        window.settings.set_value("annotator/name", "bob")
        dialog.changed.emit(["annotator/name"])
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(preferences.PreferencesDialog, "exec", fake_exec)
    window.actions_by_id["edit.preferences"].trigger()
    assert window.status.annotator_label.text() == "annotator: bob"
    window.text_view.set_selection(0, 6)
    key(qtbot, window, K.Key_3)
    assert [r[5] for r in rows(window.project.path)] == ["bob"]


def test_main_window_menus_labels_dialog_refreshes_the_bar(window, monkeypatch):
    from annotator.ui.dialogs import label_editor

    def fake_exec(dialog):
        dialog.set_key("GPE", "g")
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(label_editor.LabelEditorDialog, "exec", fake_exec)
    window.actions_by_id["edit.labels"].trigger()
    assert window.label_bar.label_actions["GPE"].shortcut().toString() == "G"


def test_main_window_menus_renamed_label_reaches_the_shown_spans(window, monkeypatch):
    from annotator.ui.dialogs import label_editor

    window.text_view.set_selection(0, 6)
    window.tagging.label_key("GPE")

    def fake_exec(dialog):
        dialog.rename("GPE", "PLACE")
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(label_editor.LabelEditorDialog, "exec", fake_exec)
    window.actions_by_id["edit.labels"].trigger()
    assert [s.span.label for s in window.text_view.index.all()] == ["PLACE"]
    assert window.span_model.index(0, 0).data() == "PLACE"
    assert "PLACE" in window.label_bar.label_actions
    window.actions_by_id["edit.undo"].trigger()  # the rename is an undo step like any edit
    assert [s.span.label for s in window.text_view.index.all()] == ["GPE"]
    assert "GPE" in window.label_bar.label_actions and window.span_model.index(0, 0).data() == "GPE"


def test_main_window_menus_shortcuts_dialog_opens(window, monkeypatch):
    from annotator.ui.dialogs import shortcuts_dialog

    shown = []
    monkeypatch.setattr(shortcuts_dialog.ShortcutsDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.actions_by_id["help.shortcuts"].trigger()
    assert len(shown) == 1


def test_main_window_menus_open_another_project_replaces_the_window(window, tmp_path, qtbot, monkeypatch):
    other_path = tmp_path / "other.annotator"
    with Project.create(other_path) as other:
        other.add_span  # noqa: B018 - just a project with the default labels
    from annotator.ui.window import opening as session

    monkeypatch.setattr(session, "ask_about_lock", lambda *a: pytest.fail("nobody holds the lock"))
    new = window.open_path(other_path)
    assert new is not None and new is not window
    qtbot.addWidget(new)
    assert new.windowTitle() == "other — annotator" and new.isVisible()
    assert not window.isVisible() and window not in OPEN_WINDOWS and new in OPEN_WINDOWS
    assert new.project.lock_holder().holder == "alice"
    assert new.recent.paths()[0].name == "other.annotator"
    new.close()
    with Project.open(other_path) as again:
        assert again.lock_holder() is None  # the new window owned its project and released it


def test_main_window_menus_new_project(window, tmp_path, qtbot, monkeypatch):
    from annotator.ui.dialogs import new_project

    target = tmp_path / "fresh.annotator"

    def fake_exec(dialog):
        dialog.project = Project.create(target)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(new_project.NewProjectDialog, "exec", fake_exec)
    created = []
    real = main_window_module.MainWindow._replace_with

    def spy(self, project, *, checked):
        created.append(real(self, project, checked=checked))
        return created[-1]

    monkeypatch.setattr(main_window_module.MainWindow, "_replace_with", spy)
    window.actions_by_id["file.new"].trigger()
    [new] = created
    qtbot.addWidget(new)
    assert new.windowTitle() == "fresh — annotator"
    assert new.text_view.placeholderText() == "No documents in this project yet."
    new.close()
