from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.ui.common import file_chooser
from annotator.store import Project
from annotator.ui.dialogs.new_project import NewProjectDialog, project_path
from annotator.ui.common.settings import Settings

SCHEME = """
language = "de"
[[labels]]
name = "PER"
key = "1"
[[labels]]
name = "BEHAUPTUNG"
kind = "claim"
"""
BAD_SCHEME = """
[[labels]]
name = "PER"
colour = "#ff0000"
[[labels]]
name = "ORG"
kind = "organisation"
"""


@pytest.fixture
def dialog(qtbot, tmp_path):
    settings = Settings()
    settings.set_value("projects/folder", str(tmp_path))
    dlg = NewProjectDialog(settings)
    qtbot.addWidget(dlg)
    with qtbot.waitActive(dlg):
        dlg.show()
        dlg.activateWindow()
    yield dlg
    if dlg.project is not None:
        dlg.project.close()


def set_file(qtbot, dlg: NewProjectDialog, text: str) -> None:
    dlg.file_edit.selectAll()
    qtbot.keyClick(dlg.file_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dlg.file_edit, text)


@pytest.mark.parametrize(("typed", "expected"), [
    ("news", "news.annotator"), ("news.annotator", "news.annotator"), ("news.db", "news.db"),
    ("  news  ", "news.annotator"), ("", None), ("/", None), ("/tmp/", None), (".", None)])
def test_new_project_suggests_the_suffix(typed, expected):
    path = project_path(typed)
    assert (path.name if path else None) == expected


def test_new_project_default_labels(dialog, qtbot, tmp_path):
    assert dialog.file_edit.text() == str(tmp_path / "untitled.annotator")
    set_file(qtbot, dialog, str(tmp_path / "news"))
    assert dialog.file_status.text() == f"Creates {tmp_path / 'news.annotator'}"
    assert "PERSON" in dialog.scheme_status.text()
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert dialog.project is not None and dialog.project.path == tmp_path / "news.annotator"
    assert "PERSON" in {label.name for label in dialog.project.labels()}
    assert (tmp_path / "news.annotator").is_file()
    assert Settings().value("projects/folder") == str(tmp_path)


def test_new_project_from_a_scheme_file(dialog, qtbot, tmp_path, monkeypatch):
    scheme = tmp_path / "scheme.toml"
    scheme.write_text(SCHEME, encoding="utf-8")
    monkeypatch.setattr(file_chooser, "open_file", lambda *args, **kwargs: str(scheme))
    qtbot.mouseClick(dialog.scheme_button, Qt.MouseButton.LeftButton)  # disabled until the radio is on
    assert dialog.default_radio.isChecked()
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.file_radio.isChecked)
    qtbot.mouseClick(dialog.scheme_button, Qt.MouseButton.LeftButton)
    assert dialog.scheme_edit.text() == str(scheme)
    assert dialog.scheme_status.text().startswith("1 entity label, 1 claim label, language de.")
    set_file(qtbot, dialog, str(tmp_path / "de"))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    project = dialog.project
    assert [label.name for label in project.labels()] == ["PER", "BEHAUPTUNG"]
    assert project.language == "de"


def test_new_project_bad_scheme_lists_every_problem_with_file_and_field(dialog, qtbot, tmp_path):
    scheme = tmp_path / "bad.toml"
    scheme.write_text(BAD_SCHEME, encoding="utf-8")
    dialog.file_radio.setChecked(True)
    dialog.scheme_edit.setFocus()
    qtbot.keyClicks(dialog.scheme_edit, str(scheme))
    qtbot.keyClick(dialog.scheme_edit, Qt.Key.Key_Tab)  # leaving the field checks the file
    status = dialog.scheme_status.text()
    assert status.startswith("This scheme file cannot be used (2 problems):")
    assert f"{scheme}: labels[0].colour: unknown field" in status
    assert f"{scheme}: labels[1].kind: kind 'organisation' must be one of" in status
    set_file(qtbot, dialog, str(tmp_path / "x"))
    dialog.accept()
    assert dialog.isVisible() and dialog.project is None
    assert "scheme file has problems" in dialog.error.text()
    assert not (tmp_path / "x.annotator").exists()


def test_new_project_missing_or_invalid_toml(dialog, qtbot, tmp_path):
    dialog.file_radio.setChecked(True)
    qtbot.keyClicks(dialog.scheme_edit, str(tmp_path / "nope.toml"))
    dialog.check_scheme()
    assert f"{tmp_path / 'nope.toml'}: cannot read file" in dialog.scheme_status.text()
    broken = tmp_path / "broken.toml"
    broken.write_text("labels = [\n", encoding="utf-8")
    dialog.scheme_edit.setText(str(broken))
    dialog.check_scheme()
    assert "invalid TOML" in dialog.scheme_status.text()


def test_new_project_refuses_an_existing_file(dialog, qtbot, tmp_path):
    existing = tmp_path / "taken.annotator"
    Project.create(existing).close()
    set_file(qtbot, dialog, str(existing))
    assert dialog.file_status.text() == "taken.annotator already exists; choose another name."
    dialog.accept()
    assert dialog.isVisible()
    assert "already exists" in dialog.error.text()
    assert dialog.error.textFormat() == Qt.TextFormat.PlainText


def test_new_project_missing_folder(dialog, qtbot, tmp_path):
    set_file(qtbot, dialog, str(tmp_path / "no" / "such" / "p"))
    assert dialog.file_status.text().startswith("The folder ")
    dialog.accept()
    assert "does not exist" in dialog.error.text()


def test_new_project_empty_name_cannot_create(dialog, qtbot):
    set_file(qtbot, dialog, "")
    assert not dialog.create_button.isEnabled()
    assert dialog.file_status.text() == "Enter a file name."


def test_new_project_browse_adds_the_suffix(dialog, qtbot, tmp_path, monkeypatch):
    seen: dict = {}

    def save_name(*args, **kwargs):
        seen["confirm"] = kwargs.get("confirm_overwrite")
        return str(tmp_path / "chosen")

    monkeypatch.setattr(file_chooser, "save_file", save_name)
    qtbot.mouseClick(dialog.file_button, Qt.MouseButton.LeftButton)
    assert dialog.file_edit.text() == str(tmp_path / "chosen.annotator")
    assert seen["confirm"] is False  # we refuse existing files ourselves, with a reason


def test_new_project_cancel_creates_nothing(dialog, qtbot, tmp_path):
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.project is None
    assert list(Path(tmp_path).glob("*.annotator")) == []
