"""The window's own layout between runs: its geometry, toolbars, the panes' split and the
article's zoom, kept in the user's settings (a stored value that is empty is left alone)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QSplitter

from ..common.settings import Settings
from ..text.text_view import AnnotationView


def restore_layout(window: QMainWindow, splitter: QSplitter, view: AnnotationView, settings: Settings) -> None:
    geometry = settings.value("main_window/geometry")
    if not geometry.isEmpty():
        window.restoreGeometry(geometry)
    state = settings.value("main_window/state")
    if not state.isEmpty():
        window.restoreState(state)
    split = settings.value("main_window/splitter")
    if not split.isEmpty():
        splitter.restoreState(split)
    zoom = settings.value("view/zoom")
    if zoom:
        view.set_zoom(zoom)


def save_layout(window: QMainWindow, splitter: QSplitter, settings: Settings) -> None:
    settings.set_value("main_window/geometry", window.saveGeometry())
    settings.set_value("main_window/state", window.saveState())
    settings.set_value("main_window/splitter", splitter.saveState())
