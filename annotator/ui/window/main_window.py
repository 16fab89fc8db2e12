"""The annotation window: documents on the left, the article in the middle, the claim editor
and the document's spans and claims on the right, the label bar on top, the status bar below.

The window builds the parts and wires them to one ``DocumentSession`` (ui/session), which
owns the project, the undo stack and the shown document: every view follows the session's
signals (``follow``), every edit is a command on it. What keys and clicks mean lives in
``tagging`` (spans), ``navigation`` (documents), ``claims`` and ``suggest``; none of them is
handed the window. Here: building, menus, background work, the editing lock, switching
projects, settings; the dialogs it opens are in ``window_dialogs``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..common.bidi import shown_name
from ..common import file_chooser
from ...store import Project, ProjectError
from ..claims.claim_flow import ClaimFlow
from ..common.settings import ZOOM_STEPS, Settings
from ..common.themes import apply_theme
from ..session.document_session import DocumentSession
from ..session.layers import ShownDocument
from ..suggest.suggestions import SuggestionController
from ..team.layer_panes import LayerPanes
from ..team.layers_menu import LayersControl
from ..text.text_view import AnnotationView
from ..views.document_pane import DocumentPane
from ..views.label_bar import LabelBar
from ..views.span_table import SpanTable, SpanTableModel
from ..views.status_bar import StatusBar
from .navigation import Navigation
from .recent import RecentProjects
from .review_tab import install_review
from .tagging import Tagging
from .team_menus import TeamActions
from .team_sync import TeamSync, add_team_menu, connect_to_server
from .upkeep import Upkeep
from .window_actions import EDITING, add_theme_menu, build_actions, menu
from .window_dialogs import WindowDialogs
from .window_state import restore_layout, save_layout

INITIAL_SIZE = QSize(1200, 800)
INITIAL_SPLIT = (260, 580, 360)  # the span table needs room for its three columns
PROJECT_FILTER = "annotator projects (*.annotator);;All files (*)"

# Windows open in this process: kept referenced here (a top-level window has no parent).
OPEN_WINDOWS: set[MainWindow] = set()


class MainWindow(WindowDialogs, QMainWindow):
    def __init__(self, project: Project, settings: Settings | None = None, parent: QWidget | None = None, *,
                 owns_project: bool = False, checked: bool = True):
        super().__init__(parent)
        self.project = project
        self.settings = settings if settings is not None else Settings()
        self.owns_project = owns_project  # close it (and release its lock) when the window closes
        self._closed = False
        self.claimants_dialog = None
        self.dashboard = None
        self.session = DocumentSession(project, self._editing_annotator(), self)
        self.recent = RecentProjects(self.settings)
        self.recent.add(project.path)

        self._build_panes()
        self.upkeep = Upkeep(self.session, self.text_view, self.document_pane, self.status, checked=checked)
        self.upkeep.damaged.connect(self._damaged)
        self._build_controllers()
        self._build_actions()
        self._follow()
        self.resize(INITIAL_SIZE)
        self.splitter.setSizes(list(INITIAL_SPLIT))
        restore_layout(self, self.splitter, self.text_view, self.settings)
        self._apply_read_only(project.read_only)
        self.navigation.restore()
        self.layers_control.announce()
        self.text_view.setFocus()  # keys act on the article from the start
        OPEN_WINDOWS.add(self)
        # After the first paint: the window is interactive before any of this runs.
        QTimer.singleShot(0, self, self.upkeep.start)

    # ---------------------------------------------------------------- building
    def _build_panes(self) -> None:
        self.document_pane = DocumentPane(self.project, self)
        self.document_list = self.document_pane.list
        self.status_filter = self.document_pane.status_filter
        self.document_model = self.document_pane.model

        self.text_view = AnnotationView()
        self.text_view.setObjectName("documentText")
        self.span_model = SpanTableModel(self)
        self.span_table = SpanTable(self.span_model)
        self.span_table.setObjectName("spanTable")
        self.claim_flow = ClaimFlow(self.session, self.text_view)

        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.setDocumentMode(True)
        spans_page = QWidget()
        spans_layout = QVBoxLayout(spans_page)
        spans_layout.setContentsMargins(0, 0, 0, 0)
        spans_layout.addWidget(self.span_table)
        self.side_tabs.addTab(spans_page, "Spans")
        self.side_tabs.addTab(self.claim_flow.list, "Claims")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 6, 6, 6)
        right_layout.addWidget(self.claim_flow.panel)
        right_layout.addWidget(self.side_tabs, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.layer_panes = LayerPanes(self.text_view)  # other annotators' layers beside the article
        self.splitter.addWidget(self.document_pane)
        self.splitter.addWidget(self.layer_panes)
        self.splitter.addWidget(right)
        for pane, stretch in enumerate((0, 1, 0)):
            self.splitter.setStretchFactor(pane, stretch)
            self.splitter.setCollapsible(pane, pane != 1)
        self.setCentralWidget(self.splitter)

        self.label_bar = LabelBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.label_bar)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)

    def _build_controllers(self) -> None:
        self.suggestions = SuggestionController(self.session, self.text_view, busy=self.claim_flow.is_busy)
        self.tagging = Tagging(self.session, self.text_view, self.span_table, self.label_bar, self.claim_flow,
                               self.suggestions)
        self.navigation = Navigation(self.session, self.document_pane, self.text_view, self.claim_flow,
                                     self.settings)
        self.claim_flow.esc_first = lambda: self.label_bar.armed is not None
        self.layers_control = LayersControl(self.session, self.layer_panes, self)
        self.session.layers = self.layers_control.current()  # before any view reads the first document
        self.team = TeamActions(self, self.layers_control, self.navigation, self.upkeep)
        self.team_sync = TeamSync(self.session, self.status, self.settings, self)
        # A sync that brought colleagues' work changed their layers' counts (View > Layers).
        self.team_sync.synced.connect(
            lambda result: self.layers_control.forget_counts() if getattr(result, "received", 0) else None)
        self.review = install_review(self)

    def _build_actions(self) -> None:
        navigation, zoom = self.navigation, self.text_view
        handlers = {
            "file.new": self.new_project, "file.open": self.open_project_dialog, "file.import": self.import_files,
            "file.import_web": self.import_from_web, "file.export": self.export_files,
            "file.save": lambda: self.session.say("Saved — every edit is saved as you make it."),
            "file.quit": self.close,
            "edit.undo": self.session.undo, "edit.redo": self.session.redo,
            "edit.delete_span": self.tagging.delete_at_cursor, "edit.clear": self.clear_selection,
            "edit.labels": self.edit_labels, "edit.claimants": self.show_claimants,
            "edit.preferences": self.edit_preferences,
            "go.done_next": lambda: navigation.mark_and_next("done"),
            "go.skip": lambda: navigation.mark_and_next("skipped"),
            "go.previous": lambda: navigation.step(-1), "go.next": lambda: navigation.step(1),
            "go.next_todo": navigation.next_todo, "go.search": self.document_pane.focus_search,
            "view.zoom_in": lambda: self.set_zoom(zoom.zoom + 1), "view.zoom_out": lambda: self.set_zoom(zoom.zoom - 1),
            "view.zoom_reset": lambda: self.set_zoom(0), "view.review": lambda: self.review.toggle(),
            "analysis.dashboard": self.show_dashboard,
            "help.shortcuts": self.show_shortcuts,
            **self.suggestions.handlers(), **self.team.handlers(),
        }
        self.actions_by_id = build_actions(self, handlers)
        self.quit_action = self.actions_by_id["file.quit"]
        stack = self.session.stack
        stack.canUndoChanged.connect(self._update_undo_actions)
        stack.canRedoChanged.connect(self._update_undo_actions)
        stack.undoTextChanged.connect(self._undo_text_changed)
        stack.redoTextChanged.connect(self._redo_text_changed)
        self._update_undo_actions()
        file_menu = menu(self, "File")
        if file_menu is not None:
            self.recent_menu = QMenu("Open &Recent", file_menu)
            self.recent_menu.setObjectName("menu.recent")
            file_menu.insertMenu(self.actions_by_id["file.import"], self.recent_menu)
            self.recent.attach_menu(self.recent_menu, self.open_path)
            file_menu.insertSeparator(self.actions_by_id["file.import"])
            self.actions_by_id.update(add_team_menu(
                self, file_menu, self.quit_action, lambda: connect_to_server(self, self.settings, self.open_path),
                self.team_sync))
            file_menu.insertSeparator(self.quit_action)
        model_menu = menu(self, "Model")
        if model_menu is not None:  # reviewing | suggesting | training
            for first in ("model.suggest_project", "model.train"):
                model_menu.insertSeparator(self.actions_by_id[first])
        add_theme_menu(self, self.settings.value("view/theme"), self.set_theme)
        self.team.build_menus(self.actions_by_id)

    def _follow(self) -> None:
        """Every view follows the session; the window keeps the few things only it knows."""
        session = self.session
        for view in (self.text_view, self.span_model, self.label_bar, self.document_pane, self.claim_flow,
                     self.status, self.layer_panes):
            view.follow(session)
        session.document_shown.connect(self._document_shown)
        session.read_only_changed.connect(self._apply_read_only)
        self.document_pane.filter_changed.connect(self._update_position)
        self.tagging.armed_changed.connect(self.status.set_armed)
        self.claim_flow.opened.connect(self._claims_opened)
        self.claim_flow.summary_changed.connect(self._claims_summary)
        view = self.text_view
        view.cursor_moved.connect(self._cursor_moved)
        view.span_clicked.connect(self.span_table.select_span)
        self.span_table.span_chosen.connect(view.reveal_span)
        for signal in (self.span_model.modelReset, self.span_model.rowsInserted, self.span_model.rowsRemoved):
            signal.connect(self._spans_title)

    # --------------------------------------------------------------- state
    @property
    def current_document_id(self) -> int | None:
        return self.session.doc_id

    def _editing_annotator(self) -> str | None:
        """Whose layer and statuses this window edits: the settings' name (which makes a file
        nobody owns theirs), or the file's own annotator when no name is set (docs/teams.md)."""
        name = self._settings_name() or None
        try:
            return self.project.editing_annotator(name)
        except (ProjectError, sqlite3.Error):  # e.g. the name is shared by two annotators here
            return name

    def _settings_name(self) -> str:
        return self.settings.value("annotator/name").strip()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.status.show_message(text, error=error)

    def _apply_read_only(self, read_only: bool) -> None:
        self.setWindowTitle(f"{shown_name(self.project.path.stem)}{' (read-only)' if read_only else ''} — annotator")
        for action_id in EDITING:
            action = self.actions_by_id.get(action_id)
            if action is not None:
                action.setEnabled(not read_only)
        self._update_undo_actions()
        if read_only:
            self.tagging.arm(None)

    def _update_undo_actions(self, *_args: object) -> None:
        writable = not self.project.read_only
        self.actions_by_id["edit.undo"].setEnabled(writable and self.session.stack.canUndo())
        self.actions_by_id["edit.redo"].setEnabled(writable and self.session.stack.canRedo())

    def _undo_text_changed(self, text: str) -> None:
        self.actions_by_id["edit.undo"].setText(f"&Undo {text}" if text else "&Undo")

    def _redo_text_changed(self, text: str) -> None:
        self.actions_by_id["edit.redo"].setText(f"&Redo {text}" if text else "&Redo")

    def _document_shown(self, shown: ShownDocument | None) -> None:
        self._update_position()
        if shown is None:
            return
        if shown.stale:
            many = len(shown.stale) != 1
            self.show_message(f"{len(shown.stale)} span{'s' if many else ''} no longer match{'' if many else 'es'} the "
                              "article text (dotted red, left where stored): check, then delete or tag again.",
                              error=True)
        self.navigation.remember()

    def _update_position(self) -> None:
        self.status.set_position(self.navigation.position_text())

    def _cursor_moved(self) -> None:
        around = self.text_view.spans_at_cursor()
        self.span_table.select_span(around[-1].id if around else None)

    def _spans_title(self, *_args: object) -> None:
        count = self.span_model.rowCount()
        self.side_tabs.setTabText(0, f"Spans ({count})" if count else "Spans")

    def _claims_summary(self, text: str) -> None:
        self.side_tabs.setTabText(self.side_tabs.indexOf(self.claim_flow.list), text)

    def _claims_opened(self) -> None:
        self.side_tabs.setCurrentWidget(self.claim_flow.list)

    def clear_selection(self) -> None:
        focus = QApplication.focusWidget()
        if focus is self.document_pane.search and self.document_pane.search.text():
            self.document_pane.search.clear()
            return
        self.tagging.clear_selection()

    def _damaged(self, problems: list) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, "annotator",
                          f"The project file {self.project.path.name} is damaged, so it is open read-only: nothing "
                          "more is written to it.\n\n" + "\n".join(problems[:5]) + "\n\nRestore it from a backup copy.",
                          parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    # ------------------------------------------------------------ view
    def set_zoom(self, steps: int) -> None:
        steps = max(ZOOM_STEPS.start, min(ZOOM_STEPS.stop - 1, steps))
        self.text_view.set_zoom(steps)
        self.layer_panes.set_zoom(steps)
        self.settings.set_value("view/zoom", steps)

    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        self.settings.set_value("view/theme", name)

    # ------------------------------------------------------ switching projects
    def new_project(self) -> None:
        from ..dialogs.new_project import NewProjectDialog
        from .opening import take_lock

        dialog = NewProjectDialog(self.settings, parent=self)
        project = dialog.project if dialog.exec() else None
        dialog.deleteLater()
        if project is not None and take_lock(project, self._settings_name(), self):
            self._replace_with(project, checked=True)  # a new file: nothing to check

    def open_project_dialog(self) -> None:
        name = file_chooser.open_file(self, "Open Project", str(self.project.path.parent), PROJECT_FILTER)
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> MainWindow | None:
        """Open another project in a new window that takes this one's place."""
        from .opening import known_sound, open_project

        if path.resolve() == self.project.path.resolve():
            return self
        sound = known_sound(self.settings, path)
        project = open_project(path, self._settings_name(), self)
        if project is None:
            return None
        return self._replace_with(project, checked=sound)

    def _replace_with(self, project: Project, *, checked: bool) -> MainWindow:
        # The new window is shown before this one closes (and releases its project and lock),
        # so the application never sees its last window close in between.
        window = MainWindow(project, self.settings, owns_project=True, checked=checked)
        window.show()
        self.close()
        return window

    # --------------------------------------------------------------- settings
    def save_settings(self) -> None:
        self.navigation.remember()
        save_layout(self, self.splitter, self.settings)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.claim_flow.leaving_document()  # a claim note being typed is kept, not dropped
        self.save_settings()
        self.shut_down()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """Stop background work and timers; close the project if this window owns it."""
        if self._closed:
            return
        self._closed = True
        # Nothing the session or its stack says on the way out reaches half-destroyed views.
        self.session.blockSignals(True)
        self.session.stack.blockSignals(True)
        self.upkeep.stop()
        self.team_sync.stop()  # after the last edit; before the project closes
        self.navigation.stopped = True
        self.suggestions.stop()
        if self.dashboard is not None:
            self.dashboard.stop()
        self.review.stop()
        self.layers_control.stop()
        OPEN_WINDOWS.discard(self)
        if self.owns_project:
            with contextlib.suppress(sqlite3.Error, ProjectError):
                self.project.close()
            if self.upkeep.sound:
                from .opening import remember_sound

                remember_sound(self.settings, self.project.path)
                self.settings.sync()
