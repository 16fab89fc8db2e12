"""The window's dialogs: import, export, labels, claimants, dashboard, preferences, shortcuts.

Mixed into ``MainWindow`` (kept apart so that the window module stays about building and
wiring). Needs the window's ``project``, ``session``, ``settings``, ``upkeep``,
``document_pane``, ``layers_control``, ``text_view``, ``status``, ``claimants_dialog``,
``dashboard`` and ``_editing_annotator``.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog


class WindowDialogs:
    """Opening the window's dialogs, each deleted after its use (one kept for the non-modal ones)."""

    def import_files(self) -> None:
        from ..dialogs.import_dialog import ImportDialog

        self._run_import(ImportDialog(self.project, self.settings, parent=self))

    def import_from_web(self) -> None:
        """File > Import from the Web…: addresses, a list or a feed fetched into the project."""
        from ..dialogs.web_import_dialog import WebImportDialog

        self._run_import(WebImportDialog(self.project, parent=self))

    def _run_import(self, dialog: QDialog) -> None:
        dialog.imported.connect(self._imported)
        self.upkeep.pause_heartbeat()  # the import holds the write lock; beats would only wait
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
            self.upkeep.resume_heartbeat()

    def _imported(self, *_args: object) -> None:
        """After an import: lists and counts catch up, labels it added show, the index catches up."""
        self.session.documents_added()
        if self.session.doc_id is None and self.document_pane.model.rowCount():
            self.document_pane.select_row(0)
        self.session.read_scheme()
        self.upkeep.start()

    def export_files(self) -> None:
        from ..dialogs.export_dialog import ExportDialog

        dialog = ExportDialog(self.project, self.settings, parent=self)
        dialog.exec()
        dialog.deleteLater()  # one per use, not one per use kept until the window goes

    def edit_labels(self) -> None:
        from ..dialogs.label_editor import LabelEditorDialog

        dialog = LabelEditorDialog(self.session, self)
        dialog.exec()
        dialog.deleteLater()

    def show_claimants(self) -> None:
        """Edit > Claimants…: not modal (one stays open beside the article, following the session)."""
        from ..claims.claimants_dialog import ClaimantsDialog

        if self.claimants_dialog is None:
            self.claimants_dialog = ClaimantsDialog(self.session, parent=self)
            self.claimants_dialog.finished.connect(self._claimants_closed)
        self.claimants_dialog.show()
        self.claimants_dialog.raise_()
        self.claimants_dialog.activateWindow()

    def _claimants_closed(self, _result: int) -> None:
        if self.claimants_dialog is not None:
            self.claimants_dialog.deleteLater()  # one per opening; Qt deletes it once its events are done
        self.claimants_dialog = None

    def show_dashboard(self) -> None:
        """Analysis > Dashboard: charts in a window of their own (one, kept), following the session."""
        from ..charts.dashboard import DashboardWindow

        self.dashboard = self.dashboard or DashboardWindow(self.session, parent=self)
        self.dashboard.show_and_follow()

    def edit_preferences(self) -> None:
        from ..dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self.session, parent=self)
        dialog.changed.connect(self.preferences_changed)
        dialog.exec()
        dialog.deleteLater()

    def preferences_changed(self, keys: list) -> None:
        if "annotator/name" in keys:
            self.layers_control.edit_as(self._editing_annotator())
        if "view/zoom" in keys:
            self.text_view.set_zoom(self.settings.value("view/zoom"))
        if "view/theme" in keys:
            name = self.settings.value("view/theme")
            for action in self.findChildren(QAction):
                if action.objectName().startswith("view.theme."):
                    action.setChecked(action.objectName() == f"view.theme.{name}")
        self.status.update_counts()

    def show_shortcuts(self) -> None:
        from ..dialogs.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self.session.labels, parent=self)
        dialog.exec()
        dialog.deleteLater()
