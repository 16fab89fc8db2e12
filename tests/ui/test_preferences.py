from __future__ import annotations


import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from ui_projects import write_documents

from modal import when_modal

from annotator.store import Project
from annotator.ui.dialogs import preferences
from annotator.ui.session.document_session import DocumentSession
from annotator.ui.dialogs.preferences import (
    OVERLAP_KEY,
    PreferencesDialog,
    ask_annotator_name,
    overlapping_entity_documents,
)
from annotator.ui.common.settings import Settings
from annotator.ui.common.themes import DARK_BASE, apply_theme

TEXT = "Bank of Lisbon staff met in Lisbon."



@pytest.fixture
def restore_theme(qapp):
    yield
    apply_theme(qapp, "system")


@pytest.fixture
def overlapping(project):
    project.set_setting("allow_overlapping_entities", "1")
    write_documents(project, [
        ("clean", "Lisbon only.", "todo", [(0, 6, "GPE")]),
        ("nested", TEXT, "todo", [(0, 14, "ORG"), (8, 14, "GPE")]),
        ("claims", "He said it rains.", "todo", [(3, 7, "CUE"), (0, 17, "CLAIM")]),
    ])
    return project


@pytest.fixture
def named():
    settings = Settings()
    settings.set_value("annotator/name", "Ana")
    return settings


def show(qtbot, dialog: QWidget) -> QWidget:
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


# ----------------------------------------------------------- annotator name
def test_preferences_stored_name_is_returned_without_asking(qtbot):
    settings = Settings()
    settings.set_value("annotator/name", "Ana")
    assert ask_annotator_name(None, settings) == "Ana"


def test_preferences_first_start_suggests_the_os_user_and_stores_the_answer(qtbot, monkeypatch):
    monkeypatch.setattr(preferences.getpass, "getuser", lambda: "asouza")
    seen: list[str] = []

    def answer(dialog):
        seen.append(dialog.name_edit.text())
        dialog.name_edit.selectAll()
        qtbot.keyClicks(dialog.name_edit, "Ana Souza")
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    when_modal(qtbot, answer)
    assert ask_annotator_name(None, Settings()) == "Ana Souza"
    assert seen == ["asouza"]
    assert Settings().value("annotator/name") == "Ana Souza"


def test_preferences_first_start_refuses_an_empty_name(qtbot, monkeypatch):
    monkeypatch.setattr(preferences.getpass, "getuser", lambda: "asouza")
    states: list[tuple[bool, bool]] = []

    def answer(dialog):
        dialog.name_edit.selectAll()
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Backspace)
        qtbot.keyClicks(dialog.name_edit, "   ")
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
        states.append((dialog.ok_button.isEnabled(), dialog.isVisible()))
        qtbot.keyClicks(dialog.name_edit, "x")
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    when_modal(qtbot, answer)
    assert ask_annotator_name(None, Settings()) == "x"  # stripped
    assert states == [(False, True)]


