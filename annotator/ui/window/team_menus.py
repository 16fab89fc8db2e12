"""The window's team and analysis parts: View > Layers, File > Team > Split… and Merge
Annotations From…, Analysis > Agreement… (docs/teams.md, docs/agreement.md).

``TeamActions`` is the window's own helper (it builds menus and opens dialogs over the
window): the main window asks it for its handlers and menus, and it catches the session up
with what a split or a merge changed in the file, through the session's signals.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from ...store import ProjectError
from ..common.shortcuts import SUBMENUS
from ..team.layers_menu import LayersControl
from .navigation import Navigation
from .upkeep import Upkeep
from .window_actions import menu


class TeamActions(QObject):
    def __init__(self, window: QMainWindow, layers: LayersControl, navigation: Navigation, upkeep: Upkeep):
        super().__init__(window)
        self.window = window
        self.layers = layers
        self.session = layers.session
        self.navigation = navigation
        self.upkeep = upkeep
        self.agreement_dialog = None

    def handlers(self) -> dict[str, Callable[[], object]]:
        return {"view.layers_all": self.layers.show_all, "view.layers_none": self.layers.hide_all,
                "file.team_split": self.split, "file.team_merge": self.merge, "analysis.agreement": self.agreement}

    def build_menus(self, actions: dict[str, QAction]) -> None:
        """Gather the entries of SUBMENUS into their submenus (File > Team, View > Layers); the
        Layers menu is filled with the project's layers each time it opens."""
        groups: dict[tuple[str, str], list[QAction]] = {}
        for action_id, title in SUBMENUS.items():
            action = actions.get(action_id)
            if action is not None:
                entry_menu = next((m for m in self.window.menuBar().findChildren(QMenu) if action in m.actions()), None)
                if entry_menu is not None:
                    groups.setdefault((entry_menu.objectName(), title), []).append(action)
        for (menu_name, title), members in groups.items():
            parent = self.window.menuBar().findChild(QMenu, menu_name)
            server = self.window.menuBar().findChild(QMenu, "menu.team") if title == "&Team" else None
            if server is not None:  # File > Team of the team server (team_sync.py): split and merge go first
                first = server.actions()[0] if server.actions() else None
                for action in members:
                    parent.removeAction(action)
                    server.insertAction(first, action)
                if first is not None:
                    server.insertSeparator(first)
                continue
            submenu = QMenu(title, parent)
            submenu.setObjectName(f"{menu_name}.{title.replace('&', '').lower()}")
            parent.insertMenu(members[0], submenu)
            for action in members:
                parent.removeAction(action)
                submenu.addAction(action)
            if submenu.objectName() == "menu.view.layers":
                submenu.aboutToShow.connect(lambda m=submenu, a=members: self.layers.fill_menu(m, a, self.window))
        view = menu(self.window, "View")
        layers_menu = self.window.menuBar().findChild(QMenu, "menu.view.layers")
        if view is not None and layers_menu is not None:
            view.insertSeparator(layers_menu.menuAction())

    # ------------------------------------------------------------------ File > Team
    def split(self) -> None:
        from ..team.split_dialog import SplitDialog

        try:
            names = list(self.session.project.assignment())
        except (ProjectError, sqlite3.Error):
            names = []
        dialog = SplitDialog(self.session.project, names, parent=self.window)
        dialog.split_done.connect(self._split_done)
        self._modal(dialog)

    def _split_done(self, _result: object) -> None:
        self.session.project_changed(assignment=True)

    def merge(self) -> None:
        from ..team.merge_dialog import MergeDialog

        dialog = MergeDialog(self.session.project, parent=self.window)
        dialog.merged.connect(self.merged)
        self._modal(dialog)

    def merged(self, result) -> None:  # noqa: ANN001 - a workflows.merging.MergeResult
        """After a merge: the window catches up with what came in (documents, statuses, layers,
        labels, aliases, the assignment) through the session's signals, reading the shown
        document once."""
        summaries = result.summaries
        mine = self.session.annotator
        if mine and any(mine in summary.layers for summary in summaries):
            # The editable layer itself was replaced by a copy of it: the history would point at old rows.
            self.session.stack.clear()
            self.session.say("Undo history cleared: the merge brought in a copy of your own layer.")
        try:
            layers = self.layers.current()
        except (ProjectError, sqlite3.Error):
            layers = None
        self.session.project_changed(scheme=any(s.labels_added for s in summaries),
                                     aliases=any(s.aliases_added for s in summaries),
                                     assignment=any(s.assignments_added for s in summaries), layers=layers)

    def _modal(self, dialog: QDialog) -> None:
        self.upkeep.pause_heartbeat()  # the job writes to the file; the lock's beats would only wait
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
            self.upkeep.resume_heartbeat()

    # ------------------------------------------------------------------ Analysis
    def agreement(self) -> None:
        """Analysis > Agreement…: not modal, so a disagreement can be opened beside it."""
        from ..analysis.agreement_dialog import AgreementDialog

        if self.agreement_dialog is None:
            self.agreement_dialog = AgreementDialog(self.session.project, parent=self.window)
            self.agreement_dialog.open_unit.connect(self.open_unit)
            self.agreement_dialog.finished.connect(self._agreement_closed)
        self.agreement_dialog.show()
        self.agreement_dialog.raise_()
        self.agreement_dialog.activateWindow()

    def _agreement_closed(self, _result: int) -> None:
        if self.agreement_dialog is not None:
            self.agreement_dialog.deleteLater()
        self.agreement_dialog = None

    def open_unit(self, row) -> None:  # noqa: ANN001 - a workflows.disagreements.DisagreementRow
        """Show a disagreement: its document, with the two annotators' layers side by side and
        the unit selected in each."""
        self.layers.show_layers([row.a, row.b])
        self.navigation.go_to(row.doc_id)  # shows it before returning
        if self.session.doc_id != row.doc_id:
            return
        view, panes = self.layers.panes.article, self.layers.panes
        if row.end <= len(view.text):
            view.set_selection(row.start, row.end)
            view.centerCursor()
        panes.reveal(row.start, row.end)
