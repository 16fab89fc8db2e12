"""QApplication bootstrap: wiring only."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from . import __version__
from .core.resources import resource
from .store import Project, ProjectError
from .ui.main_window import MainWindow

EXIT_CANNOT_OPEN = 3
# The desktop entry, AppStream id and icon name in packaging/ (reverse-DNS, as AppStream wants).
APP_ID = "org.annotator.Annotator"
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


def application_icon() -> QIcon:
    """The icon in every rendered size (PNG: readable without Qt's SVG plugin)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource("icons", f"annotator-{size}.png")
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


def _application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    # Name and organisation place QSettings (README "Where data lives"): keep them stable.
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    app.setApplicationVersion(__version__)
    # Wayland matches windows to packaging/org.annotator.Annotator.desktop by this name.
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(application_icon())
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
