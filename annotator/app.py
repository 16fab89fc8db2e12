"""QApplication bootstrap: wiring only."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from . import __version__
from .store import Project, ProjectError
from .ui.main_window import MainWindow

EXIT_CANNOT_OPEN = 3


def _application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    app.setApplicationVersion(__version__)
    return app


def show_open_error(path: Path, error: ProjectError) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "annotator", f"Cannot open the project {path.name}.\n\n{error}")
    # The message quotes a file name: plain text, never HTML. (The informative text label
    # has no format setting of its own, so everything goes in the main text.)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def run(path: Path) -> int:
    app = _application()
    try:
        project = Project.open(path)
    except ProjectError as exc:
        show_open_error(path, exc)
        return EXIT_CANNOT_OPEN
    try:
        window = MainWindow(project)
        window.show()
        return app.exec()
    finally:
        project.close()
