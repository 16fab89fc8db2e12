from __future__ import annotations

import sys

import pytest

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import annotator
from annotator import app as app_module
from annotator.ui.window.main_window import MainWindow

from ui_projects import write_documents


@pytest.fixture(autouse=True)
def _annotator_known(monkeypatch):
    """run() asks for the annotator's name at the first start: the tests answer it."""
    monkeypatch.setattr(app_module, "ask_annotator_name", lambda parent, settings, **kw: "tester")


def capture_message_boxes(monkeypatch) -> list[tuple[QMessageBox.Icon, Qt.TextFormat, str]]:
    shown: list[tuple[QMessageBox.Icon, Qt.TextFormat, str]] = []

    def fake_exec(box):
        shown.append((box.icon(), box.textFormat(), box.text()))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


def test_app_run_refuses_a_file_that_is_not_a_project(tmp_path, monkeypatch, qapp):
    shown = capture_message_boxes(monkeypatch)
    name = "notes.annotator" if sys.platform == "win32" else "<b>notes<i>.annotator"  # tags: never HTML
    bogus = tmp_path / name
    bogus.write_text("just some text, not SQLite\n", encoding="utf-8")
    assert app_module.run(bogus) == 3
    [(icon, text_format, text)] = shown
    assert icon == QMessageBox.Icon.Critical
    assert text_format == Qt.TextFormat.PlainText
    assert name in text and "not an annotator project" in text


def test_app_run_refuses_a_missing_file(tmp_path, monkeypatch, qapp):
    shown = capture_message_boxes(monkeypatch)
    assert app_module.run(tmp_path / "missing.annotator") == 3
    assert "no such project file" in shown[0][2]


def test_app_run_shows_the_window_and_exits_when_it_closes(make_project, qapp, qtbot):
    project = make_project([])
    write_documents(project, [("One", "First article.")])
    path = project.path
    project.close()
    seen: list[MainWindow] = []

    def close_window():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(windows)
        for w in windows:
            w.close()
        if not windows:
            QApplication.quit()

    QTimer.singleShot(50, close_window)
    QTimer.singleShot(5000, QApplication.quit)  # never hang the suite
    assert app_module.run(path) == 0
    assert len(seen) == 1
    assert seen[0].windowTitle() == "news — annotator"
    assert seen[0].text_view.toPlainText() == "First article."
    assert qapp.applicationName() == "annotator"
    assert qapp.organizationName() == "annotator"
    assert qapp.applicationVersion() == annotator.__version__
