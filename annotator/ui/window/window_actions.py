"""The main window's actions and menus, made from the shortcut table (ui/shortcuts.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ..common.settings import THEMES
from ..common.shortcuts import SHORTCUTS, Shortcut

# Actions that change the project: disabled when it is open read-only.
EDITING = frozenset({"edit.undo", "edit.redo", "edit.delete_span", "edit.labels", "go.done_next", "go.skip",
                     "file.team_split", "file.team_merge",
                     "file.import", "file.import_web", "model.suggest_document", "model.suggest_project", "model.accept_all",
                     "model.reject_all", "model.train"})
MENU_ROLES = {"file.quit": QAction.MenuRole.QuitRole, "edit.preferences": QAction.MenuRole.PreferencesRole}


def make_action(window: QMainWindow, entry: Shortcut, handler: Callable[[], object]) -> QAction:
    action = QAction(entry.title, window)
    action.setObjectName(entry.id)
    action.setShortcuts([QKeySequence(key, QKeySequence.SequenceFormat.PortableText) for key in entry.keys])
    # Quit works from any window of the program; the rest belong to their window.
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut if entry.id == "file.quit"
                              else Qt.ShortcutContext.WindowShortcut)
    action.setStatusTip(entry.description)
    action.setToolTip(entry.description)
    action.setMenuRole(MENU_ROLES.get(entry.id, QAction.MenuRole.NoRole))
    action.triggered.connect(lambda _checked=False: handler())
    window.addAction(action)  # shortcuts work even when the menu bar is hidden
    return action


def build_actions(window: QMainWindow, handlers: Mapping[str, Callable[[], object]]) -> dict[str, QAction]:
    """One QAction per table entry that has a handler, in menus by the table's order."""
    actions: dict[str, QAction] = {}
    menus: dict[str, QMenu] = {}
    for entry in SHORTCUTS:
        if entry.menu == "Text" or entry.id not in handlers:
            continue
        menu = menus.get(entry.menu)
        if menu is None:
            menu = menus[entry.menu] = window.menuBar().addMenu(f"&{entry.menu}")
            menu.setObjectName(f"menu.{entry.menu.lower()}")
        action = actions[entry.id] = make_action(window, entry, handlers[entry.id])
        menu.addAction(action)
    return actions


def menu(window: QMainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()
    return None


def add_theme_menu(window: QMainWindow, current: str, choose: Callable[[str], object]) -> None:
    """View > Theme: follow the system, light or dark, one checked."""
    view_menu = menu(window, "View")
    if view_menu is None:
        return
    view_menu.addSeparator()
    themes = view_menu.addMenu("&Theme")
    group = QActionGroup(window)
    for name in THEMES:
        action = QAction({"system": "Follow the &System", "light": "&Light", "dark": "&Dark"}[name], window)
        action.setObjectName(f"view.theme.{name}")
        action.setCheckable(True)
        action.setChecked(name == current)
        action.triggered.connect(lambda _checked=False, n=name: choose(n))
        group.addAction(action)
        themes.addAction(action)
