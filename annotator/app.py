"""QApplication bootstrap: wiring only."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from . import __version__
from .core.resources import resource
from .store import ProjectError
from .ui.window import opening as session
from .ui.window.main_window import OPEN_WINDOWS, MainWindow
from .ui.dialogs.preferences import ask_annotator_name
from .ui.common.settings import Settings
from .ui.common.themes import apply_theme

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
    session.show_open_error(path, error)


def run(path: Path) -> int:
    app = _application()
    settings = Settings()
    apply_theme(app, settings.value("view/theme"))
    # Every span is stamped with a name: asked once, at the first start.
    annotator = ask_annotator_name(None, settings)
    sound = session.known_sound(settings, Path(path))  # before opening: opening touches the file
    project = session.open_project(Path(path), annotator)
    if project is None:
        return EXIT_CANNOT_OPEN
    window = MainWindow(project, settings, owns_project=True, checked=sound)
    try:
        window.show()
        return app.exec()
    finally:
        # Windows opened later (File > Open) own their projects too; none stays open.
        for open_window in list(OPEN_WINDOWS):
            open_window.shut_down()
        project.close()
