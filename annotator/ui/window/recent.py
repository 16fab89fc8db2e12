"""File > Open Recent: the projects opened lately, most recent first, kept in QSettings.

    recent = RecentProjects(settings)
    recent.add(project.path)                              # whenever a project is opened
    recent.attach_menu(open_recent_menu, window.open_project)   # refilled each time it opens

Files that no longer exist are dropped when the list is read; at most ``RECENT_MAX`` are kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ..common.settings import RECENT_MAX, Settings

MNEMONICS = "1234567890"


def _normal(path: str | Path) -> Path:
    # Absolute and tidied, but not resolved: a project opened through a symlink stays under that name.
    return Path(os.path.normpath(os.path.abspath(os.path.expanduser(os.fspath(path)))))


def _same(a: Path, b: Path) -> bool:
    return os.path.normcase(str(a)) == os.path.normcase(str(b))


class RecentProjects:
    """The recent-projects list over the ``recent/projects`` setting."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings if settings is not None else Settings()

    def paths(self) -> list[Path]:
        """The recent projects that still exist, most recent first (missing ones are forgotten)."""
        stored = [_normal(p) for p in self.settings.value("recent/projects") if p]
        existing = [p for p in stored if p.is_file()][:RECENT_MAX]
        if [str(p) for p in existing] != self.settings.value("recent/projects"):
            self._store(existing)
        return existing

    def add(self, path: str | Path) -> None:
        """Put a project at the top of the list (opening it again moves it up)."""
        path = _normal(path)
        rest = [p for p in self.paths() if not _same(p, path)]
        self._store([path, *rest][:RECENT_MAX])

    def remove(self, path: str | Path) -> None:
        path = _normal(path)
        self._store([p for p in self.paths() if not _same(p, path)])

    def clear(self) -> None:
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        self.settings.set_value("recent/projects", [str(p) for p in paths])
        self.settings.sync()

    def populate_menu(self, menu: QMenu, on_open: Callable[[Path], object]) -> None:
        """Fill ``menu`` with the recent projects (&1 … &0) and a "Clear" entry."""
        menu.clear()
        paths = self.paths()
        if not paths:
            empty = menu.addAction("No Recent Projects")
            empty.setEnabled(False)
            return
        for number, path in enumerate(paths):
            # "&" in a file name would otherwise become a mnemonic; the folder helps tell
            # apart two projects of the same name.
            name = path.name.replace("&", "&&")
            folder = str(path.parent).replace("&", "&&")
            action = QAction(f"&{MNEMONICS[number]}  {name}   —   {folder}", menu)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.setData(str(path))
            action.triggered.connect(lambda _checked=False, p=path: on_open(p))
            menu.addAction(action)
        menu.addSeparator()
        clear = menu.addAction("&Clear Recent Projects")
        clear.triggered.connect(self.clear)

    def attach_menu(self, menu: QMenu, on_open: Callable[[Path], object]) -> None:
        """Keep ``menu`` current: it is refilled every time it is about to show."""
        self.populate_menu(menu, on_open)
        menu.aboutToShow.connect(lambda: self.populate_menu(menu, on_open))


def populate_menu(menu: QMenu, on_open: Callable[[Path], object], settings: Settings | None = None) -> None:
    """Fill ``menu`` with the recent projects from ``settings``."""
    RecentProjects(settings).populate_menu(menu, on_open)