def test_preferences_first_start_cancel_keeps_the_suggestion(qtbot, monkeypatch):
    monkeypatch.setattr(preferences.getpass, "getuser", lambda: "asouza")
    when_modal(qtbot, lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    assert ask_annotator_name(None, Settings()) == "asouza"
    assert Settings().value("annotator/name") == "asouza"


def test_preferences_no_os_user_name_still_gives_a_name(qtbot, monkeypatch):
    def no_user():
        raise OSError("no user")

    monkeypatch.setattr(preferences.getpass, "getuser", no_user)
    when_modal(qtbot, lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    assert ask_annotator_name(None, Settings()) == "annotator"


# -------------------------------------------------------------- the dialog
def test_preferences_write_name_theme_and_zoom(qtbot, restore_theme):
    settings = Settings()
    settings.set_value("annotator/name", "Ana")
    dialog = show(qtbot, PreferencesDialog(settings))
    changed: list[list[str]] = []
    dialog.changed.connect(changed.append)
    assert dialog.name_edit.text() == "Ana"
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "Bruno")
    dialog.theme_combo.setFocus()
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    dialog.zoom_spin.setFocus()
    qtbot.keyClick(dialog.zoom_spin, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.zoom_spin, Qt.Key.Key_Up)
    assert dialog.zoom_hint.text() == "2 steps larger than the normal reading size."
    qtbot.keyClick(dialog.zoom_spin, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    again = Settings()
    assert (again.value("annotator/name"), again.value("view/theme"), again.value("view/zoom")) == \
        ("Bruno", "dark", 2)
    assert changed == [["annotator/name", "view/theme", "view/zoom"]]
    assert QApplication.palette().color(QPalette.ColorRole.Base) == QColor(DARK_BASE)


def test_preferences_cancel_writes_nothing(qtbot):
    dialog = show(qtbot, PreferencesDialog(Settings()))
    changed: list = []
    dialog.changed.connect(changed.append)
    qtbot.keyClicks(dialog.name_edit, "Someone")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert Settings().value("annotator/name") == ""
    assert changed == []


def test_preferences_empty_name_is_refused(qtbot):
    settings = Settings()
    settings.set_value("annotator/name", "Ana")
    dialog = show(qtbot, PreferencesDialog(settings))
    dialog.name_edit.clear()
    assert not dialog.ok_button.isEnabled()
    assert dialog.error.isVisible() and "Enter a name" in dialog.error.text()
    dialog.accept()
    assert dialog.isVisible()
    assert Settings().value("annotator/name") == "Ana"


def test_preferences_without_a_project_has_no_project_section(qtbot):
    dialog = show(qtbot, PreferencesDialog(Settings()))
    assert not dialog.overlap_check.isVisible()


def test_preferences_turn_overlaps_on(project, qtbot, named):
    dialog = show(qtbot, PreferencesDialog(named, DocumentSession(project)))
    changed: list = []
    dialog.changed.connect(changed.append)
    assert not dialog.overlap_check.isChecked()
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.overlap_check.isChecked)
    dialog.accept()
    assert project.setting("allow_overlapping_entities") == "1"
    assert changed == [[OVERLAP_KEY]]


def test_preferences_turning_overlaps_off_warns_with_the_count(overlapping, qtbot, named):
    project = overlapping
    dialog = show(qtbot, PreferencesDialog(named, DocumentSession(project)))
    assert dialog.overlap_check.isChecked()
    check = dialog.overlap_check
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    assert not dialog.overlap_check.isChecked()
    qtbot.waitUntil(lambda: "1 document has overlapping entity spans" in dialog.overlap_status.text())

    seen: list[str] = []

    def keep(box):
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        assert box.textFormat() == Qt.TextFormat.PlainText
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    when_modal(qtbot, keep)
    dialog.accept()
    assert seen and seen[0].startswith("1 document has entity spans that overlap.")
    assert dialog.isVisible() and dialog.overlap_check.isChecked()
    assert project.setting("allow_overlapping_entities") == "1"

    dialog.overlap_check.setChecked(False)

    def turn_off(box):
        qtbot.keyClick(box, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)

    when_modal(qtbot, turn_off)
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert project.setting("allow_overlapping_entities") == "0"
    # The spans stay as they were.
    nested = project.document_summaries(0, 10)[1].id
    assert [(s.start, s.end, s.label) for s in project.spans(nested)] == [(0, 14, "ORG"), (8, 14, "GPE")]


def test_preferences_turning_overlaps_off_without_overlaps_does_not_ask(project, qtbot, named):
    project.set_setting("allow_overlapping_entities", "1")
    write_documents(project, [("claims", "He said it rains.", "todo", [(3, 7, "CUE"), (0, 17, "CLAIM")])])
    dialog = show(qtbot, PreferencesDialog(named, DocumentSession(project)))
    dialog.overlap_check.setChecked(False)
    qtbot.waitUntil(lambda: dialog.overlap_status.text() == "No entity spans overlap: nothing to resolve.")
    dialog.accept()
    assert not dialog.isVisible()
    assert project.setting("allow_overlapping_entities") == "0"


def test_preferences_read_only_project_setting_cannot_change(project, qtbot, named):
    project.read_only = True
    dialog = show(qtbot, PreferencesDialog(named, DocumentSession(project)))
    assert not dialog.overlap_check.isEnabled()
    assert dialog.overlap_status.text() == "The project is open read-only."


def test_preferences_overlap_scan_finds_only_accepted_entity_overlaps(overlapping, tmp_path):
    project = overlapping
    ids = [s.id for s in project.document_summaries(0, 10)]
    assert overlapping_entity_documents(project) == [ids[1]]
    fresh = Project.create(tmp_path / "empty.annotator")
    try:
        assert overlapping_entity_documents(fresh) == []
    finally:
        fresh.close()


def test_preferences_dropped_after_its_overlap_scan_does_not_crash(tmp_path):
    # The scan Job's ``failed`` slot is a lambda holding the dialog. When the test holding the
    # dialog returned before the Job's deferred deletion, that lambda was the dialog's last
    # reference: the dialog died inside the Job's destructor and deleted the Job twice (the
    # suite's "malloc_consolidate(): unaligned fastbin chunk" abort). In a child process.
    from job_lifetime import run_lifetime_script

    assert "ran: No entity spans overlap: nothing to resolve." in run_lifetime_script(tmp_path, "preferences")
